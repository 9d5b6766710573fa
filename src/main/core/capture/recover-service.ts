/**
 * Re-imports recordings from the quarantine (`orphaned-recordings/`, see recordings/quarantine.ts)
 * as new practice attempts, noted as recovered, so they can be watched and analysed again. The
 * database that knew their scenario is gone, so the caller names the scenario.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { createAttempt, updateAttemptDetails } from '../db/repositories/attempts';
import {
  listQuarantine,
  quarantinedItemPath,
  recordingOfName,
  type QuarantinedItem,
} from '../recordings/quarantine';
import type { Store } from '../store';
import { createLogger } from '../util/logger';
import { findScenario, parseScenarioRef } from '../packs/packs-service';

const log = createLogger('recordings');

/** The note of an attempt made from a quarantined recording; the id follows it. */
export const RECOVERED_NOTE_PREFIX = 'recovered: re-imported from orphaned-recordings/';

const WAV_HEADER_BYTES = 44;
const PCM_BYTES_PER_SECOND = 16_000 * 2;

export function listQuarantinedRecordings(store: Store): Promise<QuarantinedItem[]> {
  return listQuarantine(store.paths);
}

export interface RecoveredAttempt {
  /** The quarantined item's id. */
  from: string;
  attemptId: string;
  recordings: Array<{ kind: string; mime: string; bytes: number }>;
}

/**
 * Turns one quarantined item into an attempt of `scenarioRef` (`scenario` or `program/scenario`):
 * its recording files (`video.*`, `audio.*`) are moved into the recordings folder. INVALID_INPUT
 * when the item holds no recording Rehearse can use (capture parts, foreign files); nothing moves.
 */
export async function recoverQuarantined(
  store: Store,
  id: string,
  scenarioRef: string,
): Promise<RecoveredAttempt> {
  const item = await quarantinedItemPath(store.paths, id);
  const { programId, scenario } = await findScenario(store, parseScenarioRef(scenarioRef));
  const names = item.isDirectory ? (await fsp.readdir(item.path)).sort() : [path.basename(item.path)];
  const files = names.flatMap((name) => {
    const recording = recordingOfName(name);
    const file = item.isDirectory ? path.join(item.path, name) : item.path;
    return recording ? [{ file, ...recording }] : [];
  });
  // One file per kind: the first of `video.webm`, `video-2.webm`… in name order.
  const byKind = new Map(files.reverse().map((f) => [f.kind, f]));
  if (byKind.size === 0)
    throw new AppError('INVALID_INPUT', `"${id}" holds no recording file Rehearse can import`, {
      hint: 'Only video.* and audio.* files are re-imported; the others stay where they are.',
    });

  const attempt = await createAttempt(store.db, {
    programId,
    scenarioId: scenario.id,
    mode: 'practice',
    note: `${RECOVERED_NOTE_PREFIX}${id}`,
  });
  const recordings: RecoveredAttempt['recordings'] = [];
  try {
    for (const f of byKind.values()) {
      const saved = await store.recordings.adopt({
        attemptId: attempt.id,
        kind: f.kind,
        mime: f.mime,
        file: f.file,
      });
      recordings.push({ kind: saved.kind, mime: saved.mime, bytes: saved.bytes });
      if (f.mime === 'audio/wav' && saved.bytes > WAV_HEADER_BYTES)
        await updateAttemptDetails(store.db, attempt.id, {
          durationSeconds: Math.round(((saved.bytes - WAV_HEADER_BYTES) / PCM_BYTES_PER_SECOND) * 10) / 10,
        });
    }
  } catch (error) {
    // Files already adopted are moved back, so a retry finds the item whole.
    for (const r of await store.recordings.list(attempt.id)) {
      const back = item.isDirectory ? path.join(item.path, path.basename(r.relativePath)) : item.path;
      await fsp.rename(store.recordings.resolvePath(r.relativePath), back).catch(() => undefined);
    }
    await store.recordings.deleteAttempt(attempt.id).catch(() => undefined);
    throw error;
  }
  if (item.isDirectory) await fsp.rmdir(item.path).catch(() => undefined); // only when emptied
  await fsp.rmdir(path.dirname(item.path)).catch(() => undefined); // the day's folder, if empty
  log.info('re-imported a quarantined recording', { from: id, attemptId: attempt.id });
  return { from: id, attemptId: attempt.id, recordings };
}
