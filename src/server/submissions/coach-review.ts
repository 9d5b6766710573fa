/**
 * Review by staff. A coach sees the submissions on the programs they coach; an admin sees every
 * submission of their vendor's programs. Anything else is "not found". Scoring moves a submission
 * to in-review; publishing records the decision and makes the result visible to the partner.
 * A published review is final.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ServerDatabase, SubmissionRow } from '../db/schema';
import { conflict, unprocessable } from '../errors';
import type { Principal } from '../identity/principal';
import { findReviewableSubmission, REVIEW_QUEUE_STATUSES } from './review-repository';
import { recordIntegrationEvent } from './submission-events';
import type { CoachCriterion } from '../../shared/review/coach-review';
import { loadPackVersion } from './program-packs';
import { overallScore } from '../../shared/analysis/overall-score';
import type { Criterion } from '../../shared/pack/schema';

function requireReviewable(row: SubmissionRow): void {
  if (row.status === 'published')
    throw conflict('This submission is already published', `submission ${row.id} is published`);
  if (row.status === 'awaiting-recording')
    throw conflict(
      'This submission is still waiting for its recording',
      `submission ${row.id} is awaiting its recording`,
    );
}

/** The scenario's rubric; refuses criteria not in it or scored twice. */
async function requireRubricCriteria(
  db: Kysely<ServerDatabase>,
  row: SubmissionRow,
  criteria: CoachCriterion[],
): Promise<readonly Criterion[]> {
  const pack = await loadPackVersion(db, row.vendor_org_id, row.program_id, row.pack_version);
  const scenario = pack?.scenarios.find((s) => s.id === row.scenario_id);
  const known = new Set(scenario?.rubric.map((c) => c.id) ?? []);
  const unknown = criteria.map((c) => c.criterionId).filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw unprocessable(
      `Not criteria of this scenario’s rubric: ${unknown.join(', ')}`,
      `unknown criteria ${unknown.join(',')} for ${row.program_id}@${row.pack_version}/${row.scenario_id}`,
    );
  const seen = new Set<string>();
  for (const c of criteria) {
    if (seen.has(c.criterionId)) throw unprocessable(`Criterion ${c.criterionId} is scored twice`);
    seen.add(c.criterionId);
  }
  return scenario?.rubric ?? [];
}

/**
 * The review's overall score: the coach's own when given, else the overall score of the coach's
 * criterion scores weighted by the rubric (the definition the AI's score uses).
 */
export function coachOverallScore(
  rubric: readonly Criterion[],
  criteria: readonly CoachCriterion[],
  given: number | null | undefined,
): number | null {
  if (given !== null && given !== undefined) return given;
  const byId = new Map(criteria.map((c) => [c.criterionId, c.coachScore]));
  return overallScore(rubric, (id) => byId.get(id));
}

export async function saveCoachScores(
  db: Kysely<ServerDatabase>,
  principal: Principal,
  submissionId: string,
  input: { criteria: CoachCriterion[]; overallScore?: number | null | undefined },
  now: Date,
): Promise<void> {
  const { row } = await findReviewableSubmission(db, principal, submissionId);
  requireReviewable(row);
  const rubric = await requireRubricCriteria(db, row, input.criteria);
  const at = now.toISOString();
  const criteriaJson = JSON.stringify(input.criteria);
  const overallScore = coachOverallScore(rubric, input.criteria, input.overallScore);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('submission_reviews')
      .values({
        submission_id: row.id,
        coach_user_id: principal.user.id,
        criteria_json: criteriaJson,
        overall_score: overallScore,
        decision: null,
        published_at: null,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) =>
        oc.column('submission_id').doUpdateSet({
          coach_user_id: principal.user.id,
          criteria_json: criteriaJson,
          overall_score: overallScore,
          updated_at: at,
        }),
      )
      .execute();
    const moved = await trx
      .updateTable('submissions')
      .set({ status: 'in-review', updated_at: at })
      .where('id', '=', row.id)
      .where('status', 'in', REVIEW_QUEUE_STATUSES)
      .executeTakeFirst();
    if (moved.numUpdatedRows !== 1n)
      throw conflict('This submission changed meanwhile; reload it', `submission ${row.id} left the queue`);
  });
}

export async function addCoachComment(
  db: Kysely<ServerDatabase>,
  principal: Principal,
  submissionId: string,
  input: { at: number | null; text: string },
  now: Date,
) {
  const { row } = await findReviewableSubmission(db, principal, submissionId);
  requireReviewable(row);
  const comment = {
    id: randomUUID(),
    submission_id: row.id,
    author_user_id: principal.user.id,
    at_seconds: input.at,
    text: input.text,
    created_at: now.toISOString(),
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('submission_comments').values(comment).execute();
    await trx
      .updateTable('submissions')
      .set({ updated_at: comment.created_at })
      .where('id', '=', row.id)
      .execute();
  });
  return {
    id: comment.id,
    at: comment.at_seconds,
    text: comment.text,
    author: principal.user.name,
    createdAt: comment.created_at,
  };
}

export async function publishReview(
  db: Kysely<ServerDatabase>,
  principal: Principal,
  submissionId: string,
  decision: 'pass' | 'needs-work',
  now: Date,
): Promise<void> {
  const { row } = await findReviewableSubmission(db, principal, submissionId);
  requireReviewable(row);
  if (row.status !== 'in-review')
    throw conflict('Score the submission before publishing', `submission ${row.id} has no scores`);
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('submission_reviews')
      .set({ decision, published_at: at, coach_user_id: principal.user.id, updated_at: at })
      .where('submission_id', '=', row.id)
      .execute();
    const moved = await trx
      .updateTable('submissions')
      .set({ status: 'published', updated_at: at })
      .where('id', '=', row.id)
      .where('status', '=', 'in-review')
      .executeTakeFirst();
    if (moved.numUpdatedRows !== 1n)
      throw conflict('This submission changed meanwhile; reload it', `submission ${row.id} left review`);
    // The outbox row commits with the publication (xAPI and webhooks are sent later, see integrations/).
    await recordIntegrationEvent(trx, 'review.published', row.id, at);
  });
}
