import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { usersRepository } from '../repositories/users.repository.ts'
import type { ApiKeyScope, Role } from '../http/auth.ts'

/**
 * Credentials. Passwords are argon2id hashes. Session tokens and API key secrets are 256-bit
 * random values, so a SHA-256 of them is enough at rest (no dictionary to attack) and lets a
 * request be authenticated with one indexed lookup.
 */
export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000
const TOUCH_EVERY_MS = 5 * 60 * 1000

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
const token = (bytes = 32) => randomBytes(bytes).toString('base64url')

export const MIN_PASSWORD_LENGTH = 10

export function hashPassword(password: string): Promise<string> {
  return argonHash(password)
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argonVerify(hash, password)
  } catch {
    return false
  }
}

// A real hash to verify against when the email is unknown, so timing does not reveal accounts.
let dummyHash: Promise<string> | undefined

export async function createUser(
  db: Kysely<DB>,
  u: { email: string; name?: string | null; password: string; role: Role; locale?: 'it' | 'en' | null },
) {
  return usersRepository(db).insertUser({
    email: u.email,
    name: u.name ?? null,
    passwordHash: await hashPassword(u.password),
    role: u.role,
    locale: u.locale ?? null,
  })
}

export async function checkCredentials(db: Kysely<DB>, email: string, password: string) {
  const user = await usersRepository(db).findUserByEmail(email)
  if (!user || user.disabled_at) {
    dummyHash ??= hashPassword('not a real password, only for timing')
    await verifyPassword(await dummyHash, password)
    return undefined
  }
  return (await verifyPassword(user.password_hash, password)) ? user : undefined
}

export async function startSession(db: Kysely<DB>, userId: number, now: Date) {
  const raw = token()
  const csrfToken = token(24)
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS)
  const repo = usersRepository(db)
  await repo.insertSession({ idHash: sha256(raw), userId, csrfToken, expiresAt })
  await repo.touchLogin(userId, now)
  return { token: raw, csrfToken, expiresAt }
}

export async function resolveSession(db: Kysely<DB>, raw: string, now = new Date()) {
  const idHash = sha256(raw)
  const repo = usersRepository(db)
  const s = await repo.findSession(idHash, now)
  if (!s) return undefined
  if (now.getTime() - new Date(s.last_seen_at).getTime() > TOUCH_EVERY_MS) {
    await repo.touchSession(idHash, now)
  }
  return {
    sessionHash: idHash,
    userId: s.user_id,
    role: s.role,
    email: s.email,
    csrfToken: s.csrf_token,
  }
}

export async function endSession(db: Kysely<DB>, sessionHash: string) {
  await usersRepository(db).deleteSession(sessionHash)
}

/** API keys look like `fdl_<prefix>_<secret>`; only the prefix and SHA-256(secret) are stored. */
export async function createApiKey(
  db: Kysely<DB>,
  k: { name: string; scopes: ApiKeyScope[]; createdBy: number | null },
) {
  const prefix = randomBytes(6).toString('hex')
  const secret = token()
  const row = await usersRepository(db).insertApiKey({
    name: k.name,
    prefix,
    secretHash: sha256(secret),
    scopes: k.scopes,
    createdBy: k.createdBy,
  })
  return { ...row, key: `fdl_${prefix}_${secret}` }
}

export async function resolveApiKey(db: Kysely<DB>, presented: string, now = new Date()) {
  const match = /^fdl_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(presented)
  if (!match) return undefined
  const [, prefix, secret] = match as unknown as [string, string, string]
  const repo = usersRepository(db)
  const row = await repo.findApiKeyByPrefix(prefix)
  if (!row) return undefined
  const a = Buffer.from(row.secret_hash, 'hex')
  const b = Buffer.from(sha256(secret), 'hex')
  if (a.length !== b.length || !timingSafeEqual(a, b)) return undefined
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
    await repo.touchApiKey(row.id, now)
  }
  return { id: row.id, scopes: row.scopes as ApiKeyScope[] }
}
