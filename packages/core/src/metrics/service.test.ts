import { describe, expect, it } from 'vitest'
import type { TicketInput } from './inputs.ts'
import { serviceFigures } from './service.ts'
import { HOUR, utc } from './test-fixtures.ts'

const end = utc('2024-06-01T00:00:00Z')
const period = { start: utc('2024-05-01T00:00:00Z'), end }

describe('serviceFigures', () => {
  const tickets: TicketInput[] = [
    // 0: opened in May, answered after 1 h, resolved after 10 h, rated 5
    {
      channel: 'email',
      openedAt: end - 100 * HOUR,
      firstResponseAt: end - 99 * HOUR,
      resolvedAt: end - 90 * HOUR,
      satisfaction: 5,
    },
    // 1: opened 72 h before the end, answered after 3 h, still open: overdue
    {
      channel: 'chat',
      openedAt: end - 72 * HOUR,
      firstResponseAt: end - 69 * HOUR,
      satisfaction: 2,
    },
    // 2: opened exactly 48 h before the end, unanswered: open but not overdue (> 48 h)
    { channel: 'chat', openedAt: end - 48 * HOUR },
    // 3: opened in April, resolved exactly at the end: open as of the end, overdue, not in the medians
    {
      channel: 'email',
      openedAt: utc('2024-04-20T00:00:00Z'),
      firstResponseAt: utc('2024-04-20T05:00:00Z'),
      resolvedAt: end,
    },
    // 4: opened in May, answered after 5 h, resolved after 20 h, rated 4
    {
      channel: 'email',
      openedAt: end - 200 * HOUR,
      firstResponseAt: end - 195 * HOUR,
      resolvedAt: end - 180 * HOUR,
      satisfaction: 4,
    },
    // 5: opened at the end: next period
    { channel: 'phone', openedAt: end },
  ]

  it('counts open and overdue tickets at the end and takes medians of the tickets opened in the period', () => {
    const figures = serviceFigures(tickets, period)
    expect(figures.open).toEqual({ count: 3, tickets: [1, 2, 3] })
    expect(figures.overdue).toEqual({ count: 2, tickets: [1, 3] })
    // responses: 1 h, 3 h, 5 h (ticket 2 unanswered)
    expect(figures.medianFirstResponseMs).toMatchObject({
      value: 3 * HOUR,
      inputs: { measured: 3, pending: 1 },
    })
    // resolutions: 10 h, 20 h → mean of the two middle values
    expect(figures.medianResolutionMs).toMatchObject({
      value: 15 * HOUR,
      inputs: { measured: 2, pending: 2 },
    })
    expect(figures.satisfactionByChannel).toEqual([
      { channel: 'chat', csat: expect.objectContaining({ metric: 'csat_by_channel', value: 0 }) },
      {
        channel: 'email',
        csat: expect.objectContaining({ value: 1, inputs: { satisfied: 2, answers: 2 } }),
      },
    ])
  })

  it('makes the overdue threshold configurable and explains empty medians', () => {
    expect(serviceFigures(tickets, period, { overdueAfterHours: 24 }).overdue.count).toBe(3)
    const empty = serviceFigures([], period)
    expect(empty.medianFirstResponseMs).toMatchObject({
      defined: false,
      because: { code: 'no-data' },
    })
  })

  it('rejects a response before the ticket was opened', () => {
    expect(() =>
      serviceFigures(
        [{ channel: 'chat', openedAt: end - HOUR, firstResponseAt: end - 2 * HOUR }],
        period,
      ),
    ).toThrow(/tickets\[0\]\.firstResponseAt is before openedAt/)
  })
})
