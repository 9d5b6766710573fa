/**
 * Forbidden phrases: every content word of the phrase must be said close together (within a
 * window of max(6, 3 × words) tokens of one sentence) with a mean score of at least
 * FORBIDDEN_THRESHOLD and the same polarity: "I guarantee you'll save 20%" hits "guaranteed
 * savings"; "I can't guarantee savings" does not.
 */
import type { Evidence } from '../../../../shared/analysis/judgment';
import type { Scenario } from '../../../../shared/pack/schema';
import { type CheckResult, label, phrase, phraseContent } from './check-result';
import { matchUnit, proximityUnits, type UnitMatch } from './phrase-matcher';
import { type AnalysedText, type AnalysedToken, evidenceFor, formatTime } from './text-analysis';

export const FORBIDDEN_THRESHOLD = 0.85;

export interface ForbiddenHit {
  phrase: string;
  reason: string;
  evidence: Evidence;
  confidence: number;
}

/** All places where a forbidden phrase was said (one per sentence and phrase). */
export function findForbiddenPhrases(
  text: AnalysedText,
  phrases: Scenario['forbiddenPhrases'],
): ForbiddenHit[] {
  const hits: ForbiddenHit[] = [];
  for (const forbidden of phrases) {
    const content = phraseContent(forbidden.phrase);
    if (content.length === 0) {
      hits.push(...literalHits(text, forbidden));
      continue;
    }
    const bySentence = new Map<number, UnitMatch>();
    for (const unit of proximityUnits(text, content.length)) {
      const m = matchUnit(text, unit, content);
      if (m.score < FORBIDDEN_THRESHOLD || m.matched.length < content.length) continue;
      const sentence = (text.tokens[unit.from] as AnalysedToken).sentence;
      const previous = bySentence.get(sentence);
      if (!previous || m.score > previous.score) bySentence.set(sentence, m);
    }
    for (const m of bySentence.values()) {
      hits.push({
        phrase: forbidden.phrase,
        reason: forbidden.reason,
        evidence: evidenceFor(text, Math.min(...m.matched), Math.max(...m.matched)),
        confidence: Math.min(1, m.score),
      });
    }
  }
  return hits.sort((a, b) => a.evidence.start - b.evidence.start);
}

/** Phrases made only of stop words ("no way"): matched as the same word sequence. */
function literalHits(text: AnalysedText, forbidden: Scenario['forbiddenPhrases'][number]): ForbiddenHit[] {
  const wanted = phrase(forbidden.phrase)
    .tokens.filter((t) => !t.punct)
    .map((t) => t.normal);
  const words = text.tokens.map((t, i) => ({ t, i })).filter(({ t }) => !t.punct);
  const hits: ForbiddenHit[] = [];
  if (wanted.length === 0) return hits;
  for (let i = 0; i + wanted.length <= words.length; i++) {
    if (wanted.every((w, k) => words[i + k]?.t.normal === w)) {
      hits.push({
        phrase: forbidden.phrase,
        reason: forbidden.reason,
        evidence: evidenceFor(
          text,
          (words[i] as { i: number }).i,
          (words[i + wanted.length - 1] as { i: number }).i,
        ),
        confidence: 1,
      });
    }
  }
  return hits;
}

export function checkForbiddenPhrases(
  text: AnalysedText,
  phrases: Scenario['forbiddenPhrases'],
): CheckResult {
  const hits = findForbiddenPhrases(text, phrases);
  if (hits.length === 0) {
    return {
      kind: 'forbiddenPhrases',
      id: 'forbidden-phrases',
      status: 'pass',
      evidence: [],
      confidence: 1,
      message: 'you avoided every forbidden phrase',
    };
  }
  const first = hits[0] as ForbiddenHit;
  const more = hits.length > 1 ? ` (and ${hits.length - 1} more)` : '';
  return {
    kind: 'forbiddenPhrases',
    id: 'forbidden-phrases',
    status: 'fail',
    evidence: hits.map((h) => h.evidence),
    confidence: Math.max(...hits.map((h) => h.confidence)),
    message: `at ${formatTime(first.evidence.start)} you said "${first.evidence.quote}", which counts as "${label(first.phrase)}" — ${label(first.reason, 100)}${more}`,
  };
}
