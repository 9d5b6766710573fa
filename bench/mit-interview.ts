/**
 * Bench (prints figures, not a test): how well the delivery-metric detectors track human ratings on
 * the MIT Interview dataset (Naim et al. 2015), 138 mock job interviews rated by Mechanical Turk workers.
 *
 *   node bin/run-ts.js bench/mit-interview.ts
 *
 * - Filler rate: detectFillers over the interviewee's turns (text only, no timings), per 100 words,
 *   against the human "NoFillers" rating (higher = fewer fillers, so a good detector gives r < 0).
 *   The CSV has lost its commas (they show as double spaces); the "restored" variant turns a double
 *   space back into ", " before detection, which is what the comma-based rules need.
 * - Pace: the transcripts have no timings, so pace = interviewee words / the summed `duration` of the
 *   dataset's per-question PRAAT features (patvraj_prosodic_features.csv, the interviewee's answer
 *   audio) × 60, against the human "SpeakingRate" rating. The PRAAT `speakRate` column is printed as
 *   a reference point (its unit is undocumented; values around 3e-4).
 * Data: ../shared/eval/02_ratings/mit_interview (see ../shared/eval/README.md §2a); research use only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { detectFillers } from '../src/shared/metrics/fillers';
import { detectHedges } from '../src/shared/metrics/hedges';
import { canonicalFiller } from '../src/shared/metrics/normalize';
import { tokenizeText } from '../src/shared/metrics/timeline';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(repoRoot, '../shared/eval/02_ratings/mit_interview');
const files = {
  transcripts: path.join(dataDir, 'patvraj_transcripts.csv'),
  prosody: path.join(dataDir, 'patvraj_prosodic_features.csv'),
  labels: path.join(dataDir, 'mit_turker_scores_19traits_WITH_INFERRED_HEADER.csv'),
};
for (const file of Object.values(files)) {
  if (!fs.existsSync(file)) {
    console.error(
      `MIT interview data not found: ${file}\nThis bench needs ../shared/eval (see its README, section 2a).`,
    );
    process.exit(1);
  }
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

const normId = (id: string): string => id.trim().toUpperCase();

/** The interviewee's words: turns prefixed "Interviewee:", plus unprefixed turns that continue one. */
function intervieweeText(transcript: string): string {
  const parts: string[] = [];
  let speaker: 'interviewer' | 'interviewee' | null = null;
  for (const rawTurn of transcript.split('|')) {
    const turn = rawTurn.trim();
    if (/^interviewer\s*:/i.test(turn)) speaker = 'interviewer';
    else if (/^interviewee\s*:/i.test(turn)) speaker = 'interviewee';
    if (speaker !== 'interviewee') continue;
    const body = turn.replace(/^interviewee\s*:/i, '').replace(/\[[^\]]*\]|\([^)]*\)/g, ' ');
    parts.push(body);
  }
  return parts.join(' | ');
}

/** Turns the double spaces left where commas were stripped back into ", "; "|" ends a turn with ".". */
function restoreCommas(text: string): string {
  return text.replace(/\s*\|\s*/g, '. ').replace(/(\S) {2,}(?=\S)/g, '$1, ');
}

