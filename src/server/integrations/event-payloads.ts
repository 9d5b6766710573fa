/**
 * What an event says, built once from the database when the worker fans it out (then stored in each
 * delivery, so every retry sends the same bytes): the webhook event body and, for a published
 * review, the data of the xAPI statements.
 */
import type { Kysely } from 'kysely';
import type { IntegrationEventType, ServerDatabase } from '../db/schema';
import { overallCoachScore } from '../analytics/coach-score';
import { parseCoachCriteria } from '../submissions/coach-criteria';
import { loadPackVersion } from '../submissions/program-packs';
import { buildPublishedResult, listComments } from '../submissions/published-result';
import { manifestOf } from '../submissions/submission-view';
import { submissionsWithProgramAndPartner } from '../submissions/review-repository';
import type { PublishedAttempt } from './xapi';

export interface EventContext {
  vendorId: string;
  webhookBody: Record<string, unknown>;
  /** Only for review.published. */
  attempt: PublishedAttempt | null;
}

export async function buildEventContext(
  db: Kysely<ServerDatabase>,
  event: { id: string; type: IntegrationEventType; submission_id: string; occurred_at: string },
): Promise<EventContext> {
  const row = await submissionsWithProgramAndPartner(db)
    .selectAll('submissions')
    .select(['programs.title as program_title', 'users.name as partner_name', 'users.email as partner_email'])
    .where('submissions.id', '=', event.submission_id)
    .executeTakeFirstOrThrow();
  const manifest = manifestOf(row);
  const partner = {
    id: row.partner_user_id,
    email: row.partner_email,
    name: row.partner_name,
    orgId: row.partner_org_id,
  };
  const submission = {
    id: row.id,
    programId: row.program_id,
    scenarioId: row.scenario_id,
    packVersion: row.pack_version,
    recordedAt: manifest.recordedAt,
    durationSeconds: manifest.durationSeconds,
    submittedAt: event.type === 'attempt.submitted' ? event.occurred_at : null,
    aiScore: manifest.ai.score,
    aiPassed: manifest.ai.passed,
    partner,
  };
  const envelope = { id: event.id, type: event.type, createdAt: event.occurred_at };
  if (event.type === 'attempt.submitted')
    return { vendorId: row.vendor_org_id, webhookBody: { ...envelope, data: { submission } }, attempt: null };

  const review = await db
    .selectFrom('submission_reviews')
    .selectAll()
    .where('submission_id', '=', row.id)
    .executeTakeFirstOrThrow();
  const result = await buildPublishedResult(db, manifest, review);
  if (!result || review.decision === null || review.published_at === null)
    throw new Error(`submission ${row.id} has no published review`);
  const coach = await db
    .selectFrom('users')
    .select(['id', 'email', 'name'])
    .where('id', '=', review.coach_user_id)
    .executeTakeFirstOrThrow();
  const pack = await loadPackVersion(db, row.vendor_org_id, row.program_id, row.pack_version);
  const scenario = pack?.scenarios.find((s) => s.id === row.scenario_id);
  const overallScore = overallCoachScore(review.overall_score, parseCoachCriteria(review.criteria_json));
  const comments = await listComments(db, row.id);
  return {
    vendorId: row.vendor_org_id,
    webhookBody: {
      ...envelope,
      data: { submission, result: { ...result, overallCoachScore: overallScore } },
    },
    attempt: {
      submissionId: row.id,
      programId: row.program_id,
      programTitle: row.program_title,
      scenarioId: row.scenario_id,
      scenarioTitle: scenario?.title ?? row.scenario_id,
      locale: pack?.locale ?? 'en',
      partner,
      coach,
      recordedAt: manifest.recordedAt,
      durationSeconds: manifest.durationSeconds,
      publishedAt: review.published_at,
      decision: review.decision,
      overallScore,
      comments: comments.map((c) => ({ text: c.text, at: c.at, createdAt: c.createdAt })),
    },
  };
}
