/**
 * Device pairing for the desktop app. A signed-in partner asks for a short code; the app sends the
 * code with a device name and gets a device token (shown once, stored as sha256). The token
 * authenticates the app with `Authorization: Bearer` until the partner revokes the device.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DeviceRow, ServerDatabase } from '../db/schema';
import {
  generatePairingCode,
  hashPairingCode,
  normalisePairingCode,
  PAIRING_CODE_TTL_MS,
} from '../auth/pairing-code';
import { generateToken, hashToken, looksLikeToken } from '../auth/secret-tokens';
import { conflict, notFound, unauthorized } from '../errors';
import type { PublicDevice } from '../../shared/review/identity';

export function toPublicDevice(row: DeviceRow): PublicDevice {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    revokedAt: row.revoked_at,
  };
}

/** A new code for the user; their earlier unused codes stop working. */
export async function createPairingCode(
  db: Kysely<ServerDatabase>,
  userId: string,
  now: Date,
): Promise<{ code: string; expiresAt: string }> {
  const code = generatePairingCode();
  const normalised = normalisePairingCode(code);
  if (normalised === null) throw new Error('generatePairingCode made an invalid code');
  const expiresAt = new Date(now.getTime() + PAIRING_CODE_TTL_MS).toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('pairing_codes')
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .execute();
    await trx
      .insertInto('pairing_codes')
      .values({
        id: randomUUID(),
        code_hash: hashPairingCode(normalised),
        user_id: userId,
        created_at: now.toISOString(),
        expires_at: expiresAt,
        used_at: null,
      })
      .execute();
  });
  return { code, expiresAt };
}

/** Spends the code and creates the device in one transaction: a replayed code creates nothing. */
export async function pairDevice(
  db: Kysely<ServerDatabase>,
  input: { code: string; deviceName: string },
  now: Date,
): Promise<{ device: DeviceRow; token: string }> {
  const normalised = normalisePairingCode(input.code);
  if (normalised === null) throw unauthorized('This pairing code is not valid', 'malformed pairing code');
  const pairing = await db
    .selectFrom('pairing_codes')
    .selectAll()
    .where('code_hash', '=', hashPairingCode(normalised))
    .executeTakeFirst();
  if (!pairing) throw unauthorized('This pairing code is not valid', 'unknown pairing code');
  if (pairing.used_at !== null)
    throw conflict('This pairing code has already been used', `pairing code ${pairing.id} replayed`);
  if (pairing.expires_at <= now.toISOString())
    throw unauthorized('This pairing code has expired; make a new one', `pairing code ${pairing.id} expired`);

  const token = generateToken('device');
  const device: DeviceRow = {
    id: randomUUID(),
    user_id: pairing.user_id,
    name: input.deviceName,
    token_hash: hashToken(token),
    created_at: now.toISOString(),
    last_seen_at: null,
    revoked_at: null,
  };
  await db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('pairing_codes')
      .set({ used_at: now.toISOString() })
      .where('id', '=', pairing.id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (claimed.numUpdatedRows !== 1n)
      throw conflict('This pairing code has already been used', `pairing code ${pairing.id} replayed`);
    await trx.insertInto('devices').values(device).execute();
  });
  return { device, token };
}

export type DeviceLookup =
  | { status: 'valid'; deviceId: string; userId: string }
  | { status: 'unknown' | 'revoked'; deviceId?: string };

export async function findDeviceByToken(
  db: Kysely<ServerDatabase>,
  token: string,
  now: Date,
): Promise<DeviceLookup> {
  if (!looksLikeToken('device', token)) return { status: 'unknown' };
  const row = await db
    .selectFrom('devices')
    .select(['id', 'user_id', 'revoked_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row) return { status: 'unknown' };
  if (row.revoked_at !== null) return { status: 'revoked', deviceId: row.id };
  await db.updateTable('devices').set({ last_seen_at: now.toISOString() }).where('id', '=', row.id).execute();
  return { status: 'valid', deviceId: row.id, userId: row.user_id };
}

export async function listDevices(db: Kysely<ServerDatabase>, userId: string): Promise<DeviceRow[]> {
  return db
    .selectFrom('devices')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Revokes one of the user's own devices; someone else's device is not found. Idempotent. */
export async function revokeDevice(
  db: Kysely<ServerDatabase>,
  userId: string,
  deviceId: string,
  now: Date,
): Promise<DeviceRow> {
  const row = await db
    .selectFrom('devices')
    .selectAll()
    .where('id', '=', deviceId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) throw notFound('No such device', `device ${deviceId} is not the caller's`);
  if (row.revoked_at !== null) return row;
  const revokedAt = now.toISOString();
  await db.updateTable('devices').set({ revoked_at: revokedAt }).where('id', '=', deviceId).execute();
  return { ...row, revoked_at: revokedAt };
}
