/**
 * Stratified k-fold cross-validation of the churn trainer: every row is scored by a model that
 * never saw it, and the usual discrimination and calibration metrics are reported per fold
 * and pooled.
 */
import { stratifiedKFold } from './folds.ts'
import {
  averagePrecision,
  brierScore,
  calibrationCurve,
  liftAtTop,
  logLoss,
  rocAuc,
} from './metrics.ts'
import type { CalibrationBin } from './metrics.ts'
import { readChurnLabels, scoreChurnRows, trainChurnModel } from './model.ts'
import type { ChurnTrainError, ChurnTrainOptions } from './model.ts'
import { categoryOf } from './table.ts'
import type { DataRow } from './table.ts'
import type { Result } from '../shared/result.ts'

/** Options for {@link crossValidateChurn}. */
export interface ChurnCrossValidationOptions {
  /** Number of folds. Default 5. */
  readonly folds?: number
  /** Seed of the fold assignment. Default 1. */
  readonly seed?: number
}

/** Metrics of one set of held-out predictions. */
export interface ChurnEvaluation {
  readonly rows: number
  readonly positives: number
  readonly rocAuc: number
  readonly averagePrecision: number
  readonly brier: number
  readonly logLoss: number
  /** Positive rate in the top 10 % of scores divided by the overall positive rate. */
  readonly liftTopDecile: number
}

/** Result of {@link crossValidateChurn}. */
export interface ChurnCrossValidation {
  readonly folds: readonly (ChurnEvaluation & { readonly fold: number })[]
  /** Metrics over all out-of-fold predictions together. */
  readonly pooled: ChurnEvaluation & { readonly calibrationCurve: readonly CalibrationBin[] }
  /** Mean and (sample) standard deviation of the per-fold ROC AUCs. */
  readonly meanRocAuc: number
  readonly sdRocAuc: number
  readonly predictions: readonly {
    readonly id: string | null
    readonly fold: number
    readonly label: 0 | 1
    readonly probability: number
  }[]
}

/**
 * Evaluates held-out probabilities: ROC AUC ({@link rocAuc}), average precision
 * ({@link averagePrecision}), Brier score ({@link brierScore}), log-loss ({@link logLoss}) and
 * top-decile lift ({@link liftAtTop} with fraction 0.1).
 */
export const evaluateChurnPredictions = (
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
): ChurnEvaluation => {
  let positives = 0
  for (let i = 0; i < labels.length; i++) positives += labels[i] as number
  return {
    rows: labels.length,
    positives,
    rocAuc: rocAuc(probabilities, labels),
    averagePrecision: averagePrecision(probabilities, labels),
    brier: brierScore(probabilities, labels),
    logLoss: logLoss(probabilities, labels),
    liftTopDecile: liftAtTop(probabilities, labels, 0.1),
  }
}

/**
 * Stratified k-fold cross-validation ({@link stratifiedKFold}, seeded): for each fold the whole
 * pipeline of {@link trainChurnModel} (encoder, logistic regression, calibration with its own
 * inner folds) is trained on the other folds and scores the held-out fold. Reports per-fold
 * metrics, their mean/sd ROC AUC, pooled metrics with a decile calibration curve, and every
 * out-of-fold prediction. Fails with the trainer's error if any fold cannot be trained.
 */
export const crossValidateChurn = (
  rows: readonly DataRow[],
  options: ChurnTrainOptions,
  cv: ChurnCrossValidationOptions = {},
): Result<ChurnCrossValidation, ChurnTrainError> => {
  const labels = readChurnLabels(rows, options.labelColumn, options.positiveLabel)
  if (!labels.ok) return labels
  const y = labels.value
  const k = cv.folds ?? 5
  const fold = stratifiedKFold(y, k, cv.seed ?? 1)
  const probability = new Float64Array(rows.length)
  const folds: (ChurnEvaluation & { fold: number })[] = []
  for (let f = 0; f < k; f++) {
    const trainRows: DataRow[] = []
    const testRows: DataRow[] = []
    const testIdx: number[] = []
    rows.forEach((row, i) => {
      if (fold[i] === f) {
        testRows.push(row)
        testIdx.push(i)
      } else trainRows.push(row)
    })
    const model = trainChurnModel(trainRows, options)
    if (!model.ok) return model
    const scores = scoreChurnRows(model.value, testRows)
    const p = scores.map((s) => s.probability)
    testIdx.forEach((row, j) => (probability[row] = p[j] as number))
    folds.push({
      fold: f,
      ...evaluateChurnPredictions(
        p,
        testIdx.map((i) => y[i] as number),
      ),
    })
  }
  const aucs = folds.map((f) => f.rocAuc)
  const mean = aucs.reduce((a, b) => a + b, 0) / aucs.length
  const sd = Math.sqrt(aucs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, aucs.length - 1))
  return {
    ok: true,
    value: {
      folds,
      pooled: {
        ...evaluateChurnPredictions(probability, y),
        calibrationCurve: calibrationCurve(probability, y, 10),
      },
      meanRocAuc: mean,
      sdRocAuc: sd,
      predictions: rows.map((row, i) => ({
        id: categoryOf(row[options.idColumn]),
        fold: fold[i] as number,
        label: (y[i] as number) === 1 ? 1 : 0,
        probability: probability[i] as number,
      })),
    },
  }
}
