/**
 * Order-insensitive phrase matching on content-word concepts.
 *
 * Each content word of a phrase is matched to its best counterpart in a stretch of the transcript:
 *   1.0  same stem or lemma ("savings" / "save")
 *   0.9  WordNet synonyms: the words share a synset ("cut" / "reduce")
 *   0.75 one step apart: one word's synset is the other's hypernym or derivationally related form
 *   0.6  siblings: both point at the same (not too general) hypernym or derived synset
 *        ("lower" / "reduce" → decrease; "spend" / "cost" → expenditure)
 * The phrase's coverage is the mean of those scores over its content words. A counterpart only
 * counts when its negation matches: "we can't start with one depot" does not cover "you can start
 * with one depot", and is reported as said in the opposite sense instead.
 */
import type { AnalysedText, AnalysedToken } from './text-analysis';
import { conceptsOf, questionOpensAt } from './text-analysis';

export const SCORE_SAME_STEM = 1;
export const SCORE_SYNONYM = 0.9;
export const SCORE_RELATED = 0.75;
export const SCORE_SIBLING = 0.6;
/** A phrase word counts as covered at or above this token score. */
export const TOKEN_MIN = SCORE_SIBLING;

export interface Unit {
  /** Token range [from, to) in the analysed transcript. */
  from: number;
  to: number;
  /** Multiplier for units that span sentences (slightly less tight evidence). */
  factor: number;
}

export interface UnitMatch {
  unit: Unit;
  /** Coverage by words said with the same polarity (negated or not) as in the phrase. */
  score: number;
  /** Coverage by words said with the opposite polarity. */
  oppositeScore: number;
  /** Token indexes of the counterparts found (same polarity), for tight evidence. */
  matched: number[];
  oppositeMatched: number[];
}

export function tokenSimilarity(a: AnalysedToken, b: AnalysedToken): number {
  if (a.lemma === b.lemma || a.stems.some((s) => b.stems.includes(s))) return SCORE_SAME_STEM;
  if (a.pos === 'NUM' || b.pos === 'NUM') return 0;
  const ca = conceptsOf(a);
  const cb = conceptsOf(b);
  if (ca.own.size === 0 || cb.own.size === 0) return 0;
  if (intersects(ca.own, cb.own)) return SCORE_SYNONYM;
  if (intersects(ca.own, cb.related) || intersects(ca.related, cb.own)) return SCORE_RELATED;
  if (intersects(ca.related, cb.related)) return SCORE_SIBLING;
  return 0;
}

function intersects(a: Set<string>, b: Set<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const k of small) if (large.has(k)) return true;
  return false;
}

export function contentTokens(text: AnalysedText): AnalysedToken[] {
  return text.tokens.filter((t) => t.content);
}

/** How well a unit of the transcript covers a phrase (see the file comment). */
export function matchUnit(text: AnalysedText, unit: Unit, phrase: AnalysedToken[]): UnitMatch {
  if (phrase.length === 0) return { unit, score: 0, oppositeScore: 0, matched: [], oppositeMatched: [] };
  let same = 0;
  let opposite = 0;
  const matched: number[] = [];
  const oppositeMatched: number[] = [];
  for (const p of phrase) {
    let bestSame = 0;
    let bestSameAt = -1;
    let bestOpp = 0;
    let bestOppAt = -1;
    for (let i = unit.from; i < unit.to; i++) {
      const t = text.tokens[i] as AnalysedToken;
      if (!t.content) continue;
      const s = tokenSimilarity(p, t);
      if (s < TOKEN_MIN) continue;
      if (t.negated === p.negated) {
        if (s > bestSame) [bestSame, bestSameAt] = [s, i];
      } else if (s > bestOpp) [bestOpp, bestOppAt] = [s, i];
    }
    same += bestSame;
    opposite += bestOpp;
    if (bestSameAt >= 0) matched.push(bestSameAt);
    if (bestOppAt >= 0) oppositeMatched.push(bestOppAt);
  }
  return {
    unit,
    score: (same / phrase.length) * unit.factor,
    oppositeScore: (opposite / phrase.length) * unit.factor,
    matched,
    oppositeMatched,
  };
}

/**
 * The stretches of the transcript a phrase is compared with: each sentence, long sentences also as
 * overlapping windows (unpunctuated speech), and pairs of adjacent short sentences.
 */
export function sentenceUnits(text: AnalysedText, options: { questionsOnly?: boolean } = {}): Unit[] {
  const units: Unit[] = [];
  const LONG = 40;
  const WINDOW = 24;
  const STRIDE = 8;
  text.sentences.forEach((s, i) => {
    if (options.questionsOnly && !s.question) {
      // unpunctuated speech: a question may open mid-sentence ("…so what budget did you have")
      for (let at = s.from + 1; at < s.to; at++) {
        if (questionOpensAt(text, at, s.to)) units.push({ from: at, to: Math.min(s.to, at + 16), factor: 1 });
      }
      return;
    }
    units.push({ from: s.from, to: s.to, factor: 1 });
    if (s.to - s.from > LONG) {
      for (let from = s.from; from < s.to - STRIDE; from += STRIDE) {
        units.push({ from, to: Math.min(s.to, from + WINDOW), factor: 1 });
      }
    }
    const next = text.sentences[i + 1];
    if (!options.questionsOnly && next && s.to - s.from <= 20 && next.to - next.from <= 20) {
      units.push({ from: s.from, to: next.to, factor: 0.95 });
    }
  });
  return units;
}

/** Tight windows inside each sentence, for short phrases whose words must be said close together. */
export function proximityUnits(text: AnalysedText, phraseLength: number): Unit[] {
  const size = Math.max(6, phraseLength * 3);
  const units: Unit[] = [];
  for (const s of text.sentences) {
    if (s.to - s.from <= size) {
      units.push({ from: s.from, to: s.to, factor: 1 });
      continue;
    }
    for (let from = s.from; from + size <= s.to; from++) units.push({ from, to: from + size, factor: 1 });
  }
  return units;
}

/** The best unit for a phrase (ties go to the earlier unit), and the best said in the opposite sense. */
export function bestMatch(
  text: AnalysedText,
  units: Unit[],
  phrase: AnalysedToken[],
): { same: UnitMatch | null; opposite: UnitMatch | null } {
  let same: UnitMatch | null = null;
  let opposite: UnitMatch | null = null;
  for (const unit of units) {
    const m = matchUnit(text, unit, phrase);
    if (!same || m.score > same.score + 1e-9) same = m;
    if (!opposite || m.oppositeScore > opposite.oppositeScore + 1e-9) opposite = m;
  }
  return { same, opposite };
}
