/** Attempts: one take of one scenario, practice or formal. */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { AppError } from '../../../../shared/errors';
import type { AttemptMode, AttemptRow, AttemptStatus, Db } from '../schema';

export interface AttemptRecord {
  id: string;
  programId: string;
  scenarioId: string;
  packVersion: string;
  mode: AttemptMode;
  status: AttemptStatus;
  createdAt: string;
  updatedAt: string;
  durationSeconds: number | null;
  note: string | null;
}

function toAttempt(row: AttemptRow): AttemptRecord {
  return {
    id: row.id,
    programId: row.program_id,
    scenarioId: row.scenario_id,
    packVersion: row.pack_version,
    mode: row.mode,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    durationSeconds: row.duration_seconds,
    note: row.note,
  };
}

export interface NewAttempt {
  programId: string;
  scenarioId: string;
  mode: AttemptMode;
  /** Defaults to 'recorded'. */
  status?: AttemptStatus;
  durationSeconds?: number | null;
  note?: string | null;
}

/** Creates an attempt against the program's current pack version; NOT_FOUND for an unknown scenario. */
export async function createAttempt(db: Db, input: NewAttempt): Promise<AttemptRecord> {
  const program = await db
    .selectFrom('scenarios')
    .innerJoin('programs', 'programs.id', 'scenarios.program_id')
    .select('programs.pack_version')
    .where('scenarios.program_id', '=', input.programId)
    .where('scenarios.id', '=', input.scenarioId)
    .executeTakeFirst();
  if (!program)
    throw new AppError('NOT_FOUND', `No scenario "${input.scenarioId}" in program "${input.programId}"`, {
      hint: 'Import the scenario pack first, or pick a scenario that `rehearse packs list` shows.',
    });
  const now = new Date().toISOString();
  const row = await db
    .insertInto('attempts')
    .values({
      id: randomUUID(),
      program_id: input.programId,
      scenario_id: input.scenarioId,
      pack_version: program.pack_version,
      mode: input.mode,
      status: input.status ?? 'recorded',
      created_at: now,
      updated_at: now,
      duration_seconds: input.durationSeconds ?? null,
      note: input.note ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAttempt(row);
}

export async function getAttempt(db: Db, attemptId: string): Promise<AttemptRecord | undefined> {
  const row = await db.selectFrom('attempts').selectAll().where('id', '=', attemptId).executeTakeFirst();
  return row && toAttempt(row);
}

export interface AttemptFilter {
  programId?: string;
  scenarioId?: string;
  mode?: AttemptMode;
  status?: AttemptStatus;
  limit?: number;
}

/** Newest first. */
export async function listAttempts(db: Db, filter: AttemptFilter = {}): Promise<AttemptRecord[]> {
  let query = db.selectFrom('attempts').selectAll();
  if (filter.programId !== undefined) query = query.where('program_id', '=', filter.programId);
  if (filter.scenarioId !== undefined) query = query.where('scenario_id', '=', filter.scenarioId);
  if (filter.mode !== undefined) query = query.where('mode', '=', filter.mode);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  query = query.orderBy('created_at', 'desc').orderBy(sql`rowid`, 'desc');
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.execute()).map(toAttempt);
}

async function update(
  db: Db,
  attemptId: string,
  values: { status?: AttemptStatus; duration_seconds?: number | null; note?: string | null },
): Promise<AttemptRecord> {
  const row = await db
    .updateTable('attempts')
    .set({ ...values, updated_at: new Date().toISOString() })
    .where('id', '=', attemptId)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `No attempt ${attemptId}`);
  return toAttempt(row);
}

export function updateAttemptStatus(
  db: Db,
  attemptId: string,
  status: AttemptStatus,
): Promise<AttemptRecord> {
  return update(db, attemptId, { status });
}

export function updateAttemptDetails(
  db: Db,
  attemptId: string,
  details: { durationSeconds?: number | null; note?: string | null },
): Promise<AttemptRecord> {
  const values: { duration_seconds?: number | null; note?: string | null } = {};
  if (details.durationSeconds !== undefined) values.duration_seconds = details.durationSeconds;
  if (details.note !== undefined) values.note = details.note;
  return update(db, attemptId, values);
}

/**
 * Deletes the attempt row; recordings, analysis and sync rows go with it (ON DELETE CASCADE).
 * The recording FILES are not touched: use RecordingStore.deleteAttempt for that.
 */
export async function deleteAttempt(db: Db, attemptId: string): Promise<boolean> {
  const result = await db.deleteFrom('attempts').where('id', '=', attemptId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
