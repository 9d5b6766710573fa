/** Per-attempt upload state for formal attempts going to the coach-review server. */
import type { Db, SyncStateName } from '../schema';

export interface SyncRecord {
  attemptId: string;
  state: SyncStateName;
  lastError: string | null;
  updatedAt: string;
  remoteId: string | null;
}

export async function setSyncState(
  db: Db,
  attemptId: string,
  state: SyncStateName,
  details: { lastError?: string | null; remoteId?: string | null } = {},
): Promise<SyncRecord> {
  const values = {
    state,
    last_error: details.lastError ?? null,
    updated_at: new Date().toISOString(),
    ...(details.remoteId !== undefined && { remote_id: details.remoteId }),
  };
  const row = await db
    .insertInto('sync_state')
    .values({ attempt_id: attemptId, remote_id: null, ...values })
    .onConflict((oc) => oc.column('attempt_id').doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow();
  return {
    attemptId: row.attempt_id,
    state: row.state,
    lastError: row.last_error,
    updatedAt: row.updated_at,
    remoteId: row.remote_id,
  };
}

/** Queues an attempt for upload (again, if it failed before). */
export function enqueueSync(db: Db, attemptId: string): Promise<SyncRecord> {
  return setSyncState(db, attemptId, 'queued');
}

export async function getSyncState(db: Db, attemptId: string): Promise<SyncRecord | undefined> {
  const rows = await listSyncStates(db, { attemptId });
  return rows[0];
}

/** Oldest change first, so the uploader works through the queue in order. */
export async function listSyncStates(
  db: Db,
  filter: { states?: readonly SyncStateName[]; attemptId?: string } = {},
): Promise<SyncRecord[]> {
  let query = db.selectFrom('sync_state').selectAll();
  if (filter.states !== undefined && filter.states.length > 0)
    query = query.where('state', 'in', filter.states);
  if (filter.attemptId !== undefined) query = query.where('attempt_id', '=', filter.attemptId);
  const rows = await query.orderBy('updated_at').orderBy('attempt_id').execute();
  return rows.map((row) => ({
    attemptId: row.attempt_id,
    state: row.state,
    lastError: row.last_error,
    updatedAt: row.updated_at,
    remoteId: row.remote_id,
  }));
}
