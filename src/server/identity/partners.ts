/**
 * Which partner users a member of staff may see. A coach: the partners of the partner
 * organisations that take a program they coach. An admin: every partner of their vendor.
 */
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/schema';
import type { Principal } from './principal';
import type { PublicUser } from '../../shared/review/identity';
import { toPublicUser } from './users';

export async function listVisiblePartners(
  db: Kysely<ServerDatabase>,
  principal: Principal,
): Promise<PublicUser[]> {
  let query = db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.org_id')
    .select(['users.id', 'users.email', 'users.name', 'users.role', 'users.org_id'])
    .where('users.role', '=', 'partner')
    .where('organisations.vendor_id', '=', principal.vendorId);
  if (principal.user.role === 'coach') {
    const coachedOrgs = db
      .selectFrom('program_partners')
      .innerJoin('coach_programs', (join) =>
        join
          .onRef('coach_programs.vendor_org_id', '=', 'program_partners.vendor_org_id')
          .onRef('coach_programs.program_id', '=', 'program_partners.program_id'),
      )
      .select('program_partners.partner_org_id')
      .where('coach_programs.coach_user_id', '=', principal.user.id);
    query = query.where('users.org_id', 'in', coachedOrgs);
  }
  const rows = await query.orderBy('users.email').execute();
  return rows.map(toPublicUser);
}
