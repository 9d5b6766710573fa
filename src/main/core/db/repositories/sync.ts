/** Per-attempt upload state for formal attempts going to the coach-review server. */
import type { Db, SubmissionStatusName, SyncStateName, SyncStateRow } from '../schema';

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

/** One formal submission in the outbox, with everything the uploader needs to resume. */
export interface OutboxRecord extends SyncRecord {
  includeRecording: boolean;
  manifestJson: string | null;
  uploadUrl: string | null;
  bytesSent: number;
  bytesTotal: number;
  tries: number;
  nextAttemptAt: string | null;
  queuedAt: string | null;
  remoteStatus: SubmissionStatusName | null;
  resultJson: string | null;
  lastPolledAt: string | null;
}

function toOutbox(row: SyncStateRow): OutboxRecord {
  return {
    attemptId: row.attempt_id,
    state: row.state,
    lastError: row.last_error,
    updatedAt: row.updated_at,
    remoteId: row.remote_id,
    includeRecording: row.include_recording === 1,
    manifestJson: row.manifest_json,
    uploadUrl: row.upload_url,
    bytesSent: row.bytes_sent,
    bytesTotal: row.bytes_total,
    tries: row.tries,
    nextAttemptAt: row.next_attempt_at,
    queuedAt: row.queued_at,
    remoteStatus: row.remote_status,
    resultJson: row.result_json,
    lastPolledAt: row.last_polled_at,
  };
}

/**
 * Makes an attempt formal and puts its manifest in the outbox, in one transaction (before any
 * network): practice deletion then never touches it, and a quit right after still uploads it.
 */
export async function queueSubmission(
  db: Db,
  input: { attemptId: string; includeRecording: boolean; manifestJson: string; bytesTotal: number },
): Promise<OutboxRecord> {
  const now = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('attempts')
      .set({ mode: 'formal', updated_at: now })
      .where('id', '=', input.attemptId)
      .execute();
    const values = {
      state: 'queued' as const,
      last_error: null,
      updated_at: now,
      include_recording: input.includeRecording ? 1 : 0,
      manifest_json: input.manifestJson,
      upload_url: null,
      bytes_sent: 0,
      bytes_total: input.bytesTotal,
      tries: 0,
      next_attempt_at: null,
      queued_at: now,
      remote_status: null,
      result_json: null,
      last_polled_at: null,
    };
    const row = await trx
      .insertInto('sync_state')
      .values({ attempt_id: input.attemptId, remote_id: null, ...values })
      .onConflict((oc) => oc.column('attempt_id').doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toOutbox(row);
  });
}

export interface OutboxPatch {
  state?: SyncStateName;
  lastError?: string | null;
  remoteId?: string | null;
  uploadUrl?: string | null;
  bytesSent?: number;
  tries?: number;
  nextAttemptAt?: string | null;
  remoteStatus?: SubmissionStatusName | null;
  resultJson?: string | null;
  lastPolledAt?: string | null;
}

export async function updateOutbox(
  db: Db,
  attemptId: string,
  patch: OutboxPatch,
): Promise<OutboxRecord | undefined> {
  const row = await db
    .updateTable('sync_state')
    .set({
      updated_at: new Date().toISOString(),
      ...(patch.state !== undefined && { state: patch.state }),
      ...(patch.lastError !== undefined && { last_error: patch.lastError }),
      ...(patch.remoteId !== undefined && { remote_id: patch.remoteId }),
      ...(patch.uploadUrl !== undefined && { upload_url: patch.uploadUrl }),
      ...(patch.bytesSent !== undefined && { bytes_sent: patch.bytesSent }),
      ...(patch.tries !== undefined && { tries: patch.tries }),
      ...(patch.nextAttemptAt !== undefined && { next_attempt_at: patch.nextAttemptAt }),
      ...(patch.remoteStatus !== undefined && { remote_status: patch.remoteStatus }),
      ...(patch.resultJson !== undefined && { result_json: patch.resultJson }),
      ...(patch.lastPolledAt !== undefined && { last_polled_at: patch.lastPolledAt }),
    })
    .where('attempt_id', '=', attemptId)
    .returningAll()
    .executeTakeFirst();
  return row && toOutbox(row);
}

export async function getOutboxEntry(db: Db, attemptId: string): Promise<OutboxRecord | undefined> {
  const row = await db
    .selectFrom('sync_state')
    .selectAll()
    .where('attempt_id', '=', attemptId)
    .executeTakeFirst();
  return row && toOutbox(row);
}

/** Formal submissions in the given states, oldest submission first. */
export async function listOutbox(db: Db, states: readonly SyncStateName[]): Promise<OutboxRecord[]> {
  if (states.length === 0) return [];
  const rows = await db
    .selectFrom('sync_state')
    .selectAll()
    .where('state', 'in', states)
    .where('manifest_json', 'is not', null)
    .orderBy('queued_at')
    .orderBy('attempt_id')
    .execute();
  return rows.map(toOutbox);
}

export async function countOutbox(db: Db): Promise<Record<SyncStateName, number>> {
  const rows = await db
    .selectFrom('sync_state')
    .select((eb) => ['state', eb.fn.countAll<number>().as('count')])
    .where('manifest_json', 'is not', null)
    .groupBy('state')
    .execute();
  const counts: Record<SyncStateName, number> = { queued: 0, uploading: 0, uploaded: 0, failed: 0 };
  for (const row of rows) counts[row.state] = Number(row.count);
  return counts;
}

/** Makes every failed submission due now (sync.retry, or after pairing again). */
export async function rescheduleFailed(db: Db): Promise<void> {
  await db
    .updateTable('sync_state')
    .set({ state: 'queued', next_attempt_at: null, tries: 0, updated_at: new Date().toISOString() })
    .where('state', '=', 'failed')
    .where('manifest_json', 'is not', null)
    .execute();
}

export interface SyncServerRecord {
  serverUrl: string;
  deviceName: string;
  pairedAt: string;
  lastContactAt: string | null;
  lastError: string | null;
}

export async function getSyncServer(db: Db): Promise<SyncServerRecord | undefined> {
  const row = await db.selectFrom('sync_server').selectAll().where('id', '=', 1).executeTakeFirst();
  return (
    row && {
      serverUrl: row.server_url,
      deviceName: row.device_name,
      pairedAt: row.paired_at,
      lastContactAt: row.last_contact_at,
      lastError: row.last_error,
    }
  );
}

export async function saveSyncServer(
  db: Db,
  input: { serverUrl: string; deviceName: string },
): Promise<void> {
  const now = new Date().toISOString();
  const values = {
    server_url: input.serverUrl,
    device_name: input.deviceName,
    paired_at: now,
    last_contact_at: now,
    last_error: null,
  };
  await db
    .insertInto('sync_server')
    .values({ id: 1, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

export async function clearSyncServer(db: Db): Promise<void> {
  await db.deleteFrom('sync_server').execute();
}

/** Records that the server answered (error null) or could not be reached / refused (error set). */
export async function noteServerContact(db: Db, error: string | null): Promise<void> {
  await db
    .updateTable('sync_server')
    .set(
      error === null
        ? { last_contact_at: new Date().toISOString(), last_error: null }
        : { last_error: error },
    )
    .where('id', '=', 1)
    .execute();
}
