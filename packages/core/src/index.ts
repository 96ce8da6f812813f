export * from './shared/result.ts'
export * from './shared/brand.ts'
export * from './records/schemas.ts'
export * from './shared/errors.ts'
