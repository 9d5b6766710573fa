/** Web sessions: a random cookie value whose sha256 is stored with an expiry. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/schema';
import { generateToken, hashToken } from '../auth/secret-tokens';

export async function createSession(
  db: Kysely<ServerDatabase>,
  userId: string,
  ttlSeconds: number,
  now: Date,
): Promise<{ id: string; token: string; expiresAt: string }> {
  const token = generateToken('session');
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
  await db
    .insertInto('sessions')
    .values({
      id,
      token_hash: hashToken(token),
      user_id: userId,
      created_at: now.toISOString(),
      expires_at: expiresAt,
    })
    .execute();
  return { id, token, expiresAt };
}

export type SessionLookup =
  { status: 'valid'; sessionId: string; userId: string } | { status: 'unknown' | 'expired' };

export async function findSession(
  db: Kysely<ServerDatabase>,
  token: string,
  now: Date,
): Promise<SessionLookup> {
  const row = await db
    .selectFrom('sessions')
    .select(['id', 'user_id', 'expires_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row) return { status: 'unknown' };
  if (row.expires_at <= now.toISOString()) {
    await db.deleteFrom('sessions').where('id', '=', row.id).execute();
    return { status: 'expired' };
  }
  return { status: 'valid', sessionId: row.id, userId: row.user_id };
}

export async function deleteSession(db: Kysely<ServerDatabase>, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}
