import { describe, expect, it } from 'vitest'
import { cesFromAnswers, csatFromAnswers, enpsFromAnswers, npsFromAnswers } from './feedback.ts'
import type { SurveyAnswerInput } from './inputs.ts'

const at = '2024-05-10T10:00:00Z'
const answers = (scores: number[], when = at): SurveyAnswerInput[] =>
  scores.map((score) => ({ at: when, score }))

describe('survey metrics from answers', () => {
  it('classifies NPS answers: promoters 9–10, passives 7–8, detractors 0–6', () => {
    const result = npsFromAnswers(answers([10, 9, 8, 7, 6, 0]))
    expect(result.inputs).toEqual({ promoters: 2, passives: 2, detractors: 2 })
    expect(result.value).toBe(0)
    expect(npsFromAnswers(answers([10, 10, 10, 3])).value).toBe(50)
  })

  it('accepts eNPS on 1–10 with the same categories, and rejects scores off the scale', () => {
    expect(enpsFromAnswers(answers([1, 9, 10, 7]), undefined, { min: 1, max: 10 })).toMatchObject({
      metric: 'enps',
      value: 25,
      inputs: { promoters: 2, passives: 1, detractors: 1 },
    })
    expect(() => enpsFromAnswers(answers([0]), undefined, { min: 1, max: 10 })).toThrow(
      /answers\[0\]\.score must be an integer from 1 to 10/,
    )
    expect(() => npsFromAnswers(answers([11]))).toThrow(RangeError)
    expect(() => npsFromAnswers(answers([7.5]))).toThrow(RangeError)
    expect(() => npsFromAnswers(answers([5]), undefined, { min: 1, max: 5 })).toThrow(
      /0–10 or 1–10/,
    )
  })

  it('filters answers by period [start, end)', () => {
    const all = [
      ...answers([10], '2024-04-30T21:59:59Z'),
      ...answers([0], '2024-04-30T22:00:00Z'), // 1 May 00:00 in Rome: inside May
      ...answers([10], '2024-05-31T22:00:00Z'), // 1 June in Rome: outside
    ]
    const may = { start: '2024-05-01T00:00:00+02:00', end: '2024-06-01T00:00:00+02:00' }
    expect(npsFromAnswers(all, may).value).toBe(-100)
  })

  it('computes CSAT with its threshold and CES as a mean', () => {
    const result = csatFromAnswers(answers([5, 4, 3, 2, 1]))
    expect(result).toMatchObject({
      csat: { value: 0.4 },
      satisfiedFrom: 4,
      scale: { min: 1, max: 5 },
    })
    expect(csatFromAnswers(answers([5, 4, 3]), undefined, { satisfiedFrom: 5 }).csat.value).toBe(
      1 / 3,
    )
    expect(cesFromAnswers(answers([7, 6, 5, 2])).value).toBe(5)
    expect(() => cesFromAnswers(answers([8]))).toThrow(RangeError)
    expect(cesFromAnswers([]).defined).toBe(false)
  })
})
