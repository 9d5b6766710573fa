/** Organisations: vendors and the partner companies that belong to them. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { OrganisationRow, ServerDatabase } from '../db/schema';
import type { PublicOrganisation } from '../../shared/review/identity';

export function toPublicOrganisation(row: OrganisationRow): PublicOrganisation {
  return { id: row.id, name: row.name, kind: row.kind, vendorId: row.vendor_id };
}

export async function anyVendorExists(db: Kysely<ServerDatabase>): Promise<boolean> {
  const row = await db
    .selectFrom('organisations')
    .select('id')
    .where('kind', '=', 'vendor')
    .executeTakeFirst();
  return row !== undefined;
}

export async function createOrganisation(
  db: Kysely<ServerDatabase>,
  input: { name: string; kind: 'vendor' } | { name: string; kind: 'partner'; vendorId: string },
  now: Date,
): Promise<OrganisationRow> {
  const row: OrganisationRow = {
    id: randomUUID(),
    name: input.name,
    kind: input.kind,
    vendor_id: input.kind === 'partner' ? input.vendorId : null,
    created_at: now.toISOString(),
  };
  await db.insertInto('organisations').values(row).execute();
  return row;
}

/** The organisation if it is the vendor itself or one of its partners; undefined otherwise. */
export async function findOrganisationInVendor(
  db: Kysely<ServerDatabase>,
  vendorId: string,
  orgId: string,
): Promise<OrganisationRow | undefined> {
  return db
    .selectFrom('organisations')
    .selectAll()
    .where('id', '=', orgId)
    .where((eb) => eb.or([eb('id', '=', vendorId), eb('vendor_id', '=', vendorId)]))
    .executeTakeFirst();
}

export async function listOrganisationsInVendor(
  db: Kysely<ServerDatabase>,
  vendorId: string,
): Promise<OrganisationRow[]> {
  return db
    .selectFrom('organisations')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', vendorId), eb('vendor_id', '=', vendorId)]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
