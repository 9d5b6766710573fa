/**
 * The server database's tables as kysely types. Timestamps are ISO-8601 UTC strings (text), which
 * sort and compare the same way in SQLite and PostgreSQL; "flags" are nullable timestamps
 * (`revoked_at`, `used_at`), so no boolean column is needed.
 */
import type { Insertable, Selectable } from 'kysely';

export type OrganisationKind = 'vendor' | 'partner';
export type UserRole = 'partner' | 'coach' | 'admin';

export interface OrganisationsTable {
  id: string;
  name: string;
  kind: OrganisationKind;
  /** The vendor a partner organisation belongs to; null for a vendor. */
  vendor_id: string | null;
  created_at: string;
}

export interface UsersTable {
  id: string;
  /** Lower-cased. */
  email: string;
  name: string;
  role: UserRole;
  org_id: string;
  /** scrypt, see auth/password-hashing.ts. */
  password_hash: string;
  created_at: string;
}

export interface SessionsTable {
  id: string;
  /** sha256 of the cookie value. */
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface InvitationsTable {
  id: string;
  token_hash: string;
  email: string;
  role: UserRole;
  org_id: string;
  /** Null for the bootstrap invitation made by `rehearse server init`. */
  invited_by: string | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  accepted_user_id: string | null;
}

export interface ProgramsTable {
  id: string;
  vendor_org_id: string;
  title: string;
  created_at: string;
}

export interface ProgramPartnersTable {
  program_id: string;
  partner_org_id: string;
  created_at: string;
}

export interface CoachProgramsTable {
  program_id: string;
  coach_user_id: string;
  created_at: string;
}

export interface PairingCodesTable {
  id: string;
  code_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface DevicesTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
}

export interface ServerDatabase {
  organisations: OrganisationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  invitations: InvitationsTable;
  programs: ProgramsTable;
  program_partners: ProgramPartnersTable;
  coach_programs: CoachProgramsTable;
  pairing_codes: PairingCodesTable;
  devices: DevicesTable;
}

export type OrganisationRow = Selectable<OrganisationsTable>;
export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type InvitationRow = Selectable<InvitationsTable>;
export type ProgramRow = Selectable<ProgramsTable>;
export type DeviceRow = Selectable<DevicesTable>;
export type PairingCodeRow = Selectable<PairingCodesTable>;
