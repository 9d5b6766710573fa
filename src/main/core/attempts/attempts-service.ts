/** Attempts as the app, the CLI and `rehearse serve` see them: list, show, delete, export. */
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { AttemptDetail, AttemptSummary } from '../../../shared/api/types';
import type { Feedback } from '../../../shared/analysis/feedback';
import { AppError } from '../../../shared/errors';
import { getFeedback, getJudgment, getMetrics, getStages, getTranscript } from '../db/repositories/analysis';
import {
  getAttempt,
  listAttempts,
  type AttemptFilter,
  type AttemptRecord,
} from '../db/repositories/attempts';
import { getOutboxEntry } from '../db/repositories/sync';
import type { Store } from '../store';
import { storedResult, toAttemptSync } from '../sync/attempt-sync';
import { mapStorageError } from '../data-dir/storage-errors';

/** The note an attempt carries when its recording was recovered after the app stopped mid-recording. */
export const INTERRUPTED_NOTE = 'interrupted: the app stopped during recording; what was captured was kept';

async function summarise(store: Store, attempt: AttemptRecord): Promise<AttemptSummary> {
  const feedback = await getFeedback<Feedback>(store.db, attempt.id);
  return {
    id: attempt.id,
    programId: attempt.programId,
    scenarioId: attempt.scenarioId,
    packVersion: attempt.packVersion,
    mode: attempt.mode,
    status: attempt.status,
    createdAt: attempt.createdAt,
    durationSeconds: attempt.durationSeconds,
    score: feedback?.score ?? null,
    passed: feedback?.passed ?? null,
  };
}

export async function listAttemptSummaries(
  store: Store,
  filter: AttemptFilter = {},
): Promise<AttemptSummary[]> {
  const attempts = await listAttempts(store.db, filter);
  return Promise.all(attempts.map((a) => summarise(store, a)));
}

/** Accepts a full id or a unique prefix of at least 6 characters (as printed by `attempts list`). */
export async function resolveAttemptId(store: Store, idOrPrefix: string): Promise<string> {
  if (await getAttempt(store.db, idOrPrefix)) return idOrPrefix;
  if (idOrPrefix.length >= 6) {
    const matches = (await listAttempts(store.db)).filter((a) => a.id.startsWith(idOrPrefix));
    if (matches.length === 1 && matches[0]) return matches[0].id;
    if (matches.length > 1)
      throw new AppError('CONFLICT', `Attempt id prefix "${idOrPrefix}" matches ${matches.length} attempts`, {
        hint: 'Give more characters of the id.',
      });
  }
  throw new AppError('NOT_FOUND', `No attempt "${idOrPrefix}"`, { hint: 'See `rehearse attempts list`.' });
}

export async function getAttemptDetail(store: Store, attemptId: string): Promise<AttemptDetail> {
  const id = await resolveAttemptId(store, attemptId);
  const attempt = await getAttempt(store.db, id);
  if (!attempt) throw new AppError('NOT_FOUND', `No attempt "${attemptId}"`);
  const [summary, recordings, stages, transcript, feedback, outbox] = await Promise.all([
    summarise(store, attempt),
    store.recordings.list(id),
    getStages(store.db, id),
    getTranscript(store.db, id),
    getFeedback<Feedback>(store.db, id),
    getOutboxEntry(store.db, id),
  ]);
  const submitted = outbox?.manifestJson ? outbox : undefined;
  return {
    ...summary,
    recordings: recordings.map((r) => ({
      id: r.id,
      kind: r.kind,
      mime: r.mime,
      bytes: r.bytes,
      sha256: r.sha256,
    })),
    stages: stages.map((s) => ({ stage: s.stage, status: s.status, error: s.error, updatedAt: s.updatedAt })),
    hasTranscript: transcript !== undefined,
    feedback: feedback ?? null,
    interrupted: attempt.note === INTERRUPTED_NOTE,
    sync: submitted ? toAttemptSync(submitted) : null,
    result: storedResult(submitted),
  };
}

export async function deleteAttempt(store: Store, attemptId: string): Promise<{ deleted: boolean }> {
  const id = await resolveAttemptId(store, attemptId);
  return { deleted: await store.recordings.deleteAttempt(id) };
}

export interface ExportProgress {
  bytesDone: number;
  bytesTotal: number;
  file: string;
}

/**
 * Writes `<outDir>/rehearse-attempt-<id>/` with attempt.json (attempt, transcript, metrics,
 * judgments, feedback) and copies of its recordings. Built in a hidden temporary folder and renamed
 * at the end, so an interrupted export never leaves a half-written folder under the final name.
 */
export async function exportAttempt(
  store: Store,
  attemptId: string,
  outDir: string,
  options: { onProgress?: (p: ExportProgress) => void; signal?: AbortSignal } = {},
): Promise<{ folder: string; files: string[]; bytes: number }> {
  const id = await resolveAttemptId(store, attemptId);
  const detail = await getAttemptDetail(store, id);
  const target = path.resolve(outDir, `rehearse-attempt-${id}`);
  const staging = path.resolve(outDir, `.rehearse-attempt-${id}.partial`);
  if (await fs.stat(target).catch(() => undefined))
    throw new AppError('CONFLICT', `${target} already exists`, {
      hint: 'Remove it or export to another folder (--out).',
    });

  const recordings = await store.recordings.list(id);
  const bytesTotal = recordings.reduce((sum, r) => sum + r.bytes, 0);
  let bytesDone = 0;
  try {
    await fs.rm(staging, { recursive: true, force: true });
    await fs.mkdir(staging, { recursive: true });
    const files: string[] = [];
    for (const r of recordings) {
      const name = `${r.kind}${path.extname(r.relativePath)}`;
      const source = createReadStream(store.recordings.resolvePath(r.relativePath));
      source.on('data', (chunk) => {
        bytesDone += chunk.length;
        options.onProgress?.({ bytesDone, bytesTotal, file: name });
      });
      await pipeline(source, createWriteStream(path.join(staging, name)), { signal: options.signal });
      files.push(name);
    }
    const [transcript, metrics, deterministic, llm] = await Promise.all([
      getTranscript(store.db, id),
      getMetrics(store.db, id),
      getJudgment(store.db, id, 'deterministic'),
      getJudgment(store.db, id, 'llm'),
    ]);
    const document = {
      format: 'rehearse-attempt-export/1',
      exportedAt: new Date().toISOString(),
      attempt: detail,
      transcript: transcript ?? null,
      metrics: metrics ?? null,
      judgments: [deterministic, llm].filter(Boolean),
      feedback: detail.feedback,
      files,
    };
    await fs.writeFile(path.join(staging, 'attempt.json'), `${JSON.stringify(document, null, 2)}\n`);
    files.unshift('attempt.json');
    await fs.rename(staging, target);
    return { folder: target, files, bytes: bytesTotal };
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    if (options.signal?.aborted) throw new AppError('CANCELLED', 'Export cancelled');
    throw mapStorageError(error, outDir);
  }
}
