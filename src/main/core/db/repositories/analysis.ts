/**
 * What the analysis pipeline produces for an attempt (transcript, delivery metrics, judgments,
 * scores, feedback) and where it stands (pipeline_stages), so a crash or cancel resumes instead of
 * redoing finished stages. Every save is an upsert: re-running a stage replaces its output.
 */
import { sql } from 'kysely';
import type { DeliveryMetrics } from '../../../../shared/metrics/delivery-metrics-types';
import type { Judgment, JudgeName } from '../../../../shared/analysis/judgment';
import type { Transcript } from '../../../../shared/transcript/transcript';
import type { Db, ScoreSource, StageStatus } from '../schema';

const now = () => new Date().toISOString();

export async function saveTranscript(db: Db, attemptId: string, transcript: Transcript): Promise<void> {
  const values = { source: transcript.source, json: JSON.stringify(transcript), created_at: now() };
  await db
    .insertInto('transcripts')
    .values({ attempt_id: attemptId, ...values })
    .onConflict((oc) => oc.column('attempt_id').doUpdateSet({ source: values.source, json: values.json }))
    .execute();
}

export async function getTranscript(db: Db, attemptId: string): Promise<Transcript | undefined> {
  const row = await db
    .selectFrom('transcripts')
    .select('json')
    .where('attempt_id', '=', attemptId)
    .executeTakeFirst();
  return row && (JSON.parse(row.json) as Transcript);
}

export async function saveMetrics(db: Db, attemptId: string, metrics: DeliveryMetrics): Promise<void> {
  const json = JSON.stringify(metrics);
  await db
    .insertInto('metrics')
    .values({ attempt_id: attemptId, json, created_at: now() })
    .onConflict((oc) => oc.column('attempt_id').doUpdateSet({ json }))
    .execute();
}

export async function getMetrics(db: Db, attemptId: string): Promise<DeliveryMetrics | undefined> {
  const row = await db
    .selectFrom('metrics')
    .select('json')
    .where('attempt_id', '=', attemptId)
    .executeTakeFirst();
  return row && (JSON.parse(row.json) as DeliveryMetrics);
}

export async function saveJudgment(db: Db, attemptId: string, judgment: Judgment): Promise<void> {
  const values = { model: judgment.model ?? null, json: JSON.stringify(judgment) };
  await db
    .insertInto('judgments')
    .values({ attempt_id: attemptId, judge: judgment.judge, created_at: now(), ...values })
    .onConflict((oc) => oc.columns(['attempt_id', 'judge']).doUpdateSet(values))
    .execute();
}

export async function getJudgment(
  db: Db,
  attemptId: string,
  judge: JudgeName,
): Promise<Judgment | undefined> {
  const row = await db
    .selectFrom('judgments')
    .select('json')
    .where('attempt_id', '=', attemptId)
    .where('judge', '=', judge)
    .executeTakeFirst();
  return row && (JSON.parse(row.json) as Judgment);
}

export async function listJudgments(db: Db, attemptId: string): Promise<Judgment[]> {
  const rows = await db
    .selectFrom('judgments')
    .select('json')
    .where('attempt_id', '=', attemptId)
    .orderBy('judge')
    .execute();
  return rows.map((r) => JSON.parse(r.json) as Judgment);
}

export interface CriterionScore {
  criterionId: string;
  /** 0..1 before weighting; null when not judged. */
  score: number | null;
  level: number | null;
  met: boolean | null;
}

export interface StoredScore extends CriterionScore {
  source: ScoreSource;
}

/** Replaces all scores of one source (the AI's or the coach's) for an attempt, in one transaction. */
export async function saveScores(
  db: Db,
  attemptId: string,
  source: ScoreSource,
  scores: readonly CriterionScore[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('scores').where('attempt_id', '=', attemptId).where('source', '=', source).execute();
    if (scores.length === 0) return;
    await trx
      .insertInto('scores')
      .values(
        scores.map((s) => ({
          attempt_id: attemptId,
          criterion_id: s.criterionId,
          source,
          score: s.score,
          level: s.level,
          met: s.met === null ? null : s.met ? 1 : 0,
        })),
      )
      .execute();
  });
}

export async function getScores(db: Db, attemptId: string, source?: ScoreSource): Promise<StoredScore[]> {
  let query = db.selectFrom('scores').selectAll().where('attempt_id', '=', attemptId);
  if (source !== undefined) query = query.where('source', '=', source);
  const rows = await query.orderBy('source').orderBy('criterion_id').execute();
  return rows.map((r) => ({
    criterionId: r.criterion_id,
    source: r.source,
    score: r.score,
    level: r.level,
    met: r.met === null ? null : r.met === 1,
  }));
}

/** Feedback is stored as given; its shape belongs to the feedback stage. */
export async function saveFeedback(db: Db, attemptId: string, feedback: unknown): Promise<void> {
  const json = JSON.stringify(feedback);
  await db
    .insertInto('feedback')
    .values({ attempt_id: attemptId, json, created_at: now() })
    .onConflict((oc) => oc.column('attempt_id').doUpdateSet({ json }))
    .execute();
}

export async function getFeedback<T = unknown>(db: Db, attemptId: string): Promise<T | undefined> {
  const row = await db
    .selectFrom('feedback')
    .select('json')
    .where('attempt_id', '=', attemptId)
    .executeTakeFirst();
  return row && (JSON.parse(row.json) as T);
}

export interface StageRecord {
  stage: string;
  status: StageStatus;
  error: string | null;
  updatedAt: string;
}

export async function setStage(
  db: Db,
  attemptId: string,
  stage: string,
  status: StageStatus,
  error: string | null = null,
): Promise<void> {
  const values = { status, error, updated_at: now() };
  await db
    .insertInto('pipeline_stages')
    .values({ attempt_id: attemptId, stage, ...values })
    .onConflict((oc) => oc.columns(['attempt_id', 'stage']).doUpdateSet(values))
    .execute();
}

/** In the order each stage was first recorded. */
export async function getStages(db: Db, attemptId: string): Promise<StageRecord[]> {
  const rows = await db
    .selectFrom('pipeline_stages')
    .selectAll()
    .where('attempt_id', '=', attemptId)
    .orderBy(sql`rowid`)
    .execute();
  return rows.map((r) => ({ stage: r.stage, status: r.status, error: r.error, updatedAt: r.updated_at }));
}

/** Removes every analysis output and stage of an attempt (to re-analyse from scratch). Coach scores stay. */
export async function clearAnalysis(db: Db, attemptId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const table of ['transcripts', 'metrics', 'judgments', 'feedback', 'pipeline_stages'] as const)
      await trx.deleteFrom(table).where('attempt_id', '=', attemptId).execute();
    await trx.deleteFrom('scores').where('attempt_id', '=', attemptId).where('source', '=', 'ai').execute();
  });
}
