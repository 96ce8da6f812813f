/**
 * The prediction pipeline's pure pieces: per-customer model inputs and churn features from the
 * replica's summaries, churn labels, the formula-CLV fallback and value tiers.
 */
export * from './features.ts'
