/**
 * The server database's tables as kysely types. Timestamps are ISO-8601 UTC strings (text), which
 * sort and compare the same way in SQLite and PostgreSQL; "flags" are nullable timestamps
 * (`revoked_at`, `used_at`), so no boolean column is needed.
 */
import type { ColumnType, Insertable, Selectable } from 'kysely';

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

/** Keyed by (vendor_org_id, id): each vendor chooses its program ids without seeing another's. */
export interface ProgramsTable {
  id: string;
  vendor_org_id: string;
  title: string;
  created_at: string;
}

export interface ProgramPartnersTable {
  /** With program_id, the program's key. */
  vendor_org_id: string;
  program_id: string;
  partner_org_id: string;
  created_at: string;
}

export interface CoachProgramsTable {
  /** With program_id, the program's key. */
  vendor_org_id: string;
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

export interface ProgramPacksTable {
  /** With program_id, the program's key. */
  vendor_org_id: string;
  program_id: string;
  /** The pack's semantic version. */
  version: string;
  /** The validated pack (defaults applied), as canonical JSON. */
  pack_json: string;
  /** sha256 of pack_json: "same version, same content" is a byte comparison. */
  sha256: string;
  uploaded_by: string;
  uploaded_at: string;
}

export type SubmissionStatus = 'awaiting-recording' | 'submitted' | 'in-review' | 'published';

export interface SubmissionsTable {
  /** The manifest's id, chosen by the app: the idempotency key. */
  id: string;
  partner_user_id: string;
  partner_org_id: string;
  device_id: string;
  /** With program_id, the program's key. */
  vendor_org_id: string;
  program_id: string;
  scenario_id: string;
  pack_version: string;
  /** The validated manifest as canonical JSON. */
  manifest_json: string;
  manifest_sha256: string;
  recording_kind: 'video' | 'audio' | null;
  recording_mime: string | null;
  /** PostgreSQL's bigint arrives as a string; read it with Number(). */
  recording_bytes: ColumnType<number | string | null, number | null, number | null>;
  recording_sha256: string | null;
  /** The tus upload in progress, while the recording is awaited. */
  recording_upload_id: string | null;
  /** Where RecordingStorage holds the recording once it arrived and matched. */
  recording_storage_key: string | null;
  status: SubmissionStatus;
  created_at: string;
  updated_at: string;
}

export interface SubmissionReviewsTable {
  submission_id: string;
  /** The coach who last scored or published. */
  coach_user_id: string;
  /** JSON: [{ criterionId, coachScore, note }]. */
  criteria_json: string;
  overall_score: number | null;
  decision: 'pass' | 'needs-work' | null;
  published_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SubmissionCommentsTable {
  id: string;
  submission_id: string;
  author_user_id: string;
  /** Seconds into the recording, or null for a general comment. */
  at_seconds: number | null;
  text: string;
  created_at: string;
}

export type IntegrationEventType = 'attempt.submitted' | 'review.published';

/** A webhook endpoint of a vendor. The secret is kept in plain text: it must sign (see docs). */
export interface WebhookSubscriptionsTable {
  id: string;
  vendor_org_id: string;
  url: string;
  /** JSON: the IntegrationEventType values it receives. */
  events_json: string;
  secret: string;
  created_by: string;
  created_at: string;
  deleted_at: string | null;
}

/** The outbox: written in the transaction of the change it describes, fanned out by the worker. */
export interface IntegrationEventsTable {
  id: string;
  type: IntegrationEventType;
  submission_id: string;
  occurred_at: string;
  /** When its deliveries were created; null while waiting for the worker. */
  dispatched_at: string | null;
}

export interface IntegrationDeliveriesTable {
  id: string;
  event_id: string;
  target: 'xapi' | 'webhook';
  /** 'xapi' or 'webhook:<subscription id>'; unique per event. */
  target_key: string;
  subscription_id: string | null;
  url: string;
  /** The exact bytes sent on every attempt (statements or the webhook event). */
  body: string;
  attempts: ColumnType<number | string, number, number>;
  next_attempt_at: string;
  last_status: number | null;
  last_error: string | null;
  delivered_at: string | null;
  /** Set when it gave up after the last attempt (or its subscription was deleted). */
  failed_at: string | null;
  created_at: string;
  updated_at: string;
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
  program_packs: ProgramPacksTable;
  submissions: SubmissionsTable;
  submission_reviews: SubmissionReviewsTable;
  submission_comments: SubmissionCommentsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  integration_events: IntegrationEventsTable;
  integration_deliveries: IntegrationDeliveriesTable;
}

export type OrganisationRow = Selectable<OrganisationsTable>;
export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type InvitationRow = Selectable<InvitationsTable>;
export type ProgramRow = Selectable<ProgramsTable>;
export type DeviceRow = Selectable<DevicesTable>;
export type PairingCodeRow = Selectable<PairingCodesTable>;
export type ProgramPackRow = Selectable<ProgramPacksTable>;
export type SubmissionRow = Selectable<SubmissionsTable>;
export type SubmissionReviewRow = Selectable<SubmissionReviewsTable>;
export type SubmissionCommentRow = Selectable<SubmissionCommentsTable>;
