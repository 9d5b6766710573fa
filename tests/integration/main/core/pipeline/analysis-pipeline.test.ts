import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Judge } from '../../../../../src/shared/analysis/judgment';
import { getStages } from '../../../../../src/main/core/db/repositories/analysis';
import { getAttempt } from '../../../../../src/main/core/db/repositories/attempts';
import { createAnalysisDeps } from '../../../../../src/main/core/pipeline/analysis-deps';
import { analyzeAttempt, type StageEvent } from '../../../../../src/main/core/pipeline/analysis-pipeline';
import { importPack } from '../../../../../src/main/core/packs/packs-service';
import { createAttemptFromFile } from '../../../../../src/main/core/capture/attempt-from-file';
import { openStore, type Store } from '../../../../../src/main/core/store';
import { repoRoot, runCli } from '../../../../helpers/run-cli';

const demo = path.join(repoRoot, 'resources/packs/demo');
const fixtures = path.resolve(repoRoot, '../shared/fixtures');
const haveFixtures = existsSync(path.join(fixtures, 'models'));

/** A timed transcript of a decent price-objection answer. */
function priceAnswer() {
  const sentences = [
    "I hear you, and that's a fair point: price matters.",
    'Can I ask what the other quote includes, hardware and installation as well?',
    'When you compare total cost of ownership, the hardware and installation are included with us.',
    'Most fleets save more on fuel and idling than the subscription costs.',
    'We could run a pilot on twenty of your own vans so you see the savings yourself.',
    'Does that address your concern?',
  ];
  let t = 0.5;
  const segments = sentences.map((text) => {
    const start = t;
    const words = text.split(' ').map((w) => {
      const word = { text: w, start: t, end: t + 0.35 };
      t += 0.4;
      return word;
    });
    t += 0.6;
    return { start, end: t - 0.6, text, words };
  });
  return { language: 'en', durationSeconds: t + 1, segments, source: 'test' };
}

