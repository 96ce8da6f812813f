/**
 * Supervised churn-risk model: feature encoder + L2 logistic regression + probability
 * calibration, trained from rows of named columns. The fitted model is plain JSON so the
 * server can store it and score later without re-training.
 */
import { applyCalibration, fitIsotonic, fitPlatt } from './calibration.ts'
import type { Calibration } from './calibration.ts'
import { encodeRows, fitFeatureEncoder } from './encoder.ts'
import type { DroppedColumn, EncoderOptions, FeatureEncoder, Matrix } from './encoder.ts'
import { stratifiedKFold } from './folds.ts'
import { fitLogistic, logisticLinearPredictor } from './logistic.ts'
import type { LogisticFit } from './logistic.ts'
import { categoryOf, parseBinaryLabel } from './table.ts'
import type { DataRow } from './table.ts'
import type { LocalizedText } from './text.ts'
import type { Result } from '../shared/result.ts'

/** Options for {@link trainChurnModel}. */
export interface ChurnTrainOptions extends EncoderOptions {
  /** Column holding the row id (never a feature). */
  readonly idColumn: string
  /** Column holding the 0/1 outcome ({@link parseBinaryLabel}). */
  readonly labelColumn: string
  /** Value of the label column that means "churned"; default: usual yes/no spellings. */
  readonly positiveLabel?: string | number | boolean
  /** L2 penalty λ on standardised coefficients. Default 1. */
  readonly l2?: number
  /** Probability calibration fitted on out-of-fold scores. Default `'platt'`. */
  readonly calibration?: 'platt' | 'isotonic' | 'none'
  /** Folds used to produce the out-of-fold scores for calibration. Default 5. */
  readonly calibrationFolds?: number
  /** Seed of the calibration folds. Default 1. */
  readonly seed?: number
}

/** A trained churn model (plain JSON). */
export interface ChurnModel {
  readonly format: 'fedele.churn.logistic'
  readonly version: 1
  readonly idColumn: string
  readonly labelColumn: string
  readonly encoder: FeatureEncoder
  /** Intercept: the logit of an average training row (all standardised features at 0). */
  readonly intercept: number
  /** One coefficient per `encoder.features` entry, on the standardised scale. */
  readonly coefficients: readonly number[]
  readonly calibration: Calibration
  readonly training: {
    readonly rows: number
    readonly positives: number
    readonly l2: number
    readonly iterations: number
    readonly converged: boolean
    /** Folds actually used for calibration (0 when calibration was skipped). */
    readonly calibrationFolds: number
  }
}

/** Why training could not run. Expected failures, returned as values. */
export type ChurnTrainError =
  | { readonly code: 'no_rows'; readonly message: LocalizedText }
  | {
      readonly code: 'invalid_label'
      /** 0-based index of the first offending row. */
      readonly row: number
      readonly value: string | null
      readonly message: LocalizedText
    }
  | {
      readonly code: 'single_class'
      readonly rows: number
      readonly positives: number
      readonly message: LocalizedText
    }
  | {
      readonly code: 'no_features'
      readonly dropped: readonly DroppedColumn[]
      readonly message: LocalizedText
    }

/** One scored row. */
export interface ChurnScore {
  readonly id: string | null
  /** Calibrated probability of churn. */
  readonly probability: number
  /** Uncalibrated model logit (log-odds); contributions in reasons add up to it. */
  readonly logit: number
}

/**
 * Reads the labels of all rows. Returns the first row whose label is blank or not
 * recognised as an error.
 */
export const readChurnLabels = (
  rows: readonly DataRow[],
  labelColumn: string,
  positiveLabel?: string | number | boolean,
): Result<Uint8Array, ChurnTrainError> => {
  const y = new Uint8Array(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const cell = (rows[i] as DataRow)[labelColumn]
    const label = parseBinaryLabel(cell, positiveLabel)
    if (label === null) {
      const value = categoryOf(cell)
      return {
        ok: false,
        error: {
          code: 'invalid_label',
          row: i,
          value,
          message: {
            it: `Riga ${i + 1}: la colonna "${labelColumn}" deve indicare l'abbandono (sì/no, 1/0), trovato ${value === null ? 'un valore vuoto' : `"${value}"`}.`,
            en: `Row ${i + 1}: column "${labelColumn}" must say whether the customer churned (yes/no, 1/0), found ${value === null ? 'a blank' : `"${value}"`}.`,
          },
        },
      }
    }
    y[i] = label
  }
  return { ok: true, value: y }
}

/** Rows `indices` of a row-major matrix. */
const selectRows = (x: Matrix, indices: readonly number[]): Matrix => {
  const p = x.cols
  const data = new Float64Array(indices.length * p)
  indices.forEach((row, k) => data.set(x.data.subarray(row * p, row * p + p), k * p))
  return { rows: indices.length, cols: p, data }
}

