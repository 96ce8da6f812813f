import { z } from 'zod'
import { defineRoute } from '../../route.ts'
import { getWorkspace, updateWorkspace } from '../../../repositories/workspace.repository.ts'

const ZTimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz })
      return true
    } catch {
      return false
    }
  },
  { message: 'must be an IANA time zone such as Europe/Rome' },
)

export const ZWorkspaceSettings = z.object({
  name: z.string().min(1).max(200),
  time_zone: ZTimeZone,
  reporting_currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'),
  business_model: z.enum(['orders', 'subscriptions', 'both']),
  activity_window_days: z.number().int().min(1).max(3650),
  default_locale: z.enum(['it', 'en']),
})

export const getSettingsRoute = defineRoute({
  method: 'GET',
  url: '/api/settings',
  operationId: 'getSettings',
  summary: 'Workspace settings',
  tags: ['settings'],
  access: { permission: 'data:read' },
  response: ZWorkspaceSettings,
  errors: ['unauthenticated', 'forbidden'],
  handler: ({ ctx }) => getWorkspace(ctx.database.db),
})

export const updateSettingsRoute = defineRoute({
  method: 'PATCH',
  url: '/api/settings',
  operationId: 'updateSettings',
  summary: 'Change workspace settings',
  tags: ['settings'],
  access: { permission: 'settings:manage' },
  body: ZWorkspaceSettings.partial().strict(),
  response: ZWorkspaceSettings,
  errors: ['validation_failed', 'unauthenticated', 'forbidden', 'csrf_failed'],
  handler: ({ ctx, body }) => updateWorkspace(ctx.database.db, body),
})
