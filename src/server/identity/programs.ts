/**
 * Certification programs, owned by a vendor: which partner organisations take each one
 * (program_partners) and which coaches coach it (coach_programs). A program is keyed by (vendor,
 * id): two vendors may both have "onboarding", and neither learns of the other's. Every lookup is
 * scoped to the caller's vendor, so another vendor's ids are simply not found.
 */
import { isUniqueViolation } from '../db/unique-violation';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ProgramRow, ServerDatabase } from '../db/schema';
import { conflict, invalidInput, notFound } from '../errors';
import type { Principal } from './principal';
import type { PublicProgram } from '../../shared/review/identity';

export function toPublicProgram(row: ProgramRow): PublicProgram {
  return { id: row.id, title: row.title, vendorOrgId: row.vendor_org_id };
}

export async function createProgram(
  db: Kysely<ServerDatabase>,
  vendorId: string,
  title: string,
  now: Date,
  id: string = randomUUID(),
): Promise<ProgramRow> {
  const row: ProgramRow = { id, vendor_org_id: vendorId, title, created_at: now.toISOString() };
  try {
    await db.insertInto('programs').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict(`A program with the id "${id}" already exists`, `program id ${id} taken`);
    throw error;
  }
  return row;
}

async function requireProgramInVendor(db: Kysely<ServerDatabase>, vendorId: string, programId: string) {
  const program = await db
    .selectFrom('programs')
    .selectAll()
    .where('id', '=', programId)
    .where('vendor_org_id', '=', vendorId)
    .executeTakeFirst();
  if (!program) throw notFound('No such program', `program ${programId} not in vendor ${vendorId}`);
  return program;
}

/** Idempotent: assigning twice leaves one row. */
export async function assignPartnerOrganisation(
  db: Kysely<ServerDatabase>,
  vendorId: string,
  programId: string,
  partnerOrgId: string,
  now: Date,
): Promise<void> {
  await requireProgramInVendor(db, vendorId, programId);
  const org = await db
    .selectFrom('organisations')
    .select('id')
    .where('id', '=', partnerOrgId)
    .where('kind', '=', 'partner')
    .where('vendor_id', '=', vendorId)
    .executeTakeFirst();
  if (!org)
    throw notFound('No such partner organisation', `partner org ${partnerOrgId} not in vendor ${vendorId}`);
  await db
    .insertInto('program_partners')
    .values({
      vendor_org_id: vendorId,
      program_id: programId,
      partner_org_id: partnerOrgId,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.columns(['vendor_org_id', 'program_id', 'partner_org_id']).doNothing())
    .execute();
}

/** Idempotent: assigning twice leaves one row. */
export async function assignCoach(
  db: Kysely<ServerDatabase>,
  vendorId: string,
  programId: string,
  coachUserId: string,
  now: Date,
): Promise<void> {
  await requireProgramInVendor(db, vendorId, programId);
  const user = await db
    .selectFrom('users')
    .select(['id', 'role'])
    .where('id', '=', coachUserId)
    .where('org_id', '=', vendorId)
    .executeTakeFirst();
  if (!user) throw notFound('No such user', `user ${coachUserId} not in vendor ${vendorId}`);
  if (user.role !== 'coach') throw invalidInput('Only a coach can be assigned to coach a program');
  await db
    .insertInto('coach_programs')
    .values({
      vendor_org_id: vendorId,
      program_id: programId,
      coach_user_id: coachUserId,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.columns(['vendor_org_id', 'program_id', 'coach_user_id']).doNothing())
    .execute();
}

/** Admins: all of their vendor's programs; coaches: those they coach; partners: those their org takes. */
export async function listProgramsFor(
  db: Kysely<ServerDatabase>,
  principal: Principal,
): Promise<ProgramRow[]> {
  let query = db
    .selectFrom('programs')
    .selectAll('programs')
    .where('programs.vendor_org_id', '=', principal.vendorId);
  if (principal.user.role === 'coach')
    query = query
      .innerJoin('coach_programs', (join) =>
        join
          .onRef('coach_programs.vendor_org_id', '=', 'programs.vendor_org_id')
          .onRef('coach_programs.program_id', '=', 'programs.id'),
      )
      .where('coach_programs.coach_user_id', '=', principal.user.id);
  if (principal.user.role === 'partner')
    query = query
      .innerJoin('program_partners', (join) =>
        join
          .onRef('program_partners.vendor_org_id', '=', 'programs.vendor_org_id')
          .onRef('program_partners.program_id', '=', 'programs.id'),
      )
      .where('program_partners.partner_org_id', '=', principal.user.orgId);
  return query.orderBy('programs.created_at').orderBy('programs.id').execute();
}
