/**
 * Filler detection.
 *
 * FORMULA: fillersPer100Words = fillerCount / wordCount × 100, where wordCount counts every partner
 * word (fillers included) and a multi-word filler ("you know") counts once.
 *
 * What counts:
 * - Filled pauses, whatever the spelling: um, uh, er, ah, hmm, mm, erm, uhm, umm (see canonicalFiller;
 *   "Um,", "uhh", "[um]", "Mmm" all match).
 * - "you know", "I mean" when followed by a boundary: a comma, a pause ≥ the threshold, the end of the
 *   sentence, or another filler — and not inside a question/clause ("do you know", "what I mean is").
 * - "sort of" / "kind of" / "sorta" / "kinda" when not preceded by a determiner ("the kind of car").
 * - "like" only in conservative discourse-marker positions (see isFillerLike).
 *
 * REFERENCE RANGE: 0–5 per 100 words is "ok", above is "high". SOURCE: Bortfeld et al. (2001),
 * Language and Speech 44(2), peer-reviewed: about 6 disfluencies per 100 words in spontaneous
 * conversation, counting fillers, repetitions and restarts together; the 5-per-100 cut-off for fillers
 * alone is a Rehearse choice anchored on that figure, not a published norm.
 *
 * LIMITS: heuristics on words, not prosody; precision is favoured over recall ("like" as an
 * approximator "like 10 people" or as a quotative "I was like, wow" is not counted). whisper drops
 * most filled pauses unless it is prompted with disfluent text, so a low count from whisper can mean
 * "not transcribed" rather than "not said".
 */
import type { TimedToken } from './delivery-metrics-types';
import { canonicalFiller } from './normalize';
import type { MetricToken } from './timeline';

export interface FillerOptions {
  /** A gap of at least this many seconds after a word counts as a boundary (default 0.5). */
  pauseThreshold?: number;
}

/** Words that make "sort of" / "kind of" a noun phrase ("the kind of car") rather than a hedge. */
export const DETERMINERS = new Set([
  'a',
  'an',
  'the',
  'this',
  'that',
  'these',
  'those',
  'what',
  'which',
  'any',
  'some',
  'every',
  'each',
  'no',
  'one',
  'same',
  'different',
  'all',
  'another',
  'his',
  'her',
  'their',
  'our',
  'my',
  'your',
  'whatever',
  'certain',
  'other',
  'new',
  'right',
  'wrong',
  'first',
  'last',
  'only',
  'exact',
  'particular',
  'many',
  'several',
  'two',
  'three',
  'both',
  'various',
]);

/** Words before "like" that make it a verb, a comparison or a quotative rather than a filler. */
const LIKE_BLOCKERS = new Set([
  // verb "like": I'd like, would like, I like, you like, we like, don't like, to like, likes
  'i',
  'you',
  'we',
  'they',
  'he',
  'she',
  "i'd",
  "you'd",
  "we'd",
  "they'd",
  "he'd",
  "she'd",
  'would',
  "wouldn't",
  'should',
  'could',
  'might',
  'will',
  "'d",
  'to',
  "don't",
  'dont',
  "didn't",
  'didnt',
  "doesn't",
  'doesnt',
  'do',
  'does',
  'did',
  'really',
  'also',
  'not',
  'never',
  'always',
  'still',
  'people',
  'who',
  'may',
  'must',
  'can',
  'cannot',
  "can't",
  'cant',
  'would',
  "we'll",
  "i'll",
  // comparison "like": looks like, sounds like, feel like, seems like, something like, just like, more like
  'look',
  'looks',
  'looked',
  'looking',
  'sound',
  'sounds',
  'sounded',
  'feel',
  'feels',
  'felt',
  'feeling',
  'seem',
  'seems',
  'seemed',
  'something',
  'anything',
  'nothing',
  'everything',
  'just',
  'more',
  'much',
  'less',
  'exactly',
  'act',
  'acts',
  'acted',
  'acting',
  'taste',
  'tastes',
  'smell',
  'smells',
  'things',
  'stuff',
  'behave',
  'behaves',
  'dress',
  'treat',
  'treated',
  'alike',
  'unlike',
  'liked',
  'likes',
  // quotative "like": I was like, I'm like, they're like, be like
  'was',
  'were',
  'is',
  'am',
  'are',
  'be',
  'been',
  'being',
  "i'm",
  'im',
  "he's",
  "she's",
  "it's",
  'its',
  "they're",
  'theyre',
  "we're",
  'were',
  "you're",
  'youre',
  "that's",
  'thats',
  'go',
  'goes',
  'went',
]);

/** Words after "like" that make it a comparison or approximation: "like this", "like 10 people". */
const LIKE_COMPLEMENT =
  /^(this|that|these|those|him|her|them|me|us|it|you|a|an|the|so|how|what|when|if|\d.*)$/;

