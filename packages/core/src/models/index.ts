/**
 * Probabilistic customer-base models: BG/NBD and Pareto/NBD (non-contractual repeat buying),
 * Gamma-Gamma (spend per transaction), sBG (contractual retention), the numerical pieces they need
 * (₂F₁, BFGS with standard errors), data compression, a minimum-data check and CLV helpers.
 * Formulas and published reference values: shared/reference/clv-models.md.
 */
export { assessFitData } from './assess.ts'
export type { FitDataIssue, FitDataIssueCode, FitDataSummary, FitDataThresholds } from './assess.ts'

export {
  bgnbdClv,
  bgnbdCustomerLogLikelihood,
  bgnbdExpectedPurchases,
  bgnbdExpectedPurchasesNewCustomer,
  bgnbdFit,
  bgnbdLogLikelihood,
  bgnbdNextPurchaseTime,
  bgnbdObjective,
  bgnbdProbabilityAlive,
  bgnbdProbabilityOfPurchases,
  bgnbdProbabilityOfPurchaseWithin,
} from './bgnbd.ts'
export type { BgnbdFitOptions, BgnbdParams } from './bgnbd.ts'

export { discountedClv, expectedCumulativePurchases, solveQuantile } from './forecast.ts'
export type { ClvOptions } from './forecast.ts'

export {
  gammaGammaCustomerLogLikelihood,
  gammaGammaExpectedValue,
  gammaGammaFit,
  gammaGammaLogLikelihood,
  gammaGammaObjective,
  gammaGammaPopulationMean,
  spendFrequencyCorrelation,
} from './gamma-gamma.ts'
export type { GammaGammaFitOptions, GammaGammaParams } from './gamma-gamma.ts'

export { hyp2f1, logAbsHyp2f1 } from './hyp2f1.ts'
export type { SignedLog } from './special.ts'

export {
  fitPositiveParameters,
  gradientError,
  hessianFromGradient,
  invertSpd,
  minimizeBfgs,
} from './optimize.ts'
export type {
  BfgsOptions,
  BfgsResult,
  LogSpaceFit,
  LogSpaceFitOptions,
  ModelFit,
  Objective,
  StopReason,
} from './optimize.ts'

export {
  paretoNbdClv,
  paretoNbdCustomerLogLikelihood,
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesNewCustomer,
  paretoNbdFit,
  paretoNbdLogA0,
  paretoNbdLogLikelihood,
  paretoNbdNextPurchaseTime,
  paretoNbdObjective,
  paretoNbdProbabilityAlive,
  paretoNbdProbabilityOfPurchaseWithin,
} from './pareto-nbd.ts'
export type { ParetoNbdFitOptions, ParetoNbdParams } from './pareto-nbd.ts'

export {
  checkRfmData,
  checkRfmRow,
  checkSpendData,
  checkSpendRow,
  compressRfm,
  compressSpend,
} from './rfm.ts'
export type {
  CompressedRfm,
  CompressedSpend,
  RfmCustomer,
  RfmData,
  RowIssue,
  SpendCustomer,
  SpendData,
} from './rfm.ts'

export {
  checkSurvivors,
  sbgChurnProbability,
  sbgDiscountedExpectedLifetime,
  sbgDiscountedExpectedResidualLifetime,
  sbgExpectedLifetime,
  sbgFit,
  sbgLogLikelihood,
  sbgObjective,
  sbgRetentionRate,
  sbgSurvival,
} from './sbg.ts'
export type { SbgFitOptions, SbgParams } from './sbg.ts'

export {
  createTransactionReader,
  dayNumber,
  dayToDate,
  readTransactions,
  summarizeTransactions,
} from './transactions.ts'
export type {
  CustomerSummary,
  SummaryError,
  SummaryOptions,
  TransactionFileError,
  TransactionLayout,
  TransactionLog,
  TransactionReader,
  TransactionReaderOptions,
  TransactionSummary,
} from './transactions.ts'

export {
  bgnbdDiagnosticsModel,
  diagnosticsInputOf,
  modelDiagnostics,
  paretoNbdDiagnosticsModel,
} from './diagnostics.ts'
export type {
  AggregateForecast,
  AliveGrid,
  ConditionalRow,
  DiagnosticsCustomer,
  DiagnosticsInput,
  DiagnosticsModel,
  ModelDiagnostics,
  TrackingRow,
} from './diagnostics.ts'

export { readDataTable } from './table-file.ts'
export type { DataTable, TableFileError } from './table-file.ts'
