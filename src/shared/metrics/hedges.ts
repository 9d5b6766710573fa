/**
 * Hedging phrases: wording that softens a claim ("I think", "maybe", "kind of").
 *
 * FORMULA: hedgesPer100Words = hedgeCount / wordCount × 100; phrases are matched on normalised words,
 * longest phrase first, without overlap. "sort of" / "kind of" are skipped after a determiner
 * ("the kind of car"), as in the filler detector — so they may count as both a filler and a hedge.
 *
 * REFERENCE RANGE: 0–3 per 100 words "ok", above "high". SOURCE: a Rehearse default, not a
 * published norm. Hedging research (e.g. Lakoff 1973 "Hedges", Journal of Philosophical Logic) is
 * descriptive and gives no rate norm for sales talk; treat the flag as a prompt to look, not a score.
 *
 * LIMITS: lexical only; a hedge can be appropriate ("probably" about a forecast). "might" as a noun
 * and "I think" used for emphasis are counted too.
 */
import type { TimedToken } from './delivery-metrics-types';
import { DETERMINERS } from './fillers';
import type { MetricToken } from './timeline';

/** The phrases, as normalised word sequences. */
export const HEDGE_PHRASES: readonly string[] = [
  "i'm not sure",
  'im not sure',
  'i am not sure',
  'not sure',
  'i think',
  'i guess',
  'i believe',
  'i suppose',
  'i feel like',
  'i would say',
  "i'd say",
  'to be honest',
  'more or less',
  'it seems',
  'sort of',
  'kind of',
  'sorta',
  'kinda',
  'maybe',
  'perhaps',
  'probably',
  'possibly',
  'hopefully',
  'might',
  'somewhat',
  'presumably',
];

const PHRASES = HEDGE_PHRASES.map((p) => p.split(' ')).sort((a, b) => b.length - a.length);

export function detectHedges(tokens: MetricToken[]): TimedToken[] {
  const out: TimedToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const match = PHRASES.find((words) =>
      words.every((w, k) => {
        const t = tokens[i + k];
        const prev = tokens[i + k - 1];
        // A phrase may not run across a turn change or a sentence end.
        const joined =
          k === 0 ||
          (t !== undefined && prev !== undefined && t.turn === prev.turn && prev.terminal === null);
        return joined && t?.norm === w;
      }),
    );
    if (!match) continue;
    const first = tokens[i] as MetricToken;
    const prev = tokens[i - 1];
    const isSortKind =
      match[0] === 'sort' || match[0] === 'kind' || match[0] === 'sorta' || match[0] === 'kinda';
    if (
      isSortKind &&
      prev &&
      prev.turn === first.turn &&
      !prev.comma &&
      prev.terminal === null &&
      DETERMINERS.has(prev.norm)
    )
      continue;
    const last = tokens[i + match.length - 1] as MetricToken;
    out.push({ text: match.join(' '), start: first.start, end: Math.max(first.end, last.end) });
    i += match.length - 1;
  }
  return out;
}
