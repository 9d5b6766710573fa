/**
 * The coach's verdict as the partner sees it once published: each criterion with the AI's draft
 * score beside the coach's, the overall score, the decision and the comments. Built only for a
 * published review; before that the partner's Submission carries `result: null`.
 */
import type { Kysely } from 'kysely';
import type { PublishedResult, SubmissionManifest } from '../../shared/sync/protocol';
import type { ServerDatabase, SubmissionReviewRow } from '../db/schema';
import { parseCoachCriteria } from './coach-criteria';

export interface CommentView {
  id: string;
  at: number | null;
  text: string;
  author: string;
  authorUserId: string;
  createdAt: string;
}

export async function listComments(db: Kysely<ServerDatabase>, submissionId: string): Promise<CommentView[]> {
  const rows = await db
    .selectFrom('submission_comments')
    .innerJoin('users', 'users.id', 'submission_comments.author_user_id')
    .select([
      'submission_comments.id',
      'submission_comments.at_seconds',
      'submission_comments.text',
      'submission_comments.created_at',
      'users.id as author_user_id',
      'users.name as author_name',
    ])
    .where('submission_comments.submission_id', '=', submissionId)
    .orderBy('submission_comments.created_at')
    .orderBy('submission_comments.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    at: row.at_seconds === null ? null : Number(row.at_seconds),
    text: row.text,
    author: row.author_name,
    authorUserId: row.author_user_id,
    createdAt: row.created_at,
  }));
}

/** AI criteria first, in the manifest's order, then any the coach scored that the AI did not. */
function mergeCriteria(
  manifest: SubmissionManifest,
  review: SubmissionReviewRow,
): PublishedResult['criteria'] {
  const coach = new Map(parseCoachCriteria(review.criteria_json).map((c) => [c.criterionId, c]));
  const merged: PublishedResult['criteria'] = manifest.ai.criteria.map((ai) => {
    const own = coach.get(ai.criterionId);
    return {
      criterionId: ai.criterionId,
      aiScore: ai.score,
      coachScore: own?.coachScore ?? null,
      note: own?.note ?? null,
    };
  });
  const fromAi = new Set(manifest.ai.criteria.map((c) => c.criterionId));
  for (const own of coach.values())
    if (!fromAi.has(own.criterionId))
      merged.push({
        criterionId: own.criterionId,
        aiScore: null,
        coachScore: own.coachScore,
        note: own.note,
      });
  return merged;
}

export async function buildPublishedResult(
  db: Kysely<ServerDatabase>,
  manifest: SubmissionManifest,
  review: SubmissionReviewRow,
): Promise<PublishedResult | null> {
  if (review.published_at === null || review.decision === null) return null;
  const coach = await db
    .selectFrom('users')
    .select('name')
    .where('id', '=', review.coach_user_id)
    .executeTakeFirstOrThrow();
  const comments = await listComments(db, review.submission_id);
  return {
    decision: review.decision,
    criteria: mergeCriteria(manifest, review),
    overallScore: review.overall_score === null ? null : Number(review.overall_score),
    comments: comments.map(({ id, at, text, author, createdAt }) => ({ id, at, text, author, createdAt })),
    publishedAt: review.published_at,
    coach: coach.name,
  };
}
