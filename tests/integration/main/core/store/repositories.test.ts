import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../../src/main/core/db/open-database';
import {
  getProgram,
  getScenario,
  listPrograms,
  listScenarios,
  upsertProgramWithScenarios,
} from '../../../../../src/main/core/db/repositories/programs';
import {
  createAttempt,
  deleteAttempt,
  getAttempt,
  listAttempts,
  updateAttemptDetails,
  updateAttemptStatus,
} from '../../../../../src/main/core/db/repositories/attempts';
import {
  clearAnalysis,
  getFeedback,
  getJudgment,
  getMetrics,
  getScores,
  getStages,
  getTranscript,
  listJudgments,
  saveFeedback,
  saveJudgment,
  saveMetrics,
  saveScores,
  saveTranscript,
  setStage,
} from '../../../../../src/main/core/db/repositories/analysis';
import {
  enqueueSync,
  getSyncState,
  listSyncStates,
  setSyncState,
} from '../../../../../src/main/core/db/repositories/sync';
import { insertRecording, listRecordings } from '../../../../../src/main/core/db/repositories/recordings';
import type { Transcript } from '../../../../../src/shared/transcript/transcript';
import type { Judgment } from '../../../../../src/shared/analysis/judgment';
import type { DeliveryMetrics } from '../../../../../src/shared/metrics/delivery-metrics-types';
import { samplePack } from './fixtures/sample-pack';
import { makeTempDir } from './helpers';

let dir: string;
let db: Db;

beforeEach(async () => {
  dir = makeTempDir();
  db = await openDatabase(path.join(dir, 'rehearse.sqlite'));
});

afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const importSample = (options?: Parameters<typeof samplePack>[0]) =>
  upsertProgramWithScenarios(db, {
    pack: samplePack(options),
    packSha256: 'a'.repeat(64),
    sourcePath: '/packs/acme',
  });

const newAttempt = (mode: 'practice' | 'formal' = 'practice', scenarioId = 'elevator-pitch') =>
  createAttempt(db, { programId: 'acme-cert', scenarioId, mode });

describe('database settings', () => {
  it('runs in WAL mode with foreign keys on', async () => {
    const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
    expect(journal.rows[0]?.journal_mode).toBe('wal');
    expect(fk.rows[0]?.foreign_keys).toBe(1);
  });

  it('reopens an existing database without re-running migrations', async () => {
    await importSample();
    await db.destroy();
    db = await openDatabase(path.join(dir, 'rehearse.sqlite'));
    expect((await listPrograms(db)).map((p) => p.id)).toEqual(['acme-cert']);
  });
});

describe('programs and scenarios', () => {
  it('imports a pack and reads it back', async () => {
    const program = await importSample();
    expect(program).toMatchObject({
      id: 'acme-cert',
      vendor: 'Acme',
      packVersion: '1.0.0',
      sourcePath: '/packs/acme',
    });
    const full = await getProgram(db, 'acme-cert');
    expect(full?.pack).toEqual(samplePack());
    const scenarios = await listScenarios(db, 'acme-cert');
    expect(scenarios.map((s) => [s.id, s.position])).toEqual([
      ['elevator-pitch', 0],
      ['price-objection', 1],
    ]);
    expect((await getScenario(db, 'acme-cert', 'price-objection'))?.scenario).toEqual(
      samplePack().scenarios[1],
    );
    expect(await getScenario(db, 'acme-cert', 'nope')).toBeUndefined();
  });

  it('re-import replaces the scenarios, keeps imported_at and the attempts of dropped scenarios', async () => {
    const first = await importSample();
    const attempt = await newAttempt('practice', 'price-objection');
    const second = await importSample({
      version: '1.1.0',
      scenarioIds: ['elevator-pitch', 'discovery-call'],
    });
    expect(second.importedAt).toBe(first.importedAt);
    expect(second.packVersion).toBe('1.1.0');
    expect((await listScenarios(db)).map((s) => s.id)).toEqual(['elevator-pitch', 'discovery-call']);
    expect(await getAttempt(db, attempt.id)).toMatchObject({
      scenarioId: 'price-objection',
      packVersion: '1.0.0',
    });
  });

  it('lists programs of several packs', async () => {
    await importSample();
    await importSample({ programId: 'beta-cert' });
    expect((await listPrograms(db)).map((p) => p.id)).toEqual(['acme-cert', 'beta-cert']);
    expect(await listScenarios(db)).toHaveLength(4);
  });
});

