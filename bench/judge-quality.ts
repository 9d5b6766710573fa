/**
 * Figures for the deterministic judge's objection-handling detector (not a test).
 *
 * Data: ../shared/eval/03_persuasion_sales/objections_hubspot_abidlabs/objections.json — 20 groups,
 * 40 customer objections, each group with an expert "answer" on how to handle it (HubSpot advice,
 * written as coaching rather than as words said to a customer). Each answer is used as a partner's
 * response to each of its objections (0.4 s per word) and judged against a rubric that lists the
 * four objection steps. Also prints the same with an acknowledgement and a check-back wrapped
 * around the answer, as a sanity check of the cue lists, and the time per judgment.
 *
 * Run: node bin/run-ts.js bench/judge-quality.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDeterministicJudge, nlpResources } from '../src/main/ai/judges/deterministic';
import { findObjectionSteps } from '../src/main/ai/judges/deterministic/objection-steps';
import { analyseTranscript } from '../src/main/ai/judges/deterministic/text-analysis';
import type { DeliveryMetrics } from '../src/shared/metrics/delivery-metrics-types';
import type { Transcript } from '../src/shared/transcript/transcript';
import { scenarioSchema } from '../src/shared/pack/schema';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataFile = path.resolve(
  repoRoot,
  '../shared/eval/03_persuasion_sales/objections_hubspot_abidlabs/objections.json',
);
if (!fs.existsSync(dataFile)) {
  console.log(`skipped: ${dataFile} not found`);
  process.exit(0);
}
const groups = JSON.parse(fs.readFileSync(dataFile, 'utf8')) as Array<{
  objections: string[];
  answer: string;
}>;

function transcriptOf(text: string): Transcript {
  const words = text
    .split(/\s+/)
    .filter(Boolean)
    .map((w, i) => ({ text: w, start: i * 0.4, end: i * 0.4 + 0.36 }));
  const end = words.at(-1)?.end ?? 0;
  return {
    language: 'en',
    durationSeconds: end,
    segments: [{ start: 0, end, text, words }],
    source: 'bench',
  };
}

const metrics = (seconds: number): DeliveryMetrics => ({
  durationSeconds: seconds,
  speakingSeconds: seconds,
  wordCount: 0,
  wordsPerMinute: 150,
  paceOverTime: [],
  fillerCount: 0,
  fillersPer100Words: 0,
  fillers: [],
  pauses: [],
  pauseCount: 0,
  longestPauseSeconds: 0,
  pausesOver2s: 0,
  longestStretchSeconds: seconds,
  questionsAsked: 0,
  questions: [],
  hedgeCount: 0,
  hedgesPer100Words: 0,
  hedges: [],
  timeLimitSeconds: null,
  timeUsedRatio: null,
  talkRatio: null,
});

const loadStart = performance.now();
nlpResources();
const winkMs = performance.now() - loadStart;
const wordnetStart = performance.now();
for (const pos of ['n', 'v', 'a', 'r'] as const) nlpResources().wordnet.conceptsOf('cost', pos);
const wordnetMs = performance.now() - wordnetStart;

const steps = ['acknowledge', 'clarify', 'respond', 'confirm'] as const;
const judge = createDeterministicJudge();
const times: number[] = [];
const labels = [...steps, 'confirm (any order)'];
const count = () => Object.fromEntries(labels.map((s) => [s, 0])) as Record<string, number>;
const found = { raw: count(), wrapped: count() };
let n = 0;
let firstJudgmentMs = 0;

for (const group of groups) {
  for (const [i, objection] of group.objections.entries()) {
    const scenario = scenarioSchema.parse({
      id: `objection-${n}`,
      kind: 'objection',
      title: 'Objection',
      brief: 'Handle the objection.',
      persona: { name: 'Customer', role: 'Buyer' },
      customerPrompt: objection,
      timing: { prepSeconds: 0, answerSeconds: 120 },
      passMark: 70,
      rubric: [
        {
          id: 'steps',
          type: 'check',
          title: 'Steps',
          description: 'D',
          checks: { objectionSteps: [...steps] },
        },
      ],
    });
    for (const variant of ['raw', 'wrapped'] as const) {
      const text =
        variant === 'raw'
          ? group.answer
          : `I understand, that's a fair concern. ${group.answer} Does that address your concern?`;
      const transcript = transcriptOf(text);
      const t0 = performance.now();
      await judge.judge({ scenario, transcript, metrics: metrics(transcript.durationSeconds) });
      const ms = performance.now() - t0;
      if (n === 0 && variant === 'raw' && i === 0) firstJudgmentMs = ms;
      else times.push(ms);
      const f = findObjectionSteps(analyseTranscript(transcript), scenario);
      for (const s of steps) if (f[s].sentence !== null) found[variant][s]! += 1;
      if (f.confirm.sentence !== null || f.confirm.outOfOrder !== null)
        found[variant]['confirm (any order)']! += 1;
    }
    n++;
  }
}

times.sort((a, b) => a - b);
const pct = (x: number) => `${((100 * x) / n).toFixed(0)}%`;
console.log(`objections: ${n} (${groups.length} expert answers)`);
console.log(
  `wink model load: ${winkMs.toFixed(0)} ms; WordNet files (all four parts of speech): ${wordnetMs.toFixed(0)} ms; first judgment: ${firstJudgmentMs.toFixed(0)} ms`,
);
console.log(
  `time per judgment after warm-up: median ${times[Math.floor(times.length / 2)]?.toFixed(1)} ms, p95 ${times[Math.floor(times.length * 0.95)]?.toFixed(1)} ms`,
);
for (const variant of ['raw', 'wrapped'] as const) {
  console.log(`${variant.padEnd(8)} ${labels.map((s) => `${s} ${pct(found[variant][s]!)}`).join(', ')}`);
}
