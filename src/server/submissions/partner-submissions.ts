/**
 * A partner's formal submissions, sent by the desktop app: accepted only for a program the
 * partner's organisation takes and a pack version the server knows. Idempotent by the manifest's
 * id: the same manifest again returns the stored submission, other content under that id is a
 * conflict, and another user's id is "not found" (never confirming that it exists). Every check
 * runs before the one insert, so a refused manifest stores nothing.
 */
import type { Kysely } from 'kysely';
import type { SubmissionManifest } from '../../shared/sync/protocol';
import type { ServerDatabase, SubmissionRow } from '../db/schema';
import { isUniqueViolation } from '../db/unique-violation';
import { conflict, notFound, unprocessable } from '../errors';
import { recordIntegrationEvent } from './submission-events';
import type { Principal } from '../identity/principal';
import { canonicalJson, sha256Hex } from './canonical-json';
import { loadPackVersion } from './program-packs';

const unknownSubmission = (id: string, reason: string) => notFound(`No submission ${id}`, reason);

/** The submission an upload in progress belongs to, and its partner; null for an unknown upload. */
export async function findUploadSubmission(
  db: Kysely<ServerDatabase>,
  uploadId: string,
): Promise<{ id: string; partnerUserId: string } | null> {
  const row = await db
    .selectFrom('submissions')
    .select(['id', 'partner_user_id'])
    .where('recording_upload_id', '=', uploadId)
    .executeTakeFirst();
  return row ? { id: row.id, partnerUserId: row.partner_user_id } : null;
}

export async function findOwnSubmission(
  db: Kysely<ServerDatabase>,
  principal: Principal,
  submissionId: string,
): Promise<SubmissionRow> {
  const row = await db
    .selectFrom('submissions')
    .selectAll()
    .where('id', '=', submissionId)
    .executeTakeFirst();
  if (!row || row.partner_user_id !== principal.user.id)
    throw unknownSubmission(
      submissionId,
      row ? `submission ${submissionId} belongs to another user` : `no submission ${submissionId}`,
    );
  return row;
}

export async function listOwnSubmissions(
  db: Kysely<ServerDatabase>,
  principal: Principal,
  updatedSince: string | undefined,
): Promise<SubmissionRow[]> {
  let query = db.selectFrom('submissions').selectAll().where('partner_user_id', '=', principal.user.id);
  if (updatedSince !== undefined) query = query.where('updated_at', '>', updatedSince);
  return query.orderBy('updated_at').orderBy('id').execute();
}

/** The stored row for a replay, or a refusal; undefined when no submission has this id. */
async function replayOf(
  db: Kysely<ServerDatabase>,
  principal: Principal,
  manifest: SubmissionManifest,
  manifestSha256: string,
): Promise<SubmissionRow | undefined> {
  const stored = await db
    .selectFrom('submissions')
    .selectAll()
    .where('id', '=', manifest.id)
    .executeTakeFirst();
  if (!stored) return undefined;
  if (stored.partner_user_id !== principal.user.id)
    throw unknownSubmission(manifest.id, `manifest id ${manifest.id} belongs to another user`);
  if (stored.manifest_sha256 !== manifestSha256)
    throw conflict(
      `Submission ${manifest.id} was already sent with other content`,
      `manifest ${manifest.id} replayed with different content`,
    );
  return stored;
}

async function requireProgramTakenByPartner(
  db: Kysely<ServerDatabase>,
  principal: Principal,
  programId: string,
): Promise<void> {
  const taken = await db
    .selectFrom('program_partners')
    .select('program_partners.program_id')
    .where('program_partners.vendor_org_id', '=', principal.vendorId)
    .where('program_partners.program_id', '=', programId)
    .where('program_partners.partner_org_id', '=', principal.user.orgId)
    .executeTakeFirst();
  if (!taken)
    throw notFound(
      'No such program for your organisation',
      `program ${programId} not taken by org ${principal.user.orgId}`,
    );
}

async function requireKnownScenario(
  db: Kysely<ServerDatabase>,
  principal: Principal,
  manifest: SubmissionManifest,
): Promise<void> {
  const pack = await loadPackVersion(db, principal.vendorId, manifest.programId, manifest.packVersion);
  if (!pack)
    throw unprocessable(
      `Pack version ${manifest.packVersion} of this program is not on the server; ask an admin to upload it`,
      `unknown pack ${manifest.programId}@${manifest.packVersion}`,
    );
  if (!pack.scenarios.some((s) => s.id === manifest.scenarioId))
    throw unprocessable(
      `Pack version ${manifest.packVersion} has no scenario "${manifest.scenarioId}"`,
      `unknown scenario ${manifest.scenarioId} in ${manifest.programId}@${manifest.packVersion}`,
    );
}

export async function createOrReplaySubmission(
  db: Kysely<ServerDatabase>,
  principal: Principal,
  deviceId: string,
  manifest: SubmissionManifest,
  now: Date,
): Promise<{ created: boolean; row: SubmissionRow }> {
  const manifestJson = canonicalJson(manifest);
  const manifestSha256 = sha256Hex(manifestJson);
  const replayed = await replayOf(db, principal, manifest, manifestSha256);
  if (replayed) return { created: false, row: replayed };
  await requireProgramTakenByPartner(db, principal, manifest.programId);
  await requireKnownScenario(db, principal, manifest);

  const at = now.toISOString();
  const { recording } = manifest;
  const row: SubmissionRow & { recording_bytes: number | null } = {
    id: manifest.id,
    partner_user_id: principal.user.id,
    partner_org_id: principal.user.orgId,
    device_id: deviceId,
    vendor_org_id: principal.vendorId,
    program_id: manifest.programId,
    scenario_id: manifest.scenarioId,
    pack_version: manifest.packVersion,
    manifest_json: manifestJson,
    manifest_sha256: manifestSha256,
    recording_kind: recording?.kind ?? null,
    recording_mime: recording?.mime ?? null,
    recording_bytes: recording?.bytes ?? null,
    recording_sha256: recording?.sha256 ?? null,
    recording_upload_id: null,
    recording_storage_key: null,
    status: recording ? 'awaiting-recording' : 'submitted',
    created_at: at,
    updated_at: at,
  };
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('submissions').values(row).execute();
      if (row.status === 'submitted') await recordIntegrationEvent(trx, 'attempt.submitted', row.id, at);
    });
  } catch (error) {
    // The same id arrived twice at once: the loser answers as a replay (or refusal) of the winner.
    if (!isUniqueViolation(error)) throw error;
    const winner = await replayOf(db, principal, manifest, manifestSha256);
    if (!winner) throw error;
    return { created: false, row: winner };
  }
  return { created: true, row };
}
