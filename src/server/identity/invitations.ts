/**
 * Invitations: an admin (or `rehearse server init`) invites an email to a role in an organisation;
 * the invitee accepts once with the one-time token, choosing a name and password. Only the token's
 * sha256 is stored. Accepting marks the invitation used and creates the user in one transaction, so
 * a replay or a race finds it used and nothing is half-created.
 *
 * Inviting never says whether the email already has an account anywhere (that would let one vendor
 * enumerate another's people); the invitation is made either way, and accepting it with an email
 * that has an account fails with a message to the invitee, leaving the invitation unused.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { OrganisationRow, ServerDatabase, UserRole, UserRow } from '../db/schema';
import { isUniqueViolation } from '../db/unique-violation';
import { generateToken, hashToken, looksLikeToken } from '../auth/secret-tokens';
import { hashPassword } from '../auth/password-hashing';
import { conflict, invalidInput, unauthorized } from '../errors';
import { normaliseEmail, toPublicUser } from './users';
import type { PublicUser } from '../../shared/review/identity';

export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

export interface IssuedInvitation {
  invitationId: string;
  token: string;
  email: string;
  role: UserRole;
  orgId: string;
  expiresAt: string;
}

/** Staff (coach, admin) belong to the vendor; partners to a partner organisation. */
export function roleFitsOrganisation(role: UserRole, org: Pick<OrganisationRow, 'kind'>): boolean {
  return role === 'partner' ? org.kind === 'partner' : org.kind === 'vendor';
}

export async function createInvitation(
  db: Kysely<ServerDatabase>,
  input: { email: string; role: UserRole; org: OrganisationRow; invitedBy: string | null },
  now: Date,
): Promise<IssuedInvitation> {
  if (!roleFitsOrganisation(input.role, input.org))
    throw invalidInput(
      input.role === 'partner'
        ? 'Partners are invited into a partner organisation'
        : 'Coaches and admins are invited into the vendor organisation',
    );
  // No look-up of existing accounts here: answering differently for an email that has an account
  // (in this organisation or another vendor's) would let any admin probe who uses the server.
  // Whether the person can join is settled when they accept, and told to them only.
  const email = normaliseEmail(input.email);
  const token = generateToken('invitation');
  const invitation = {
    id: randomUUID(),
    token_hash: hashToken(token),
    email,
    role: input.role,
    org_id: input.org.id,
    invited_by: input.invitedBy,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + INVITATION_TTL_MS).toISOString(),
    accepted_at: null,
    accepted_user_id: null,
  };
  await db.insertInto('invitations').values(invitation).execute();
  return {
    invitationId: invitation.id,
    token,
    email,
    role: input.role,
    orgId: input.org.id,
    expiresAt: invitation.expires_at,
  };
}

export async function acceptInvitation(
  db: Kysely<ServerDatabase>,
  input: { token: string; name: string; password: string },
  now: Date,
): Promise<PublicUser> {
  const invalid = () => unauthorized('This invitation link is not valid', 'unknown invitation token');
  if (!looksLikeToken('invitation', input.token)) throw invalid();
  const invitation = await db
    .selectFrom('invitations')
    .selectAll()
    .where('token_hash', '=', hashToken(input.token))
    .executeTakeFirst();
  if (!invitation) throw invalid();
  if (invitation.accepted_at !== null)
    throw conflict('This invitation has already been used', `invitation ${invitation.id} replayed`);
  if (invitation.expires_at <= now.toISOString())
    throw unauthorized(
      'This invitation has expired; ask for a new one',
      `invitation ${invitation.id} expired`,
    );

  const taken = () =>
    conflict(
      'This email already has an account; sign in with it, or ask for an invitation to another email',
      `invitation ${invitation.id}: email already has an account`,
    );
  const existing = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', invitation.email)
    .executeTakeFirst();
  if (existing) throw taken();

  const passwordHash = await hashPassword(input.password);
  const user: UserRow = {
    id: randomUUID(),
    email: invitation.email,
    name: input.name,
    role: invitation.role,
    org_id: invitation.org_id,
    password_hash: passwordHash,
    created_at: now.toISOString(),
  };
  try {
    await db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable('invitations')
        .set({ accepted_at: now.toISOString() })
        .where('id', '=', invitation.id)
        .where('accepted_at', 'is', null)
        .executeTakeFirst();
      if (claimed.numUpdatedRows !== 1n)
        throw conflict('This invitation has already been used', `invitation ${invitation.id} replayed`);
      await trx.insertInto('users').values(user).execute();
      await trx
        .updateTable('invitations')
        .set({ accepted_user_id: user.id })
        .where('id', '=', invitation.id)
        .execute();
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
  return toPublicUser(user);
}
