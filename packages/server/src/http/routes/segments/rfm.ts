import { z } from 'zod'
import { rfmGrid } from '../../../segments/segments.service.ts'
import { defineRoute } from '../../route.ts'
import { ZInstant } from '../metrics/common.ts'
import { READ_ERRORS, ZLocalized } from './contracts.ts'

const ZCell = z.object({
  r: z.number(),
  fm: z.number(),
  segment: z.string(),
  customers: z.number(),
  value: z.number(),
  active: z.number(),
})

export const rfmGridRoute = defineRoute({
  method: 'GET',
  url: '/api/segments/rfm',
  operationId: 'getRfmGrid',
  summary: 'The RFM grid: customers and value per (R, FM) cell and per named segment',
  description:
    'R, F and M are tie-aware quintile scores 1–5 over every customer with a completed order in the ' +
    'reporting currency (up to as_of when given, else every order); FM = ceil((F + M) / 2); the segment of a cell follows ' +
    "core's RFM_SEGMENT_GRID (docs/segments.md). value = the customers' total spend (minor units); active = " +
    'customers whose last order is within the activity window.',
  tags: ['segments'],
  access: { permission: 'data:read' },
  query: z.object({ as_of: ZInstant.optional() }),
  response: z.object({
    as_of: z.string(),
    currency: z.string(),
    activity_window_days: z.number(),
    customers: z.number(),
    value: z.number(),
    cells: z.array(ZCell),
    segments: z.array(
      z.object({
        id: z.string(),
        name: ZLocalized,
        description: ZLocalized,
        customers: z.number(),
        value: z.number(),
        active: z.number(),
        cells: z.array(z.object({ r: z.number(), fm: z.number() })),
      }),
    ),
  }),
  errors: ['validation_failed', ...READ_ERRORS],
  handler: ({ ctx, query }) =>
    query.as_of === undefined
      ? rfmGrid(ctx, new Date())
      : rfmGrid(ctx, new Date(query.as_of), true),
})