const YOU_KNOW_BLOCKERS = new Set([
  'do',
  'did',
  'does',
  "don't",
  'dont',
  "didn't",
  'if',
  'as',
  'whether',
  'what',
  'how',
  'would',
  'could',
  'will',
  'can',
  'should',
  'might',
  'let',
  'lets',
  "let's",
  'that',
  'because',
  'when',
  'where',
]);
const I_MEAN_BLOCKERS = new Set([
  'what',
  'if',
  'do',
  'did',
  "don't",
  'dont',
  "didn't",
  'that',
  'as',
  'which',
]);

function isBoundaryAfter(t: MetricToken, next: MetricToken | undefined, pauseThreshold: number): boolean {
  if (t.comma || t.terminal !== null) return true;
  if (!next || next.turn !== t.turn) return true;
  if (t.gapAfter !== null && t.gapAfter >= pauseThreshold) return true;
  return canonicalFiller(next.norm) !== null;
}

function isBoundaryBefore(prev: MetricToken | undefined, cur: MetricToken, pauseThreshold: number): boolean {
  if (!prev || prev.turn !== cur.turn) return true;
  if (prev.comma || prev.terminal !== null) return true;
  if (prev.gapAfter !== null && prev.gapAfter >= pauseThreshold) return true;
  return canonicalFiller(prev.norm) !== null;
}

/**
 * "like" is counted as a filler only when
 * (a) it is set off on both sides (boundary before and after: "so, like, we…", "Like, um"), or
 * (b) it is followed by a boundary and the word before cannot make it a verb, comparison or
 *     quotative ("it was fast like, um"), or
 * (c) a filled pause sits right next to it ("um like", "like uh") and the neighbour rules out the
 *     verb/comparison/quotative reading and the complement after it is not "this/that/a/…".
 */
export function isFillerLike(tokens: MetricToken[], i: number, pauseThreshold = 0.5): boolean {
  const t = tokens[i];
  if (!t || t.norm !== 'like') return false;
  const prev = tokens[i - 1];
  const next = tokens[i + 1];
  const before = isBoundaryBefore(prev, t, pauseThreshold);
  const after = isBoundaryAfter(t, next, pauseThreshold);
  const prevBlocks = !before && prev !== undefined && LIKE_BLOCKERS.has(prev.norm);
  if (before && after) return true;
  if (after && !prevBlocks) {
    // "… like." at the very end of a sentence after a content word is rare but possible; a following
    // comma, pause or filler is the strong signal.
    return t.comma || canonicalFiller(next?.norm ?? '') !== null || (t.gapAfter ?? 0) >= pauseThreshold;
  }
  const fillerNeighbour =
    (prev !== undefined && prev.turn === t.turn && canonicalFiller(prev.norm) !== null) ||
    (next !== undefined && next.turn === t.turn && canonicalFiller(next.norm) !== null);
  if (fillerNeighbour && !prevBlocks) return !(next && LIKE_COMPLEMENT.test(next.norm));
  return false;
}

function timed(tokens: MetricToken[], from: number, to: number): TimedToken {
  const slice = tokens.slice(from, to + 1);
  return {
    text: slice.map((t) => t.norm).join(' '),
    start: slice[0]?.start ?? 0,
    end: slice.reduce((m, t) => Math.max(m, t.end), 0),
  };
}

/** Every filler in order, as timed tokens whose text is the normalised word or phrase. */
export function detectFillers(tokens: MetricToken[], options: FillerOptions = {}): TimedToken[] {
  const pause = options.pauseThreshold ?? 0.5;
  const out: TimedToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as MetricToken;
    const next = tokens[i + 1];
    const prev = tokens[i - 1];
    const sameTurnNext = next !== undefined && next.turn === t.turn && !t.comma && t.terminal === null;
    const canonical = canonicalFiller(t.norm);
    if (canonical !== null) {
      out.push({ ...timed(tokens, i, i), text: canonical });
      continue;
    }
    if (t.norm === 'sorta' || t.norm === 'kinda') {
      if (!(prev && prev.turn === t.turn && DETERMINERS.has(prev.norm))) out.push(timed(tokens, i, i));
      continue;
    }
    if (sameTurnNext && next.norm === 'of' && (t.norm === 'sort' || t.norm === 'kind')) {
      const determined =
        prev !== undefined && prev.turn === t.turn && !prev.comma && DETERMINERS.has(prev.norm);
      if (!determined) {
        out.push(timed(tokens, i, i + 1));
        i++;
      }
      continue;
    }
    const twoWord =
      sameTurnNext &&
      ((t.norm === 'you' && next.norm === 'know') || (t.norm === 'i' && next.norm === 'mean'));
    if (twoWord) {
      const blockers = t.norm === 'you' ? YOU_KNOW_BLOCKERS : I_MEAN_BLOCKERS;
      const blockedBefore =
        prev !== undefined &&
        prev.turn === t.turn &&
        !prev.comma &&
        prev.terminal === null &&
        blockers.has(prev.norm);
      if (!blockedBefore && isBoundaryAfter(next, tokens[i + 2], pause)) {
        out.push(timed(tokens, i, i + 1));
        i++;
      }
      continue;
    }
    if (t.norm === 'like' && isFillerLike(tokens, i, pause)) out.push(timed(tokens, i, i));
  }
  return out;
}
