// Public API of the segments module: RFM scores and named segments, CLV value tiers, custom
// segment rules (zod schema, validation, SQL compiler).
export * from './rfm-segments.ts'
export * from './value-tiers.ts'
export * from './segment-rule.ts'
export * from './segment-sql.ts'