/**
 * Trains a churn model.
 *
 * 1. Labels are read with {@link readChurnLabels}; both classes must be present.
 * 2. The encoder ({@link fitFeatureEncoder}) is fitted on all rows, excluding the id and label
 *    columns; every feature is standardised.
 * 3. The L2 logistic regression ({@link fitLogistic}) is fitted on all rows.
 * 4. Calibration (`platt` default, or `isotonic`): stratified `calibrationFolds`-fold split
 *    (seeded); on each fold a logistic model is fitted on the other folds (warm-started from
 *    step 3, same encoder — the encoder uses no labels, so sharing it leaks no outcome
 *    information) and scores the held-out fold; the calibrator is fitted on these
 *    out-of-fold logits and then applied to the step-3 model's logits, as scikit-learn's
 *    `CalibratedClassifierCV(ensemble=False)` does. Folds are capped at the size of the
 *    smaller class; with fewer than 2 rows in a class no calibration is fitted (σ(logit)).
 */
export const trainChurnModel = (
  rows: readonly DataRow[],
  options: ChurnTrainOptions,
): Result<ChurnModel, ChurnTrainError> => {
  if (rows.length === 0)
    return {
      ok: false,
      error: {
        code: 'no_rows',
        message: {
          it: 'Nessuna riga su cui addestrare il modello.',
          en: 'No rows to train the model on.',
        },
      },
    }
  const labels = readChurnLabels(rows, options.labelColumn, options.positiveLabel)
  if (!labels.ok) return labels
  const y = labels.value
  let positives = 0
  for (const v of y) positives += v
  if (positives === 0 || positives === rows.length)
    return {
      ok: false,
      error: {
        code: 'single_class',
        rows: rows.length,
        positives,
        message: {
          it: `Servono clienti sia persi sia rimasti: su ${rows.length} righe i persi sono ${positives}.`,
          en: `Both churned and retained customers are needed: ${positives} of ${rows.length} rows churned.`,
        },
      },
    }
  const encoder = fitFeatureEncoder(rows, [options.idColumn, options.labelColumn], options)
  if (encoder.features.length === 0)
    return {
      ok: false,
      error: {
        code: 'no_features',
        dropped: encoder.dropped,
        message: {
          it: 'Nessuna colonna utilizzabile: sono tutte vuote o costanti.',
          en: 'No usable column: all are blank or constant.',
        },
      },
    }
  const l2 = options.l2 ?? 1
  const x = encodeRows(encoder, rows)
  const fit = fitLogistic(x, y, { l2 })

  const method = options.calibration ?? 'platt'
  const minority = Math.min(positives, rows.length - positives)
  const folds = Math.min(options.calibrationFolds ?? 5, minority)
  let calibration: Calibration = { method: 'none' }
  let usedFolds = 0
  if (method !== 'none' && folds >= 2) {
    const oof = outOfFoldLogits(x, y, folds, options.seed ?? 1, l2, fit)
    calibration = method === 'platt' ? fitPlatt(oof, y) : fitIsotonic(oof, y)
    usedFolds = folds
  }
  return {
    ok: true,
    value: {
      format: 'fedele.churn.logistic',
      version: 1,
      idColumn: options.idColumn,
      labelColumn: options.labelColumn,
      encoder,
      intercept: fit.intercept,
      coefficients: fit.coefficients,
      calibration,
      training: {
        rows: rows.length,
        positives,
        l2,
        iterations: fit.iterations,
        converged: fit.converged,
        calibrationFolds: usedFolds,
      },
    },
  }
}

const outOfFoldLogits = (
  x: Matrix,
  y: Uint8Array,
  k: number,
  seed: number,
  l2: number,
  start: LogisticFit,
): Float64Array => {
  const fold = stratifiedKFold(y, k, seed)
  const oof = new Float64Array(x.rows)
  for (let f = 0; f < k; f++) {
    const trainIdx: number[] = []
    const testIdx: number[] = []
    for (let i = 0; i < x.rows; i++) (fold[i] === f ? testIdx : trainIdx).push(i)
    const inner = fitLogistic(
      selectRows(x, trainIdx),
      Uint8Array.from(trainIdx, (i) => y[i] as number),
      {
        l2,
        initial: start,
      },
    )
    const scores = logisticLinearPredictor(inner, selectRows(x, testIdx))
    testIdx.forEach((row, j) => (oof[row] = scores[j] as number))
  }
  return oof
}

/**
 * Scores rows: logit η = intercept + Σ_j coefficient_j · z_j with z the standardised features
 * of the row, probability = calibration(η) ({@link applyCalibration}). The id is the row's
 * id column as text (null when blank).
 */
export const scoreChurnRows = (model: ChurnModel, rows: readonly DataRow[]): ChurnScore[] => {
  const x = encodeRows(model.encoder, rows)
  const logits = logisticLinearPredictor(model, x)
  return rows.map((row, i) => {
    const logit = logits[i] as number
    return {
      id: categoryOf(row[model.idColumn]),
      probability: applyCalibration(model.calibration, logit),
      logit,
    }
  })
}
