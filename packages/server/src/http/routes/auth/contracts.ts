import { z } from 'zod'
import { MIN_PASSWORD_LENGTH } from '../../../services/auth.service.ts'

export const ZLocale = z.enum(['it', 'en'])
export const ZRole = z.enum(['owner', 'admin', 'analyst', 'agent'])
export const ZPassword = z.string().min(MIN_PASSWORD_LENGTH).max(200)

export const ZUser = z.object({
  id: z.number(),
  email: z.string(),
  name: z.string().nullable(),
  role: ZRole,
  locale: ZLocale.nullable(),
})

export const ZSessionInfo = z.object({ user: ZUser, csrf_token: z.string() })
