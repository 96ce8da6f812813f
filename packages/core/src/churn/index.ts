// Public API of the churn module: tabular encoder, L2 logistic regression, calibration,
// metrics, cross-validation and reasons. `Lang`/`LocalizedText` (./text.ts) are deliberately
// not re-exported: other core modules export the same structural types.
export * from './table.ts'
export * from './prng.ts'
export * from './encoder.ts'
export * from './linalg.ts'
export * from './logistic.ts'
export * from './calibration.ts'
export * from './metrics.ts'
export * from './folds.ts'
export * from './model.ts'
export * from './cv.ts'
export * from './reasons.ts'
