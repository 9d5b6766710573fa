/**
 * Recording files, written crash-safely: bytes go to `tmp/<uuid>.part`, are fsynced, renamed into
 * `recordings/<attemptId>/<kind>.<ext>`, and only then is the row inserted. A crash therefore leaves
 * at most a temp file or a file without a row, never a row without a file; at the next open
 * sweepOrphans removes the temp file and moves the file without a row to quarantine.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError, isAppError } from '../../../shared/errors';
import { mapStorageError } from '../data-dir/storage-errors';
import type { DataPaths } from '../paths';
import { deleteAttempt as deleteAttemptRow, getAttempt } from '../db/repositories/attempts';
import {
  getRecording,
  insertRecording,
  listRecordings,
  type RecordingRecord,
} from '../db/repositories/recordings';
import type { Db, RecordingKind } from '../db/schema';
import { createLogger } from '../util/logger';
import {
  attemptFolderName,
  openFileInside,
  recordingRelativePath,
  resolveInside,
  type OpenedFile,
} from './recording-files';
import { sweepOrphans, type SweepReport } from './sweep-orphans';

const log = createLogger('recordings');

/** Bytes, or chunks from a stream (a Node Readable is an AsyncIterable of Buffers). */
export type RecordingData = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

export interface SaveRecordingInput {
  attemptId: string;
  kind: RecordingKind;
  /** e.g. `video/webm;codecs=vp9,opus`, `audio/wav`. */
  mime: string;
  data: RecordingData;
  signal?: AbortSignal;
}

export interface RecordingStore {
  /** Absolute path of the recordings folder. */
  readonly root: string;
  /** Writes the file crash-safely, then inserts its row. CONFLICT if the attempt already has this kind. */
  save(input: SaveRecordingInput): Promise<RecordingRecord>;
  /**
   * Moves a finished file that is already in the data folder (a capture) into place, without
   * copying it: fsync, rename, then the row. The file must be on the same file system.
   */
  adopt(input: {
    attemptId: string;
    kind: RecordingKind;
    mime: string;
    file: string;
  }): Promise<RecordingRecord>;
  get(recordingId: string): Promise<RecordingRecord | undefined>;
  list(attemptId?: string): Promise<RecordingRecord[]>;
  /** Absolute path for a stored relative path; FORBIDDEN if it would leave the recordings folder. */
  resolvePath(relativePath: string): string;
  /** A read stream (optionally a byte range, `end` inclusive) confined to the recordings folder. */
  openReadStream(relativePath: string, range?: { start?: number; end?: number }): fs.ReadStream;
  /**
   * Opens the file once (no symbolic link followed, a regular file inside the folder) for serving
   * it: what was checked is what is read. NOT_FOUND / FORBIDDEN otherwise. The caller closes it.
   */
  openFile(relativePath: string): Promise<OpenedFile>;
  /** Deletes the attempt row (cascading to its recordings and analysis), then its files. */
  deleteAttempt(attemptId: string): Promise<boolean>;
  /** Removes temp files, quarantines unreferenced files, drops rows whose file is gone. Run at open. */
  sweepOrphans(): Promise<SweepReport>;
}

async function* chunksOf(data: RecordingData): AsyncIterable<Uint8Array> {
  if (data instanceof Uint8Array) yield data;
  else yield* data;
}