describe('attempts', () => {
  beforeEach(async () => {
    await importSample();
  });

  it('creates an attempt with the current pack version', async () => {
    const attempt = await newAttempt('formal');
    expect(attempt).toMatchObject({
      programId: 'acme-cert',
      mode: 'formal',
      status: 'recorded',
      packVersion: '1.0.0',
    });
    expect(attempt.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await getAttempt(db, attempt.id)).toEqual(attempt);
  });

  it('refuses an attempt on an unknown scenario', async () => {
    await expect(newAttempt('practice', 'unknown')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists newest first and filters', async () => {
    const a = await newAttempt('practice');
    const b = await newAttempt('formal');
    const c = await newAttempt('practice', 'price-objection');
    expect((await listAttempts(db)).map((x) => x.id)).toEqual([c.id, b.id, a.id]);
    expect((await listAttempts(db, { mode: 'practice' })).map((x) => x.id)).toEqual([c.id, a.id]);
    expect((await listAttempts(db, { scenarioId: 'elevator-pitch' })).map((x) => x.id)).toEqual([b.id, a.id]);
    expect((await listAttempts(db, { limit: 1 })).map((x) => x.id)).toEqual([c.id]);
    expect(await listAttempts(db, { programId: 'other' })).toEqual([]);
  });

  it('updates status and details', async () => {
    const a = await newAttempt();
    expect((await updateAttemptStatus(db, a.id, 'analysing')).status).toBe('analysing');
    const updated = await updateAttemptDetails(db, a.id, { durationSeconds: 93.5, note: 'second try' });
    expect(updated).toMatchObject({ status: 'analysing', durationSeconds: 93.5, note: 'second try' });
    expect((await listAttempts(db, { status: 'analysing' })).map((x) => x.id)).toEqual([a.id]);
    await expect(updateAttemptStatus(db, 'missing', 'failed')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('deleting an attempt cascades to every table that refers to it', async () => {
    const a = await newAttempt();
    const keep = await newAttempt();
    for (const id of [a.id, keep.id]) {
      await insertRecording(db, {
        id: `rec-${id}`,
        attempt_id: id,
        kind: 'video',
        mime: 'video/webm',
        relative_path: `${id}/video.webm`,
        bytes: 1,
        sha256: '0'.repeat(64),
        created_at: new Date().toISOString(),
      });
      await saveTranscript(db, id, transcript);
      await saveMetrics(db, id, metrics);
      await saveJudgment(db, id, judgment);
      await saveScores(db, id, 'ai', [{ criterionId: 'value', score: 1, level: null, met: true }]);
      await saveFeedback(db, id, { summary: 'ok' });
      await setStage(db, id, 'transcribe', 'done');
      await enqueueSync(db, id);
    }
    expect(await deleteAttempt(db, a.id)).toBe(true);
    expect(await deleteAttempt(db, a.id)).toBe(false);
    for (const table of [
      'recordings',
      'transcripts',
      'metrics',
      'judgments',
      'scores',
      'feedback',
      'pipeline_stages',
      'sync_state',
    ] as const) {
      const rows = await db.selectFrom(table).select('attempt_id').execute();
      expect(
        rows.map((r) => r.attempt_id),
        table,
      ).toEqual([keep.id]);
    }
  });
});

const transcript: Transcript = {
  language: 'en',
  durationSeconds: 2,
  source: 'whisper.cpp test',
  segments: [{ start: 0, end: 2, text: 'It saves you hours.', words: [{ text: 'It', start: 0, end: 0.3 }] }],
};

const metrics = { durationSeconds: 2, wordCount: 4, wordsPerMinute: 120 } as DeliveryMetrics;

const judgment: Judgment = {
  judge: 'llm',
  model: 'qwen2.5-1.5b-instruct-q4_k_m',
  verdicts: [
    {
      criterionId: 'value',
      met: true,
      level: null,
      score: 1,
      evidence: [{ quote: 'saves you hours', start: 0.3, end: 1.5 }],
      rationale: 'You named the value.',
      judge: 'llm',
    },
  ],
  notes: [],
};

describe('analysis', () => {
  let attemptId: string;
  beforeEach(async () => {
    await importSample();
    attemptId = (await newAttempt()).id;
  });

  it('saves and reads every analysis output, replacing on re-save', async () => {
    expect(await getTranscript(db, attemptId)).toBeUndefined();
    await saveTranscript(db, attemptId, transcript);
    await saveTranscript(db, attemptId, { ...transcript, durationSeconds: 3 });
    expect(await getTranscript(db, attemptId)).toEqual({ ...transcript, durationSeconds: 3 });

    await saveMetrics(db, attemptId, metrics);
    expect(await getMetrics(db, attemptId)).toEqual(metrics);

    await saveJudgment(db, attemptId, judgment);
    await saveJudgment(db, attemptId, { judge: 'deterministic', verdicts: [], notes: ['n'] });
    expect(await getJudgment(db, attemptId, 'llm')).toEqual(judgment);
    expect((await listJudgments(db, attemptId)).map((j) => j.judge)).toEqual(['deterministic', 'llm']);
    const row = await db
      .selectFrom('judgments')
      .select('model')
      .where('judge', '=', 'llm')
      .executeTakeFirst();
    expect(row?.model).toBe('qwen2.5-1.5b-instruct-q4_k_m');

    await saveFeedback(db, attemptId, { summary: 'Good pace' });
    expect(await getFeedback(db, attemptId)).toEqual({ summary: 'Good pace' });
  });

  it('keeps AI and coach scores apart and replaces one source at a time', async () => {
    await saveScores(db, attemptId, 'ai', [
      { criterionId: 'value', score: 1, level: null, met: true },
      { criterionId: 'clarity', score: 0.5, level: 3, met: null },
    ]);
    await saveScores(db, attemptId, 'coach', [{ criterionId: 'value', score: 0, level: null, met: false }]);
    await saveScores(db, attemptId, 'ai', [{ criterionId: 'value', score: 0.75, level: 4, met: true }]);
    expect(await getScores(db, attemptId)).toEqual([
      { criterionId: 'value', source: 'ai', score: 0.75, level: 4, met: true },
      { criterionId: 'value', source: 'coach', score: 0, level: null, met: false },
    ]);
    expect(await getScores(db, attemptId, 'coach')).toHaveLength(1);
  });

  it('records pipeline stages so analysis can resume, and clears them', async () => {
    await setStage(db, attemptId, 'transcribe', 'running');
    await setStage(db, attemptId, 'transcribe', 'done');
    await setStage(db, attemptId, 'judge', 'failed', 'model crashed');
    const stages = await getStages(db, attemptId);
    expect(stages.map((s) => [s.stage, s.status, s.error])).toEqual([
      ['transcribe', 'done', null],
      ['judge', 'failed', 'model crashed'],
    ]);
    await saveTranscript(db, attemptId, transcript);
    await saveScores(db, attemptId, 'coach', [{ criterionId: 'value', score: 1, level: null, met: true }]);
    await saveScores(db, attemptId, 'ai', [{ criterionId: 'value', score: 1, level: null, met: true }]);
    await clearAnalysis(db, attemptId);
    expect(await getStages(db, attemptId)).toEqual([]);
    expect(await getTranscript(db, attemptId)).toBeUndefined();
    expect((await getScores(db, attemptId)).map((s) => s.source)).toEqual(['coach']);
  });

  it('refuses analysis rows for an attempt that does not exist (foreign keys)', async () => {
    await expect(saveTranscript(db, 'no-such-attempt', transcript)).rejects.toThrow(/FOREIGN KEY/);
  });
});

describe('sync state', () => {
  it('queues, updates and lists by state', async () => {
    await importSample();
    const a = await newAttempt('formal');
    const b = await newAttempt('formal');
    await enqueueSync(db, a.id);
    await enqueueSync(db, b.id);
    await setSyncState(db, a.id, 'uploading');
    await setSyncState(db, a.id, 'uploaded', { remoteId: 'srv-1' });
    await setSyncState(db, b.id, 'failed', { lastError: 'server unreachable' });
    expect(await getSyncState(db, a.id)).toMatchObject({
      state: 'uploaded',
      remoteId: 'srv-1',
      lastError: null,
    });
    expect((await listSyncStates(db, { states: ['failed', 'queued'] })).map((s) => s.attemptId)).toEqual([
      b.id,
    ]);
    // Re-queueing keeps the remote id already assigned.
    await enqueueSync(db, a.id);
    expect(await getSyncState(db, a.id)).toMatchObject({ state: 'queued', remoteId: 'srv-1' });
    expect(await getSyncState(db, 'missing')).toBeUndefined();
  });
});

describe('recording rows', () => {
  it('enforces one recording per kind per attempt', async () => {
    await importSample();
    const a = await newAttempt();
    const row = {
      attempt_id: a.id,
      kind: 'video' as const,
      mime: 'video/webm',
      bytes: 1,
      sha256: '0'.repeat(64),
      created_at: new Date().toISOString(),
    };
    await insertRecording(db, { ...row, id: 'r1', relative_path: `${a.id}/video.webm` });
    await expect(
      insertRecording(db, { ...row, id: 'r2', relative_path: `${a.id}/video2.webm` }),
    ).rejects.toThrow(/UNIQUE/);
    expect(await listRecordings(db, a.id)).toHaveLength(1);
  });
});
