/** Users and the lookups that authentication needs. */
import type { Kysely } from 'kysely';
import type { ServerDatabase, UserRow } from '../db/schema';
import type { Principal } from './principal';
import type { PublicUser } from '../../shared/review/identity';

export function toPublicUser(row: Pick<UserRow, 'id' | 'email' | 'name' | 'role' | 'org_id'>): PublicUser {
  return { id: row.id, email: row.email, name: row.name, role: row.role, orgId: row.org_id };
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(
  db: Kysely<ServerDatabase>,
  email: string,
): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
}

/** The user with their vendor id, for building a Principal. */
export async function loadPrincipalUser(
  db: Kysely<ServerDatabase>,
  userId: string,
): Promise<Omit<Principal, 'via'> | undefined> {
  const row = await db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.org_id')
    .select([
      'users.id',
      'users.email',
      'users.name',
      'users.role',
      'users.org_id',
      'organisations.kind',
      'organisations.vendor_id',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  if (!row) return undefined;
  const vendorId = row.kind === 'vendor' ? row.org_id : row.vendor_id;
  if (!vendorId) return undefined;
  return { user: toPublicUser(row), vendorId };
}