describe('analysis pipeline', () => {
  let work: string;
  let store: Store;
  beforeEach(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-pipeline-'));
    store = await openStore({ dataDir: path.join(work, 'data') });
    await importPack(store, demo);
  });
  afterEach(async () => {
    await store.close();
    await fs.rm(work, { recursive: true, force: true });
  });

  async function transcriptAttempt(): Promise<string> {
    const file = path.join(work, 'answer.json');
    await fs.writeFile(file, JSON.stringify(priceAnswer()));
    return (await createAttemptFromFile(store, file, 'objection-price')).attemptId;
  }

  it('scores a transcript with the deterministic judge alone, says so, and stores every stage', async () => {
    const attemptId = await transcriptAttempt();
    const deps = await createAnalysisDeps(store, { llmModel: false });
    const events: StageEvent[] = [];
    const feedback = await analyzeAttempt(deps, attemptId, { onEvent: (e) => events.push(e) });
    await deps.dispose();

    expect(feedback.criteria.length).toBe(6);
    expect(feedback.score).not.toBeNull();
    expect(feedback.judgedBy).toEqual({ deterministic: true, llm: null });
    expect(feedback.notes.join(' ')).toMatch(/rule-based judge only/);
    // The acknowledge step was said at 0.5 s: its evidence carries that moment.
    const steps = feedback.criteria.find((c) => c.evidence.some((e) => /fair point/.test(e.quote)));
    expect(steps?.evidence.find((e) => /fair point/.test(e.quote))?.start).toBeCloseTo(0.5, 1);
    expect(feedback.improvements.length).toBeGreaterThan(0);
    expect(feedback.improvements.length).toBeLessThanOrEqual(3);

    const stages = await getStages(store.db, attemptId);
    expect(stages.map((s) => [s.stage, s.status])).toEqual([
      ['transcribe', 'done'],
      ['measure', 'done'],
      ['judge', 'done'],
      ['feedback', 'done'],
    ]);
    expect((await getAttempt(store.db, attemptId))?.status).toBe('analysed');
    expect(events.find((e) => e.stage === 'transcribe')?.status).toBe('skipped');
  });

  it('resumes after a cancel without redoing finished stages', async () => {
    const attemptId = await transcriptAttempt();
    const deps = await createAnalysisDeps(store, { llmModel: false });
    const controller = new AbortController();
    // A judge that cancels the run while it is judging.
    const cancellingJudge: Judge = {
      name: 'deterministic',
      judge: async (_input, options) => {
        controller.abort();
        options?.signal?.throwIfAborted();
        throw new Error('unreachable');
      },
    };
    await expect(
      analyzeAttempt({ ...deps, deterministicJudge: cancellingJudge }, attemptId, {
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    const afterCancel = await getStages(store.db, attemptId);
    expect(afterCancel.find((s) => s.stage === 'measure')?.status).toBe('done');
    expect(afterCancel.find((s) => s.stage === 'judge')?.status).toBe('cancelled');
    expect((await getAttempt(store.db, attemptId))?.status).toBe('recorded');

    const events: StageEvent[] = [];
    const feedback = await analyzeAttempt(deps, attemptId, { onEvent: (e) => events.push(e) });
    await deps.dispose();
    expect(events.filter((e) => e.status === 'skipped').map((e) => e.stage)).toEqual([
      'transcribe',
      'measure',
    ]);
    expect(feedback.score).not.toBeNull();
  });

  it.skipIf(!haveFixtures)(
    'transcribes a real recording with the fixture models and reports "no speech" clearly',
    async () => {
      // whisper.cpp's vocabulary-only test model runs the full compute but yields no words.
      const wav = path.join(fixtures, 'audio/espeak-sales-pitch.wav');
      const { attemptId } = await createAttemptFromFile(store, wav, 'pitch-operations-director');
      const deps = await createAnalysisDeps(store, {
        whisperModel: path.join(fixtures, 'models/for-tests-ggml-tiny.en.bin'),
        vadModel: path.join(fixtures, 'models/for-tests-silero-v6.2.0-ggml.bin'),
        llmModel: false,
      });
      const progress: number[] = [];
      await expect(
        analyzeAttempt(deps, attemptId, {
          onEvent: (e) => e.stage === 'transcribe' && e.status === 'running' && progress.push(e.progress),
        }),
      ).rejects.toMatchObject({ code: 'MEDIA_INVALID', message: 'No speech was found in the recording' });
      await deps.dispose();
      expect(progress.length).toBeGreaterThan(1);
      const stages = await getStages(store.db, attemptId);
      // Transcription itself succeeded and is kept; the attempt is marked failed with the reason.
      expect(stages.find((s) => s.stage === 'transcribe')?.status).toBe('failed');
      expect((await getAttempt(store.db, attemptId))?.status).toBe('failed');
      expect((await store.recordings.list(attemptId)).map((r) => r.kind)).toEqual(['audio']);
    },
  );

  it.skipIf(!haveFixtures)(
    'runs the LLM judge with the random-weight fixture and keeps only verdicts whose quotes are real',
    async () => {
      const attemptId = await transcriptAttempt();
      const deps = await createAnalysisDeps(store, {
        llmModel: path.join(fixtures, 'models/tiny-random-llama-chatml.gguf'),
      });
      const feedback = await analyzeAttempt(deps, attemptId);
      await deps.dispose();
      const text = priceAnswer()
        .segments.map((s) => s.text.toLowerCase())
        .join(' ');
      for (const c of feedback.criteria) {
        for (const e of c.evidence.filter((x) => x.quote && c.judge === 'llm')) {
          const words = e.quote
            .toLowerCase()
            .replace(/[^a-z0-9' ]/g, ' ')
            .split(/\s+/)
            .filter(Boolean);
          expect(text.replace(/[^a-z0-9' ]/g, ' ')).toContain(words.join(' '));
        }
      }
      expect(feedback.judgedBy.deterministic).toBe(true);
      expect(feedback.score).not.toBeNull();
    },
  );
});

describe('rehearse score', () => {
  let work: string;
  beforeEach(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-score-'));
  });
  afterEach(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  it('prints the report for a transcript, as text and JSON, and fails clearly on bad input', async () => {
    const dataDir = path.join(work, 'data');
    expect((await runCli(['packs', 'import', demo], { dataDir })).code).toBe(0);
    const file = path.join(work, 'answer.json');
    await fs.writeFile(file, JSON.stringify(priceAnswer()));

    const text = await runCli(['score', file, '--scenario', 'objection-price', '--no-llm'], { dataDir });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Score: \d+ \/ 100/m);
    expect(text.stdout).toMatch(/Top improvements:/);
    expect(text.stderr).toMatch(/judge\s+done/);

    const json = await runCli(
      ['--json', 'score', file, '--scenario', 'fleetpulse-partner-sales/objection-price', '--no-llm'],
      { dataDir },
    );
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { attemptId: string; feedback: { criteria: unknown[] } };
    expect(parsed.feedback.criteria).toHaveLength(6);

    const empty = path.join(work, 'empty.json');
    await fs.writeFile(empty, JSON.stringify({ durationSeconds: 3, segments: [] }));
    const noWords = await runCli(['score', empty, '--scenario', 'objection-price', '--no-llm'], { dataDir });
    expect(noWords.code).toBe(8);
    expect(noWords.stderr).toMatch(/No speech was found/);

    const broken = path.join(work, 'broken.json');
    await fs.writeFile(broken, '{"segments": "nope"}');
    const bad = await runCli(['score', broken, '--scenario', 'objection-price'], { dataDir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/broken\.json: /);

    const wav = path.join(work, 'zero.wav');
    await fs.writeFile(wav, '');
    const zero = await runCli(['score', wav, '--scenario', 'objection-price'], { dataDir });
    expect(zero.code).toBe(8);
    expect(zero.stderr).toMatch(/empty \(0 bytes\)/);

    const unknown = await runCli(['score', file, '--scenario', 'no-such-scenario'], { dataDir });
    expect(unknown.code).toBe(4);

    // Failed inputs left no attempts behind; the two good runs are in the history.
    const list = await runCli(['--json', 'attempts', 'list'], { dataDir });
    const attempts = (JSON.parse(list.stdout) as { attempts: Array<{ status: string }> }).attempts;
    expect(attempts.filter((a) => a.status === 'analysed')).toHaveLength(2);
  });
});
