/**
 * A process that dies mid-analysis (kill -9, a crash, a power cut) leaves the attempt 'analysing'
 * and a stage 'running' in the store. The next open must not show it as being analysed forever:
 * the interrupted stage is marked failed with a message saying so, and analysing again resumes and
 * completes.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiOutputs, ApiResult } from '../../../../../src/shared/api/contract';
import { createDeterministicJudge } from '../../../../../src/main/ai/judges/deterministic';
import { openCore, type Core } from '../../../../../src/main/core/core';
import { getStages } from '../../../../../src/main/core/db/repositories/analysis';
import { getAttempt } from '../../../../../src/main/core/db/repositories/attempts';
import { analyzeAttempt, type StageEvent } from '../../../../../src/main/core/pipeline/analysis-pipeline';
import { importPack } from '../../../../../src/main/core/packs/packs-service';
import { createAttemptFromFile } from '../../../../../src/main/core/capture/attempt-from-file';
import { openStore } from '../../../../../src/main/core/store';
import { repoRoot } from '../../../../helpers/run-cli';

const demo = path.join(repoRoot, 'resources/packs/demo');

async function ok<T>(promise: Promise<ApiResult<unknown>>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

describe('an analysis interrupted by the process dying', () => {
  let work: string;
  let dataDir: string;
  let core: Core | undefined;
  beforeEach(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-interrupted-'));
    dataDir = path.join(work, 'data');
  });
  afterEach(async () => {
    await core?.close();
    await fs.rm(work, { recursive: true, force: true });
  });

  it('is not "being analysed" after the next open, and analysing again completes', async () => {
    // Leave exactly what a crash during the judge stage leaves: the pipeline's own writes up to
    // there, then nothing (the judge never answers; the store is closed under it).
    const store = await openStore({ dataDir });
    await importPack(store, demo);
    const answer = path.join(work, 'answer.txt');
    await fs.writeFile(
      answer,
      'You would see every vehicle on one live map, updated every thirty seconds.\n',
    );
    const { attemptId } = await createAttemptFromFile(store, answer, 'pitch-operations-director');
    const judging = new Promise<void>((resolve) => {
      void analyzeAttempt(
        {
          store,
          transcriber: () => Promise.reject(new Error('not needed: the transcript is stored')),
          deterministicJudge: { name: 'deterministic', judge: () => new Promise(() => undefined) },
          llmJudge: null,
        },
        attemptId,
        {
          onEvent: (e: StageEvent) => {
            if (e.stage === 'judge' && e.status === 'running') resolve();
          },
        },
      ).catch(() => undefined);
    });
    await judging;
    expect((await getAttempt(store.db, attemptId))?.status).toBe('analysing');
    await store.close();

    core = await openCore({
      dataDir,
      transport: 'loopback',
      demoPackPath: null,
      createPipelineDeps: async (s) => ({
        store: s,
        transcriber: () => Promise.reject(new Error('not needed: the transcript is stored')),
        deterministicJudge: createDeterministicJudge(),
        llmJudge: null,
      }),
    });
    const detail = await ok<ApiOutputs['attempt.get']>(core.dispatch('attempt.get', { attemptId }));
    expect(detail.status).not.toBe('analysing');
    const judge = detail.stages.find((s) => s.stage === 'judge');
    expect(judge).toMatchObject({ status: 'failed' });
    expect(judge?.error).toMatch(/interrupted/i);
    expect(detail.stages.find((s) => s.stage === 'measure')?.status).toBe('done');
    expect(await ok(core.dispatch('analysis.active', {}))).toEqual([]);

    const finished = new Promise<unknown>((resolve) => {
      const off = core!.onEvent((event, payload) => {
        if (event === 'analysis.finished' && (payload as { attemptId: string }).attemptId === attemptId) {
          off();
          resolve(payload);
        }
      });
    });
    expect(await ok(core.dispatch('analysis.start', { attemptId }))).toBeTruthy();
    expect(await finished).toMatchObject({ attemptId, ok: true });
    expect((await getAttempt(core.store.db, attemptId))?.status).toBe('analysed');
    expect((await getStages(core.store.db, attemptId)).every((s) => s.status === 'done')).toBe(true);
  });
});
