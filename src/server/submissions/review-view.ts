/** What a coach sees of one submission: the manifest with the AI's draft, the recording, the review so far. */
import type { Kysely } from 'kysely';
import type { ReviewDetail } from '../../shared/review/coach-review';
import type { ServerDatabase } from '../db/schema';
import { findCoachReview, type ReviewableSubmission } from './review-repository';
import { listComments } from './published-result';
import { manifestOf, recordingBytesOf, toSubmission, type UploadOffsetLookup } from './submission-view';

export async function buildReviewDetail(
  deps: { db: Kysely<ServerDatabase>; uploads: { offsetOf: UploadOffsetLookup } },
  found: ReviewableSubmission,
): Promise<ReviewDetail> {
  const { row } = found;
  const bytes = recordingBytesOf(row);
  return {
    submission: await toSubmission(deps.db, row, deps.uploads.offsetOf),
    partner: found.partner,
    manifest: manifestOf(row),
    recording:
      row.recording_kind && row.recording_mime && bytes !== null
        ? {
            kind: row.recording_kind,
            mime: row.recording_mime,
            bytes,
            available: row.recording_storage_key !== null,
          }
        : null,
    review: await findCoachReview(deps.db, row.id),
    comments: (await listComments(deps.db, row.id)).map(({ id, at, text, author, createdAt }) => ({
      id,
      at,
      text,
      author,
      createdAt,
    })),
  };
}
