/**
 * Recordings as they are captured. The recorder streams chunks while the partner speaks: video as
 * the browser's MediaRecorder bytes, audio as 16 kHz mono 16-bit PCM. Chunks are appended to
 * `captures/<attemptId>/<kind>.part` (fsynced per chunk), so a window closed or a crash mid-recording
 * loses at most the last chunk. The audio part is a WAV from the first byte (its header's sizes are
 * set when it is finished). Finishing moves the parts into the recordings folder by rename (no copy,
 * so it takes no extra disk space and no time for long recordings); at the next start, parts left
 * by a crash are recovered the same way.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { AttemptDetail, AttemptSummary } from '../../../shared/api/types';
import { AppError } from '../../../shared/errors';
import { getTranscript } from '../db/repositories/analysis';
import {
  createAttempt,
  deleteAttempt as deleteAttemptRow,
  getAttempt,
  listAttempts,
  updateAttemptDetails,
} from '../db/repositories/attempts';
import type { RecordingKind } from '../db/schema';
import { mapStorageError } from '../data-dir/storage-errors';
import { attemptFolderName } from '../recordings/recording-files';
import type { Store } from '../store';
import { createLogger } from '../util/logger';
import { makeWavHeader } from '../../ai/audio/wav-header';
import { moveToQuarantine } from '../recordings/quarantine';
import { getAttemptDetail, INTERRUPTED_NOTE, listAttemptSummaries } from '../attempts/attempts-service';

const log = createLogger('capture');

/** The audio the recorder sends: what whisper.cpp reads, so no conversion is needed. */
export const CAPTURE_SAMPLE_RATE = 16_000;
const PCM_BYTES_PER_SECOND = CAPTURE_SAMPLE_RATE * 2;
const WAV_HEADER_BYTES = 44;

interface CaptureMeta {
  mime: string;
}

function captureDir(store: Store, attemptId: string): string {
  const folder = attemptFolderName(attemptId);
  if (!folder) throw new AppError('INVALID_INPUT', `Not a valid attempt id: ${attemptId}`);
  return path.join(store.paths.captures, folder);
}

const partFile = (dir: string, kind: RecordingKind) => path.join(dir, `${kind}.part`);
const metaFile = (dir: string, kind: RecordingKind) => path.join(dir, `${kind}.json`);

/** A new practice attempt that will receive its recording through appendCapture. */
export async function createPracticeAttempt(
  store: Store,
  input: { programId: string; scenarioId: string },
): Promise<AttemptSummary> {
  const attempt = await createAttempt(store.db, { ...input, mode: 'practice' });
  const [summary] = await listAttemptSummaries(store, { ...input, limit: 1 });
  if (summary?.id !== attempt.id) throw new AppError('INTERNAL', 'The new attempt could not be read back');
  return summary;
}

async function requireCapturable(store: Store, attemptId: string): Promise<void> {
  const attempt = await getAttempt(store.db, attemptId);
  if (!attempt) throw new AppError('NOT_FOUND', `No attempt ${attemptId}`);
  if (attempt.status !== 'recorded' || (await store.recordings.list(attemptId)).length > 0)
    throw new AppError('CONFLICT', 'This attempt has already been recorded', {
      hint: 'Start a new attempt to record again.',
    });
}

async function sizeOf(file: string): Promise<number> {
  return (await fsp.stat(file).catch(() => undefined))?.size ?? 0;
}

/**
 * Appends a chunk at `offset`. A chunk that was already stored (a retry after a lost response) is
 * accepted without writing it twice; a gap is refused with the size stored so far.
 */
export async function appendCapture(
  store: Store,
  input: { attemptId: string; kind: RecordingKind; mime: string; offset: number; data: Uint8Array },
): Promise<{ bytes: number }> {
  await requireCapturable(store, input.attemptId);
  if (input.kind === 'audio' && !/^audio\/l16/i.test(input.mime))
    throw new AppError('INVALID_INPUT', `Audio must be 16 kHz mono PCM (audio/L16), not ${input.mime}`);
  const dir = captureDir(store, input.attemptId);
  const part = partFile(dir, input.kind);
  // The client counts PCM bytes; the audio part also holds the WAV header.
  const headerBytes = input.kind === 'audio' ? WAV_HEADER_BYTES : 0;
  try {
    await fsp.mkdir(dir, { recursive: true });
    const fileSize = await sizeOf(part);
    const size = Math.max(0, fileSize - headerBytes);
    if (input.offset + input.data.byteLength <= size) return { bytes: size };
    if (input.offset !== size)
      throw new AppError(
        'CONFLICT',
        `Chunk at byte ${input.offset} does not follow the ${size} bytes stored`,
        {
          hint: `Resend from byte ${size}.`,
        },
      );
    if (fileSize === 0) await fsp.writeFile(metaFile(dir, input.kind), JSON.stringify({ mime: input.mime }));
    const handle = await fsp.open(part, 'a');
    try {
      if (fileSize === 0 && headerBytes > 0)
        await writeFully(
          handle,
          makeWavHeader({ sampleRate: CAPTURE_SAMPLE_RATE, channels: 1, dataBytes: 0 }),
        );
      await writeFully(handle, input.data);
      await handle.sync();
    } catch (error) {
      // Whole chunks only: a chunk cut short (disk full) is taken back, so a retry fits exactly.
      await handle.truncate(fileSize).catch(() => undefined);
      throw error;
    } finally {
      await handle.close();
    }
    return { bytes: size + input.data.byteLength };
  } catch (error) {
    throw mapStorageError(error, store.dataDir);
  }
}

