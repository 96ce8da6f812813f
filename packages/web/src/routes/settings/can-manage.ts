import type { Role } from '../../lib/api/types.ts'

/** Mirrors the server's role permissions (http/auth.ts) to hide forms the server would refuse. */
export const canManage = (role: Role) => role === 'owner' || role === 'admin'
