import { z } from 'zod'
import { SEGMENT_FIELDS } from '../../../analytics/metrics/index.ts'
import { defineRoute } from '../../route.ts'

export const metricsSegmentFieldsRoute = defineRoute({
  method: 'GET',
  url: '/api/metrics/segment-fields',
  operationId: 'getMetricsSegmentFields',
  summary: 'The fields a metrics segment can filter on',
  tags: ['metrics'],
  access: { permission: 'data:read' },
  response: z.object({
    syntax: z.string(),
    fields: z.array(z.object({ field: z.string(), description: z.string() })),
  }),
  errors: ['unauthenticated', 'forbidden'],
  handler: () => ({
    syntax: 'field:value1|value2;field2:value (conditions AND, values OR); attribute.<key>:value',
    fields: [
      ...Object.entries(SEGMENT_FIELDS).map(([field, spec]) => ({
        field,
        description: spec.description,
      })),
      { field: 'attribute.<key>', description: 'A custom customer attribute, compared as text' },
    ],
  }),
})