/** FileHandle.write may write less than asked (a filling disk): keep going until all is written. */
async function writeFully(handle: fsp.FileHandle, bytes: Uint8Array): Promise<void> {
  for (let done = 0; done < bytes.byteLength;) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.byteLength - done);
    done += bytesWritten;
  }
}

/** Sets the WAV header's sizes to the samples the audio part holds (dropping a torn last byte). */
async function sealWav(part: string): Promise<number> {
  const handle = await fsp.open(part, 'r+');
  try {
    const { size } = await handle.stat();
    const dataBytes = Math.max(0, size - WAV_HEADER_BYTES);
    const whole = dataBytes - (dataBytes % 2);
    if (whole !== dataBytes) await handle.truncate(WAV_HEADER_BYTES + whole);
    await handle.write(
      makeWavHeader({ sampleRate: CAPTURE_SAMPLE_RATE, channels: 1, dataBytes: whole }),
      0,
      WAV_HEADER_BYTES,
      0,
    );
    await handle.sync();
    return whole;
  } finally {
    await handle.close();
  }
}

/** Turns whatever parts exist into the attempt's recordings, then removes the capture folder. */
async function commitParts(store: Store, attemptId: string): Promise<RecordingKind[]> {
  const dir = captureDir(store, attemptId);
  const committed: RecordingKind[] = [];
  for (const kind of ['video', 'audio'] as const) {
    const part = partFile(dir, kind);
    if ((await sizeOf(part)) <= (kind === 'audio' ? WAV_HEADER_BYTES : 0)) continue;
    const meta = JSON.parse(await fsp.readFile(metaFile(dir, kind), 'utf8')) as CaptureMeta;
    if (kind === 'audio') await sealWav(part);
    await store.recordings.adopt({
      attemptId,
      kind,
      mime: kind === 'audio' ? 'audio/wav' : meta.mime,
      file: part,
    });
    committed.push(kind);
  }
  await fsp.rm(dir, { recursive: true, force: true });
  return committed;
}

export async function finishCapture(
  store: Store,
  attemptId: string,
  durationSeconds: number,
): Promise<AttemptDetail> {
  await requireCapturable(store, attemptId);
  const dir = captureDir(store, attemptId);
  const audioBytes = Math.max(0, (await sizeOf(partFile(dir, 'audio'))) - WAV_HEADER_BYTES);
  if ((await sizeOf(partFile(dir, 'video'))) + audioBytes === 0)
    throw new AppError('MEDIA_INVALID', 'Nothing was recorded', {
      hint: 'Check that the camera and microphone are allowed and working, then record again.',
    });
  await commitParts(store, attemptId);
  await updateAttemptDetails(store.db, attemptId, { durationSeconds: Math.round(durationSeconds * 10) / 10 });
  return getAttemptDetail(store, attemptId);
}

/** Discards an attempt that is being (or was just) recorded: its parts, files and row. */
export async function discardCapture(store: Store, attemptId: string): Promise<{ discarded: boolean }> {
  const attempt = await getAttempt(store.db, attemptId);
  if (attempt && attempt.status !== 'recorded')
    throw new AppError('CONFLICT', 'This attempt has been analysed; delete it from its review instead');
  await fsp.rm(captureDir(store, attemptId), { recursive: true, force: true });
  return { discarded: attempt ? await store.recordings.deleteAttempt(attemptId) : false };
}

/**
 * Run at open, before anything else can write: captures left by a crash or a closed window become
 * the attempt's recordings (marked interrupted); captures of deleted attempts are removed; practice
 * attempts that never received a byte are deleted. Returns the attempts recovered.
 */
export async function recoverCaptures(store: Store): Promise<string[]> {
  const recovered: string[] = [];
  const folders = await fsp.readdir(store.paths.captures).catch(() => [] as string[]);
  for (const folder of folders) {
    const attempt = await getAttempt(store.db, folder);
    if (!attempt) {
      // No row (an empty or replaced database): the parts are kept for `rehearse attempts recover`.
      await moveToQuarantine(store.paths, path.join(store.paths.captures, folder), [`capture-${folder}`]);
      continue;
    }
    const hasRecordings = (await store.recordings.list(folder)).length > 0;
    if (attempt.status !== 'recorded' || hasRecordings) {
      await fsp.rm(path.join(store.paths.captures, folder), { recursive: true, force: true });
      continue;
    }
    try {
      const dir = captureDir(store, folder);
      const audioBytes = Math.max(0, (await sizeOf(partFile(dir, 'audio'))) - WAV_HEADER_BYTES);
      const kinds = await commitParts(store, folder);
      if (kinds.length === 0) continue; // nothing captured: the empty-attempt sweep below removes it
      await updateAttemptDetails(store.db, folder, {
        note: INTERRUPTED_NOTE,
        ...(audioBytes > 0
          ? { durationSeconds: Math.round((audioBytes / PCM_BYTES_PER_SECOND) * 10) / 10 }
          : {}),
      });
      recovered.push(folder);
    } catch (error) {
      log.warn('could not recover an interrupted recording; its parts are kept', {
        attemptId: folder,
        error: String(error),
      });
    }
  }
  for (const attempt of await listAttempts(store.db, { mode: 'practice', status: 'recorded' })) {
    if (recovered.includes(attempt.id)) continue;
    const empty =
      (await store.recordings.list(attempt.id)).length === 0 &&
      !(await getTranscript(store.db, attempt.id)) &&
      !(await fsp.stat(captureDir(store, attempt.id)).catch(() => undefined));
    if (empty) await deleteAttemptRow(store.db, attempt.id);
  }
  return recovered;
}
