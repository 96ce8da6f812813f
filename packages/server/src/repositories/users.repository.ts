import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

/** Users, sessions and API keys: the only SQL that touches credentials. */
export function usersRepository(db: Kysely<DB>) {
  return {
    countUsers: async () =>
      Number((await db.selectFrom('users').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),

    findUserByEmail: (email: string) =>
      db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst(),

    findUserById: (id: number) =>
      db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),

    listUsers: () =>
      db
        .selectFrom('users')
        .select(['id', 'email', 'name', 'role', 'locale', 'created_at', 'last_login_at', 'disabled_at'])
        .orderBy('id')
        .execute(),

    insertUser: (u: {
      email: string
      name: string | null
      passwordHash: string
      role: 'owner' | 'admin' | 'analyst' | 'agent'
      locale: 'it' | 'en' | null
    }) =>
      db
        .insertInto('users')
        .values({
          email: u.email.toLowerCase(),
          name: u.name,
          password_hash: u.passwordHash,
          role: u.role,
          locale: u.locale,
        })
        .returning(['id', 'email', 'name', 'role', 'locale', 'created_at'])
        .executeTakeFirstOrThrow(),

    updateUserLocale: (id: number, locale: 'it' | 'en') =>
      db.updateTable('users').set({ locale, updated_at: new Date() }).where('id', '=', id).execute(),

    touchLogin: (id: number, at: Date) =>
      db.updateTable('users').set({ last_login_at: at }).where('id', '=', id).execute(),

    insertSession: (s: { idHash: string; userId: number; csrfToken: string; expiresAt: Date }) =>
      db
        .insertInto('sessions')
        .values({ id_hash: s.idHash, user_id: s.userId, csrf_token: s.csrfToken, expires_at: s.expiresAt })
        .execute(),

    findSession: (idHash: string, now: Date) =>
      db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select([
          'sessions.id_hash',
          'sessions.csrf_token',
          'sessions.last_seen_at',
          'users.id as user_id',
          'users.role',
          'users.email',
        ])
        .where('sessions.id_hash', '=', idHash)
        .where('sessions.expires_at', '>', now)
        .where('users.disabled_at', 'is', null)
        .executeTakeFirst(),

    touchSession: (idHash: string, at: Date) =>
      db.updateTable('sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute(),

    deleteSession: (idHash: string) =>
      db.deleteFrom('sessions').where('id_hash', '=', idHash).execute(),

    insertApiKey: (k: {
      name: string
      prefix: string
      secretHash: string
      scopes: string[]
      createdBy: number | null
    }) =>
      db
        .insertInto('api_keys')
        .values({
          name: k.name,
          prefix: k.prefix,
          secret_hash: k.secretHash,
          scopes: k.scopes,
          created_by: k.createdBy,
        })
        .returning(['id', 'name', 'prefix', 'scopes', 'created_at'])
        .executeTakeFirstOrThrow(),

    findApiKeyByPrefix: (prefix: string) =>
      db
        .selectFrom('api_keys')
        .select(['id', 'secret_hash', 'scopes', 'last_used_at'])
        .where('prefix', '=', prefix)
        .where('revoked_at', 'is', null)
        .executeTakeFirst(),

    touchApiKey: (id: number, at: Date) =>
      db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute(),

    listApiKeys: () =>
      db
        .selectFrom('api_keys')
        .select(['id', 'name', 'prefix', 'scopes', 'created_at', 'last_used_at', 'revoked_at'])
        .orderBy('id')
        .execute(),

    revokeApiKey: (id: number, at: Date) =>
      db
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst(),
  }
}
