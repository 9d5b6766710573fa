/** A submissions row as the protocol's Submission: the partner's view, result only once published. */
import type { Kysely } from 'kysely';
import {
  submissionManifestSchema,
  type Submission,
  type SubmissionManifest,
} from '../../shared/sync/protocol';
import type { ServerDatabase, SubmissionRow } from '../db/schema';
import { buildPublishedResult } from './published-result';

/** How many bytes of an upload in progress the server holds (the tus offset). */
export type UploadOffsetLookup = (uploadId: string) => Promise<number>;

export function manifestOf(row: Pick<SubmissionRow, 'manifest_json'>): SubmissionManifest {
  return submissionManifestSchema.parse(JSON.parse(row.manifest_json));
}

/** The fields every view of a submission starts with. */
export function submissionHeader(row: SubmissionRow) {
  return {
    id: row.id,
    status: row.status,
    programId: row.program_id,
    scenarioId: row.scenario_id,
    packVersion: row.pack_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function recordingBytesOf(row: Pick<SubmissionRow, 'recording_bytes'>): number | null {
  return row.recording_bytes === null ? null : Number(row.recording_bytes);
}

async function recordingBytesReceived(
  row: SubmissionRow,
  offsetOf: UploadOffsetLookup,
): Promise<number | null> {
  const expected = recordingBytesOf(row);
  if (expected === null) return null;
  if (row.recording_storage_key !== null) return expected;
  return row.recording_upload_id === null ? 0 : offsetOf(row.recording_upload_id);
}

export async function toSubmission(
  db: Kysely<ServerDatabase>,
  row: SubmissionRow,
  offsetOf: UploadOffsetLookup,
): Promise<Submission> {
  let result: Submission['result'] = null;
  if (row.status === 'published') {
    const review = await db
      .selectFrom('submission_reviews')
      .selectAll()
      .where('submission_id', '=', row.id)
      .executeTakeFirst();
    if (review) result = await buildPublishedResult(db, manifestOf(row), review);
  }
  return {
    ...submissionHeader(row),
    recordingBytesReceived: await recordingBytesReceived(row, offsetOf),
    result,
  };
}
