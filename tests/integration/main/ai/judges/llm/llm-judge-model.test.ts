/**
 * The LLM runtime and judge against a real GGUF: the tiny random-weight fixture. Its output is
 * schema-shaped but meaningless, so these tests assert invariants (every verdict valid, voided with
 * a reason or backed by a quote that is really in the transcript), never particular verdicts.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEvidenceIndex, findQuote } from '../../../../../../src/main/ai/judges/llm/evidence';
import { createLlmJudge } from '../../../../../../src/main/ai/judges/llm/llm-judge';
import { loadLlm, type LlmRuntime } from '../../../../../../src/main/ai/llm/llm-runtime';
import { isAppError, type ErrorCode } from '../../../../../../src/shared/errors';
import {
  noMetrics,
  pitchTranscript,
  scenario,
} from '../../../../../unit/main/ai/judges/llm/llm-judge-fixtures';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../..');
const models = path.resolve(repoRoot, '../shared/fixtures/models');
const tinyLlm = path.join(models, 'tiny-random-llama-chatml.gguf');
const whisperGgml = path.join(models, 'for-tests-ggml-tiny.en.bin');
const haveFixtures = existsSync(tinyLlm) && existsSync(whisperGgml);

// Small limits keep each criterion to a few dozen tokens; one thread, because two llama.cpp threads
// on a busy 2-core machine spin against each other (measured 30x slower).
const judgeLimits = { maxTokensPerCriterion: 96, maxQuoteChars: 16, maxRationaleChars: 16 };
const input = { scenario, transcript: pitchTranscript, metrics: noMetrics };
const withCode = (code: ErrorCode) => (e: unknown) => isAppError(e) && e.code === code;

describe.skipIf(!haveFixtures)('LLM judge with the tiny GGUF fixture', () => {
  let runtime: LlmRuntime;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rehearse-llm-'));
    runtime = await loadLlm({ modelPath: tinyLlm, threads: 1 });
  });
  afterAll(async () => {
    await runtime?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads the model once with its context', () => {
    expect(runtime.modelName).toBe('tiny-random-llama-chatml');
    expect(runtime.contextSize).toBe(1024);
    expect(runtime.countTokens('restore in minutes')).toBeGreaterThan(0);
  });

  it('judges every criterion with a schema-valid, evidence-checked verdict', async () => {
    const fractions: number[] = [];
    const judge = createLlmJudge({ runtime, ...judgeLimits });
    const judgment = await judge.judge(input, { onProgress: (f) => fractions.push(f) });

    expect(judgment).toMatchObject({ judge: 'llm', model: 'tiny-random-llama-chatml' });
    expect(judgment.verdicts.map((v) => v.criterionId)).toEqual(scenario.rubric.map((c) => c.id));
    const index = buildEvidenceIndex(pitchTranscript);
    for (const [i, v] of judgment.verdicts.entries()) {
      const criterion = scenario.rubric[i]!;
      expect(v.judge).toBe('llm');
      if (v.voided !== undefined) {
        expect(v.voided.length).toBeGreaterThan(0);
        expect(v).toMatchObject({ met: null, level: null, score: null, evidence: [] });
        continue;
      }
      if (criterion.type === 'check') {
        expect(typeof v.met).toBe('boolean');
        expect(v.level).toBeNull();
      } else {
        expect([1, 2, 3, 4, 5]).toContain(v.level);
        expect(v.met).toBeNull();
      }
      for (const e of v.evidence) {
        expect(findQuote(index, e.quote)).toEqual(e);
        expect(e.end).toBeGreaterThanOrEqual(e.start);
      }
    }
    expect(fractions).toHaveLength(3);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.every((f, i) => i === 0 || f > fractions[i - 1]!)).toBe(true);
  });

  it('cancels promptly after the first criterion', async () => {
    const controller = new AbortController();
    let events = 0;
    const judge = createLlmJudge({ runtime, ...judgeLimits, maxTokensPerCriterion: 160, maxQuoteChars: 64 });
    const run = judge.judge(input, {
      signal: controller.signal,
      onProgress: () => {
        events++;
        controller.abort();
      },
    });
    await expect(run).rejects.toSatisfy(withCode('CANCELLED'));
    expect(events).toBe(1);
    // The runtime is usable again after a cancelled generation.
    await expect(createLlmJudge({ runtime, ...judgeLimits }).judge(input)).resolves.toHaveProperty(
      'verdicts',
    );
  });

  it('stops a generation in flight when aborted', async () => {
    const request = {
      system: 'Write a long text.',
      user: 'Go.',
      schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
      maxTokens: 400,
    } as const;
    const controller = new AbortController();
    const run = runtime.completeJson({ ...request, signal: controller.signal });
    // Aborted once generation is under way (the next turn of the event loop), not after a guess
    // at how long a full run takes: the run is refused with CANCELLED, and the runtime is free and
    // whole for the next request, which generates in full.
    setImmediate(() => controller.abort());
    await expect(run).rejects.toSatisfy(withCode('CANCELLED'));
    const full = await runtime.completeJson(request);
    expect(full.generatedTokens).toBeGreaterThan(50);
  });

  it('times out with TIMEOUT', async () => {
    const judge = createLlmJudge({
      runtime,
      ...judgeLimits,
      maxTokensPerCriterion: 160,
      maxQuoteChars: 64,
      timeoutMs: 5,
    });
    await expect(judge.judge(input)).rejects.toSatisfy(withCode('TIMEOUT'));
  });

  it('loads lazily from a model path and unloads on dispose', async () => {
    const judge = createLlmJudge({ modelPath: tinyLlm, threads: 1, ...judgeLimits });
    const judgment = await judge.judge(input);
    expect(judgment.verdicts).toHaveLength(3);
    await judge.dispose();
  });

  it('reports a missing model file as MODEL_MISSING with an install hint', async () => {
    const error = await loadLlm({ modelPath: path.join(dir, 'absent.gguf'), modelId: 'qwen2.5-1.5b' }).catch(
      (e) => e,
    );
    expect(withCode('MODEL_MISSING')(error)).toBe(true);
    expect(error.hint).toContain('rehearse models install qwen2.5-1.5b');
  });

  it('reports random bytes as MODEL_INVALID', async () => {
    const file = path.join(dir, 'random.gguf');
    await writeFile(file, randomBytes(4096));
    await expect(loadLlm({ modelPath: file })).rejects.toSatisfy(withCode('MODEL_INVALID'));
  });

  it('reports a whisper ggml file given as an LLM as MODEL_INVALID', async () => {
    await expect(loadLlm({ modelPath: whisperGgml })).rejects.toSatisfy(withCode('MODEL_INVALID'));
  });

  it('reports a truncated GGUF (right magic, damaged body) as MODEL_INVALID', async () => {
    const file = path.join(dir, 'truncated.gguf');
    await copyFile(tinyLlm, file);
    const handle = await open(file, 'r+');
    await handle.truncate(100_000);
    await handle.close();
    await expect(loadLlm({ modelPath: file })).rejects.toSatisfy(withCode('MODEL_INVALID'));
  });

  it('gives up loading after loadTimeoutMs with TIMEOUT', async () => {
    await expect(loadLlm({ modelPath: tinyLlm, loadTimeoutMs: 1 })).rejects.toSatisfy(withCode('TIMEOUT'));
  });
});
