/**
 * The pipeline's own overhead for a 2-minute answer: everything but model compute (store writes,
 * delivery metrics, the deterministic judge, combining, the feedback report), from a transcript,
 * so no speech or language model runs. Target: under 300 ms.
 *
 *   node bin/run-ts.js bench/pipeline-overhead.ts
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAnalysisDeps } from '../src/main/core/pipeline/analysis-deps';
import { analyzeAttempt, type StageEvent } from '../src/main/core/pipeline/analysis-pipeline';
import { importPack } from '../src/main/core/packs/packs-service';
import { createAttemptFromFile } from '../src/main/core/capture/attempt-from-file';
import { openStore } from '../src/main/core/store';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sentences = [
  'I hear you, and that is a fair point about the price.',
  'Can I ask what the other quote includes, hardware and installation too?',
  'Most fleets cut fuel costs by reducing idling, and that pays for the subscription.',
  'Um, we can start with one depot so you see the numbers on your own vans.',
  'Does that address your concern?',
];

/** About 2 minutes of speech at 150 wpm with real-looking pauses. */
function twoMinuteTranscript() {
  let t = 0.3;
  const segments = [];
  while (t < 118) {
    for (const text of sentences) {
      const start = t;
      const words = text.split(' ').map((w) => {
        const word = { text: w, start: t, end: t + 0.32 };
        t += 0.38;
        return word;
      });
      segments.push({ start, end: t, text, words });
      t += 0.7;
    }
  }
  return { language: 'en', durationSeconds: t + 0.5, segments, source: 'bench' };
}

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-bench-'));
const store = await openStore({ dataDir: path.join(work, 'data') });
try {
  await importPack(store, path.join(repoRoot, 'resources/packs/demo'));
  const file = path.join(work, 'answer.json');
  const transcript = twoMinuteTranscript();
  await fs.writeFile(file, JSON.stringify(transcript));
  const words = transcript.segments.reduce((n, s) => n + s.words.length, 0);
  const deps = await createAnalysisDeps(store, { llmModel: false });

  // Warm-up: loads wink's model and WordNet once per process (reported separately).
  const warmStart = performance.now();
  const warm = await createAttemptFromFile(store, file, 'objection-price');
  await analyzeAttempt(deps, warm.attemptId);
  const warmMs = performance.now() - warmStart;

  const runs: number[] = [];
  const perStage = new Map<string, number[]>();
  for (let i = 0; i < 10; i++) {
    const { attemptId } = await createAttemptFromFile(store, file, 'objection-price');
    const started = new Map<string, number>();
    const t0 = performance.now();
    await analyzeAttempt(deps, attemptId, {
      onEvent: (e: StageEvent) => {
        if (e.status === 'running' && !started.has(e.stage)) started.set(e.stage, performance.now());
        if (e.status === 'done')
          perStage.set(e.stage, [
            ...(perStage.get(e.stage) ?? []),
            performance.now() - (started.get(e.stage) ?? 0),
          ]);
      },
    });
    runs.push(performance.now() - t0);
  }
  await deps.dispose();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  console.log(
    `pipeline overhead, 2-minute answer (${words} words, ${transcript.durationSeconds.toFixed(0)} s), deterministic judge only`,
  );
  console.log(`  first run incl. NLP resource loading: ${warmMs.toFixed(0)} ms`);
  console.log(
    `  median of 10 warm runs: ${median(runs).toFixed(0)} ms (target < 300 ms); max ${Math.max(...runs).toFixed(0)} ms`,
  );
  for (const [stage, xs] of perStage)
    console.log(`    ${stage.padEnd(9)} median ${median(xs).toFixed(1)} ms`);
  console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  await store.close();
  await fs.rm(work, { recursive: true, force: true });
}
