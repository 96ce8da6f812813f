/**
 * Reference implementations of the survey metrics from raw answers: NPS, eNPS, CSAT, CES. The
 * scale is part of the survey: scores outside it, or not integers, are rejected.
 */
import { toInstant, toPeriod } from './inputs.ts'
import type { PeriodInput, SurveyAnswerInput } from './inputs.ts'
import { ces, csat, enps, nps } from './formulas.ts'
import type { CesInputs, CsatInputs, NpsInputs } from './formulas.ts'
import type { MetricResult } from './result.ts'

/** An answer scale, inclusive. */
export interface ScoreScale {
  readonly min: number
  readonly max: number
}

export const NPS_SCALE: ScoreScale = { min: 0, max: 10 }
export const CSAT_SCALE: ScoreScale = { min: 1, max: 5 }
export const CES_SCALE: ScoreScale = { min: 1, max: 7 }

/** Scores of the answers in `period` (all answers when no period), checked against the scale. */
function scoresIn(
  fn: string,
  answers: readonly SurveyAnswerInput[],
  scale: ScoreScale,
  period: PeriodInput | undefined,
): number[] {
  if (!(Number.isInteger(scale.min) && Number.isInteger(scale.max) && scale.min < scale.max)) {
    throw new RangeError(`${fn}: scale must be two integers min < max`)
  }
  const p = period === undefined ? undefined : toPeriod(period)
  const scores: number[] = []
  answers.forEach((answer, i) => {
    if (p !== undefined) {
      const at = toInstant(answer.at, `answers[${i}].at`)
      if (at < p.start || at >= p.end) return
    }
    if (!Number.isInteger(answer.score) || answer.score < scale.min || answer.score > scale.max) {
      throw new RangeError(
        `${fn}: answers[${i}].score must be an integer from ${scale.min} to ${scale.max}, got ${answer.score}`,
      )
    }
    scores.push(answer.score)
  })
  return scores
}

/** Promoters 9–10, passives 7–8, detractors up to 6 (on 0–10 and on 1–10 alike). */
function npsCounts(scores: readonly number[]): NpsInputs {
  let promoters = 0
  let passives = 0
  let detractors = 0
  for (const score of scores) {
    if (score >= 9) promoters += 1
    else if (score >= 7) passives += 1
    else detractors += 1
  }
  return { promoters, passives, detractors }
}

function assertNpsScale(fn: string, scale: ScoreScale): void {
  if (scale.max !== 10 || scale.min < 0 || scale.min > 1) {
    throw new RangeError(`${fn}: the scale must be 0–10 or 1–10`)
  }
}

/**
 * NPS from answers on 0–10 (answers at `[start, end)` when a period is given):
 * NPS = (promoters − detractors) × 100 / answers, promoters 9–10, passives 7–8, detractors 0–6.
 */
export function npsFromAnswers(
  answers: readonly SurveyAnswerInput[],
  period?: PeriodInput,
  scale: ScoreScale = NPS_SCALE,
): MetricResult<NpsInputs> {
  assertNpsScale('npsFromAnswers', scale)
  return nps(npsCounts(scoresIn('npsFromAnswers', answers, scale, period)))
}

/**
 * eNPS from employee answers, on 0–10 or 1–10 (the survey's scale):
 * eNPS = (promoters − detractors) × 100 / answers, promoters 9–10, detractors up to 6.
 */
export function enpsFromAnswers(
  answers: readonly SurveyAnswerInput[],
  period?: PeriodInput,
  scale: ScoreScale = NPS_SCALE,
): MetricResult<NpsInputs> {
  assertNpsScale('enpsFromAnswers', scale)
  return enps(npsCounts(scoresIn('enpsFromAnswers', answers, scale, period)))
}

export interface CsatOptions {
  readonly scale?: ScoreScale
  /** Lowest satisfied score. Default 4 (4–5 on 1–5). */
  readonly satisfiedFrom?: number
}

/** CSAT with the threshold it was computed with (shown next to the number). */
export interface CsatResult {
  readonly csat: MetricResult<CsatInputs>
  readonly scale: ScoreScale
  readonly satisfiedFrom: number
}

/** CSAT = answers with score ≥ satisfiedFrom / all answers (default: 4–5 of 1–5). */
export function csatFromAnswers(
  answers: readonly SurveyAnswerInput[],
  period?: PeriodInput,
  options: CsatOptions = {},
): CsatResult {
  const scale = options.scale ?? CSAT_SCALE
  const satisfiedFrom = options.satisfiedFrom ?? 4
  const scores = scoresIn('csatFromAnswers', answers, scale, period)
  return {
    csat: csatOf(scores, satisfiedFrom, 'csat'),
    scale,
    satisfiedFrom,
  }
}

/** CSAT of scores already checked against their scale. */
export function csatOf(
  scores: readonly number[],
  satisfiedFrom: number,
  metric: 'csat' | 'csat_by_channel',
): MetricResult<CsatInputs> {
  const satisfied = scores.filter((s) => s >= satisfiedFrom).length
  return csat({ satisfied, answers: scores.length }, metric)
}

/** CES = mean score on the survey's scale (default 1–7). */
export function cesFromAnswers(
  answers: readonly SurveyAnswerInput[],
  period?: PeriodInput,
  scale: ScoreScale = CES_SCALE,
): MetricResult<CesInputs> {
  const scores = scoresIn('cesFromAnswers', answers, scale, period)
  return ces({ scoreSum: scores.reduce((a, b) => a + b, 0), answers: scores.length })
}
