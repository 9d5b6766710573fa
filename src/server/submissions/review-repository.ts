/**
 * The queries of coach review and their row → API-shape mapping (snake_case stays here): which
 * submissions a coach or admin may see, the queue, one submission with its partner, the review
 * stored so far, where its recording lies. Plain functions taking `db`, like the app's
 * src/main/core/db/repositories; the rules (scoring, publishing) are in coach-review.ts.
 */
import type { Kysely } from 'kysely';
import type { CoachReview, QueueItem, ReviewPartner } from '../../shared/review/coach-review';
import type { ServerDatabase, SubmissionRow, SubmissionStatus } from '../db/schema';
import { notFound } from '../errors';
import type { Principal } from '../identity/principal';
import { parseCoachCriteria } from './coach-criteria';
import { manifestOf, submissionHeader } from './submission-view';

/** The statuses of the review queue: scoring keeps a submission in it, publishing takes it out. */
export const REVIEW_QUEUE_STATUSES: readonly SubmissionStatus[] = ['submitted', 'in-review'];

/** Submissions joined with their program and their partner (the user who submitted). */
export function submissionsWithProgramAndPartner(db: Kysely<ServerDatabase>) {
  return db
    .selectFrom('submissions')
    .innerJoin('programs', (join) =>
      join
        .onRef('programs.vendor_org_id', '=', 'submissions.vendor_org_id')
        .onRef('programs.id', '=', 'submissions.program_id'),
    )
    .innerJoin('users', 'users.id', 'submissions.partner_user_id');
}

/** Submissions of the caller's vendor, narrowed to coached programs for a coach. */
function visibleSubmissions(db: Kysely<ServerDatabase>, principal: Principal) {
  let query = submissionsWithProgramAndPartner(db).where(
    'submissions.vendor_org_id',
    '=',
    principal.vendorId,
  );
  if (principal.user.role === 'coach') {
    const coached = db
      .selectFrom('coach_programs')
      .select('coach_programs.program_id')
      .where('coach_programs.vendor_org_id', '=', principal.vendorId)
      .where('coach_programs.coach_user_id', '=', principal.user.id);
    query = query.where('submissions.program_id', 'in', coached);
  }
  return query;
}

export interface ReviewableSubmission {
  row: SubmissionRow;
  partner: ReviewPartner;
}

/** One submission the caller may review, with its partner; NOT_FOUND otherwise. */
export async function findReviewableSubmission(
  db: Kysely<ServerDatabase>,
  principal: Principal,
  submissionId: string,
): Promise<ReviewableSubmission> {
  const found = await visibleSubmissions(db, principal)
    .selectAll('submissions')
    .select(['users.name as partner_name', 'users.email as partner_email'])
    .where('submissions.id', '=', submissionId)
    .executeTakeFirst();
  if (!found)
    throw notFound(
      `No submission ${submissionId}`,
      `submission ${submissionId} not visible to ${principal.user.id}`,
    );
  const { partner_name, partner_email, ...row } = found;
  return {
    row,
    partner: { id: row.partner_user_id, name: partner_name, email: partner_email, orgId: row.partner_org_id },
  };
}

/** Submitted or in review, oldest first. */
export async function listReviewQueue(
  db: Kysely<ServerDatabase>,
  principal: Principal,
): Promise<QueueItem[]> {
  const rows = await visibleSubmissions(db, principal)
    .selectAll('submissions')
    .select(['users.name as partner_name', 'users.email as partner_email'])
    .where('submissions.status', 'in', REVIEW_QUEUE_STATUSES)
    .orderBy('submissions.created_at')
    .orderBy('submissions.id')
    .execute();
  return rows.map((row) => ({
    ...submissionHeader(row),
    partner: { id: row.partner_user_id, name: row.partner_name, email: row.partner_email },
    aiScore: manifestOf(row).ai.score,
    hasRecording: row.recording_storage_key !== null,
  }));
}

/** The coach's review of a submission so far (scores, decision), or null before the first save. */
export async function findCoachReview(
  db: Kysely<ServerDatabase>,
  submissionId: string,
): Promise<CoachReview | null> {
  const review = await db
    .selectFrom('submission_reviews')
    .selectAll()
    .where('submission_id', '=', submissionId)
    .executeTakeFirst();
  return review
    ? {
        criteria: parseCoachCriteria(review.criteria_json),
        overallScore: review.overall_score === null ? null : Number(review.overall_score),
        decision: review.decision,
        publishedAt: review.published_at,
        coachUserId: review.coach_user_id,
      }
    : null;
}

export interface StoredRecording {
  /** The recording storage's key. */
  storageKey: string;
  /** As the partner's app declared it (checked against the allow-list again when served). */
  mime: string | null;
}

/** Where the submission's recording lies once its upload arrived; null before. */
export function storedRecordingOf(row: SubmissionRow): StoredRecording | null {
  return row.recording_storage_key === null
    ? null
    : { storageKey: row.recording_storage_key, mime: row.recording_mime };
}