function pearson(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

/** Ranks with ties averaged (1-based). */
function ranks(values: number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const out = new Array<number>(values.length);
  for (let k = 0; k < order.length;) {
    let j = k;
    while (j + 1 < order.length && order[j + 1]?.v === order[k]?.v) j++;
    const rank = (k + j) / 2 + 1;
    for (let m = k; m <= j; m++) out[(order[m] as { i: number }).i] = rank;
    k = j + 1;
  }
  return out;
}

const spearman = (x: number[], y: number[]): number => pearson(ranks(x), ranks(y));

// ---- load
const transcripts = new Map<string, string>();
for (const [id, text] of parseCsv(fs.readFileSync(files.transcripts, 'utf8'))) {
  if (id !== undefined && text !== undefined) transcripts.set(normId(id), text);
}
const prosodyRows = parseCsv(fs.readFileSync(files.prosody, 'utf8'));
const prosodyHeader = prosodyRows[0] ?? [];
const col = (name: string): number => prosodyHeader.indexOf(name);
const durationBy = new Map<string, number>();
const praatRateBy = new Map<string, number[]>();
for (const r of prosodyRows.slice(1)) {
  const m = /^(P+\d+)Q\d+$/i.exec(r[0] ?? '');
  if (!m?.[1]) continue;
  const id = normId(m[1]);
  durationBy.set(id, (durationBy.get(id) ?? 0) + Number(r[col('duration')]));
  praatRateBy.set(id, [...(praatRateBy.get(id) ?? []), Number(r[col('speakRate')])]);
}
const labelRows = parseCsv(fs.readFileSync(files.labels, 'utf8'));
const labelHeader = labelRows[0] ?? [];
const labels = new Map<string, { noFillers: number; speakingRate: number }>();
for (const r of labelRows.slice(1)) {
  labels.set(normId(r[0] ?? ''), {
    noFillers: Number(r[labelHeader.indexOf('NoFillers')]),
    speakingRate: Number(r[labelHeader.indexOf('SpeakingRate')]),
  });
}

// ---- analyse
/** Fillers that are also hedges; raters of "NoFillers" may not count them. */
const HEDGE_LIKE = new Set(['sort of', 'kind of', 'sorta', 'kinda']);
interface Row {
  id: string;
  words: number;
  fillerRate: number;
  fillerRateRestored: number;
  fillerRateNoSortKind: number;
  filledPauseRate: number;
  hedgeRate: number;
  wpm: number | null;
  praatRate: number | null;
  noFillers: number;
  speakingRate: number;
}
const rows: Row[] = [];
const kinds = new Map<string, number>();
const unmatched: string[] = [];
const t0 = performance.now();
for (const [id, transcript] of transcripts) {
  const label = labels.get(id);
  if (!label) {
    unmatched.push(id);
    continue;
  }
  const raw = intervieweeText(transcript);
  const tokens = tokenizeText(raw.replace(/\|/g, ' '));
  const restored = tokenizeText(restoreCommas(raw));
  const words = tokens.length;
  const fillers = detectFillers(tokens);
  const fillersRestored = detectFillers(restored);
  for (const f of fillersRestored) kinds.set(f.text, (kinds.get(f.text) ?? 0) + 1);
  const filledPauses = tokens.filter((t) => canonicalFiller(t.norm) !== null).length;
  const seconds = durationBy.get(id);
  const praat = praatRateBy.get(id);
  rows.push({
    id,
    words,
    fillerRate: words ? (fillers.length / words) * 100 : 0,
    fillerRateRestored: words ? (fillersRestored.length / words) * 100 : 0,
    fillerRateNoSortKind: words
      ? (fillersRestored.filter((f) => !HEDGE_LIKE.has(f.text)).length / words) * 100
      : 0,
    filledPauseRate: words ? (filledPauses / words) * 100 : 0,
    hedgeRate: words ? (detectHedges(restored).length / words) * 100 : 0,
    wpm: seconds && seconds > 0 ? (words / seconds) * 60 : null,
    praatRate: praat && praat.length ? praat.reduce((a, b) => a + b, 0) / praat.length : null,
    ...label,
  });
}
const elapsedMs = performance.now() - t0;

// ---- report
function line(
  name: string,
  pick: (r: Row) => number | null,
  target: (r: Row) => number,
  targetName: string,
): string {
  const pairs = rows
    .map((r) => [pick(r), target(r)] as const)
    .filter(
      (p): p is readonly [number, number] => p[0] !== null && Number.isFinite(p[0]) && Number.isFinite(p[1]),
    );
  const x = pairs.map((p) => p[0]);
  const y = pairs.map((p) => p[1]);
  const mean = x.reduce((a, b) => a + b, 0) / (x.length || 1);
  return `| ${name.padEnd(50)} | ${targetName.padEnd(12)} | ${String(pairs.length).padStart(3)} | ${pearson(x, y).toFixed(3).padStart(6)} | ${spearman(x, y).toFixed(3).padStart(8)} | ${mean.toFixed(2).padStart(8)} |`;
}

console.log(
  `MIT Interview bench — ${rows.length} interviews joined (transcripts ${transcripts.size}, labels ${labels.size})`,
);
if (unmatched.length) console.log(`No label for: ${unmatched.join(', ')}`);
console.log('');
console.log(`| ${'feature'.padEnd(50)} | ${'human label'.padEnd(12)} |   n |      r | spearman |     mean |`);
console.log(`|${'-'.repeat(52)}|${'-'.repeat(14)}|-----|--------|----------|----------|`);
console.log(
  line(
    'filled pauses only (um/uh/er/ah/hmm/mm) /100w',
    (r) => r.filledPauseRate,
    (r) => r.noFillers,
    'NoFillers',
  ),
);
console.log(
  line(
    'detectFillers /100w (text as stored)',
    (r) => r.fillerRate,
    (r) => r.noFillers,
    'NoFillers',
  ),
);
console.log(
  line(
    'detectFillers /100w (commas restored)',
    (r) => r.fillerRateRestored,
    (r) => r.noFillers,
    'NoFillers',
  ),
);
console.log(
  line(
    'detectFillers without sort of/kind of (restored)',
    (r) => r.fillerRateNoSortKind,
    (r) => r.noFillers,
    'NoFillers',
  ),
);
console.log(
  line(
    'hedges /100w (commas restored)',
    (r) => r.hedgeRate,
    (r) => r.noFillers,
    'NoFillers',
  ),
);
console.log(
  line(
    'wpm = words / PRAAT answer duration',
    (r) => r.wpm,
    (r) => r.speakingRate,
    'SpeakingRate',
  ),
);
console.log(
  line(
    'PRAAT speakRate (dataset, unit unknown)',
    (r) => r.praatRate,
    (r) => r.speakingRate,
    'SpeakingRate',
  ),
);
console.log('');
console.log(
  `Filler kinds found (commas restored): ${[...kinds.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ')}`,
);
const totalWords = rows.reduce((a, r) => a + r.words, 0);
console.log(
  `Analysed ${rows.length} interviews (${totalWords} interviewee words, 3 detector passes each) in ${elapsedMs.toFixed(0)} ms on ${process.platform}/${process.arch}, Node ${process.version}`,
);
console.log(
  'Reference: README naive rate r = -0.61 (Spearman -0.58); Naim et al. 2015 full models 0.60 / 0.68 (NoFillers), ~0.47 / 0.44 (SpeakingRate).',
);
