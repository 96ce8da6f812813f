import { z } from 'zod'
import { segmentCatalogFor } from '../../../segments/segments.service.ts'
import { defineRoute } from '../../route.ts'
import { READ_ERRORS, ZLocalized } from './contracts.ts'

export const segmentCatalogRoute = defineRoute({
  method: 'GET',
  url: '/api/segments/catalog',
  operationId: 'getSegmentCatalog',
  summary: 'The fields, tags and RFM segments a segment rule can use',
  description:
    'Prediction fields appear once predictions exist. Fields with unit "money" are minor units of currency.',
  tags: ['segments'],
  access: { permission: 'data:read' },
  response: z.object({
    fields: z.array(
      z.object({
        kind: z.enum(['attribute', 'metric', 'prediction']),
        field: z.string(),
        type: z.enum(['number', 'string', 'boolean', 'date']),
        label: ZLocalized,
        unit: z.enum(['money', 'days', 'probability']).optional(),
        values: z.array(z.string()).readonly().optional(),
      }),
    ),
    tags: z.array(z.string()),
    rfm_segments: z.array(z.object({ id: z.string(), name: ZLocalized })),
    currency: z.string(),
  }),
  errors: [...READ_ERRORS],
  handler: ({ ctx }) => segmentCatalogFor(ctx),
})
