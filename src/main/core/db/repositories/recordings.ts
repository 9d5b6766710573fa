/** Rows describing recording files; the files themselves are written by recordings/recording-store. */
import type { Db, NewRecordingRow, RecordingKind, RecordingRow } from '../schema';

export interface RecordingRecord {
  id: string;
  attemptId: string;
  kind: RecordingKind;
  mime: string;
  /** Relative to the recordings folder, "/"-separated. */
  relativePath: string;
  bytes: number;
  sha256: string;
  createdAt: string;
}

export function toRecording(row: RecordingRow): RecordingRecord {
  return {
    id: row.id,
    attemptId: row.attempt_id,
    kind: row.kind,
    mime: row.mime,
    relativePath: row.relative_path,
    bytes: row.bytes,
    sha256: row.sha256,
    createdAt: row.created_at,
  };
}

export async function insertRecording(db: Db, row: NewRecordingRow): Promise<RecordingRecord> {
  return toRecording(await db.insertInto('recordings').values(row).returningAll().executeTakeFirstOrThrow());
}

export async function getRecording(db: Db, recordingId: string): Promise<RecordingRecord | undefined> {
  const row = await db.selectFrom('recordings').selectAll().where('id', '=', recordingId).executeTakeFirst();
  return row && toRecording(row);
}

export async function listRecordings(db: Db, attemptId?: string): Promise<RecordingRecord[]> {
  let query = db.selectFrom('recordings').selectAll();
  if (attemptId !== undefined) query = query.where('attempt_id', '=', attemptId);
  return (await query.orderBy('attempt_id').orderBy('kind').execute()).map(toRecording);
}

export async function deleteRecordingRow(db: Db, recordingId: string): Promise<boolean> {
  const result = await db.deleteFrom('recordings').where('id', '=', recordingId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