async function writeAll(file: fsp.FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await file.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

/** fsync a directory so a rename in it survives a power cut (not possible on Windows; ignored there). */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function createRecordingStore(db: Db, paths: DataPaths): RecordingStore {
  const root = paths.recordings;

  async function writeTemp(
    data: RecordingData,
    signal: AbortSignal | undefined,
  ): Promise<{ tmp: string; bytes: number; sha256: string }> {
    const tmp = path.join(paths.tmp, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let bytes = 0;
    const handle = await fsp.open(tmp, 'wx', 0o644);
    try {
      for await (const chunk of chunksOf(data)) {
        if (signal?.aborted) throw new AppError('CANCELLED', 'Saving the recording was cancelled');
        await writeAll(handle, chunk);
        hash.update(chunk);
        bytes += chunk.byteLength;
      }
      await handle.sync();
      await handle.close();
    } catch (error) {
      await handle.close().catch(() => undefined);
      await fsp.rm(tmp, { force: true });
      throw error;
    }
    return { tmp, bytes, sha256: hash.digest('hex') };
  }

  async function checkFree(attemptId: string, kind: RecordingKind): Promise<void> {
    if (!(await getAttempt(db, attemptId))) throw new AppError('NOT_FOUND', `No attempt ${attemptId}`);
    const existing = await listRecordings(db, attemptId);
    if (existing.some((r) => r.kind === kind))
      throw new AppError('CONFLICT', `Attempt ${attemptId} already has a ${kind} recording`, {
        hint: 'Record a new attempt instead of replacing this one.',
      });
  }

  /** Renames a finished, fsynced file into place, then inserts its row (removing the file if that fails). */
  async function place(
    input: { attemptId: string; kind: RecordingKind; mime: string },
    file: { path: string; bytes: number; sha256: string },
  ): Promise<RecordingRecord> {
    const relativePath = recordingRelativePath(input.attemptId, input.kind, input.mime);
    const target = resolveInside(root, relativePath);
    try {
      await fsp.mkdir(path.dirname(target), { recursive: true });
      await fsp.rename(file.path, target);
      await syncDir(path.dirname(target));
    } catch (error) {
      throw mapStorageError(error, paths.dataDir);
    }
    try {
      return await insertRecording(db, {
        id: randomUUID(),
        attempt_id: input.attemptId,
        kind: input.kind,
        mime: input.mime,
        relative_path: relativePath,
        bytes: file.bytes,
        sha256: file.sha256,
        created_at: new Date().toISOString(),
      });
    } catch (error) {
      // No row, so the file must not stay either (the next sweep would remove it anyway).
      await fsp.rm(target, { force: true });
      throw isAppError(error) ? error : mapStorageError(error, paths.db);
    }
  }

  async function save(input: SaveRecordingInput): Promise<RecordingRecord> {
    recordingRelativePath(input.attemptId, input.kind, input.mime); // validates the id first
    await checkFree(input.attemptId, input.kind);
    let written: { tmp: string; bytes: number; sha256: string } | undefined;
    try {
      written = await writeTemp(input.data, input.signal);
    } catch (error) {
      throw isAppError(error) ? error : mapStorageError(error, paths.dataDir);
    }
    try {
      return await place(input, { path: written.tmp, bytes: written.bytes, sha256: written.sha256 });
    } finally {
      await fsp.rm(written.tmp, { force: true }).catch(() => undefined);
    }
  }

  async function adopt(input: {
    attemptId: string;
    kind: RecordingKind;
    mime: string;
    file: string;
  }): Promise<RecordingRecord> {
    recordingRelativePath(input.attemptId, input.kind, input.mime);
    await checkFree(input.attemptId, input.kind);
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      for await (const chunk of fs.createReadStream(input.file)) {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
      }
      const handle = await fsp.open(input.file, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw mapStorageError(error, paths.dataDir);
    }
    return place(input, { path: input.file, bytes, sha256: hash.digest('hex') });
  }

  function openReadStream(relativePath: string, range?: { start?: number; end?: number }): fs.ReadStream {
    return fs.createReadStream(resolveInside(root, relativePath), range);
  }

  async function deleteAttempt(attemptId: string): Promise<boolean> {
    const folder = attemptFolderName(attemptId);
    const source = folder === undefined ? undefined : path.join(root, folder);
    // The files leave recordings/ first, as a temp leftover: a crash after this step leaves
    // something the next start deletes, never an orphan that it would keep in quarantine.
    const trash = path.join(paths.tmp, `${randomUUID()}.part`);
    const moved =
      source !== undefined &&
      (await fsp.rename(source, trash).then(
        () => true,
        () => false,
      ));
    let deleted: boolean;
    try {
      deleted = await deleteAttemptRow(db, attemptId);
    } catch (error) {
      if (moved) await fsp.rename(trash, source).catch(() => undefined);
      throw error;
    }
    if (moved && !deleted) await fsp.rename(trash, source).catch(() => undefined); // not ours to delete
    if (moved && deleted) {
      try {
        await fsp.rm(trash, { recursive: true, force: true });
      } catch (error) {
        log.warn('could not delete recording files; the next start removes them', {
          attemptId,
          error: String(error),
        });
      }
    }
    return deleted;
  }

  return {
    root,
    save,
    adopt,
    get: (id) => getRecording(db, id),
    list: (attemptId) => listRecordings(db, attemptId),
    resolvePath: (relativePath) => resolveInside(root, relativePath),
    openReadStream,
    openFile: (relativePath) => openFileInside(root, relativePath),
    deleteAttempt,
    sweepOrphans: () => sweepOrphans(db, paths.dataDir),
  };
}
