/**
 * Key-message coverage: the message counts as said when one of its phrasings (or its text) is
 * covered by a sentence of the answer with a score of at least KEY_MESSAGE_THRESHOLD.
 */
import type { Evidence } from '../../../../shared/analysis/judgment';
import type { KeyMessage } from '../../../../shared/pack/schema';
import { type CheckResult, label, phraseContent } from './check-result';
import { bestMatch, sentenceUnits, type UnitMatch } from './phrase-matcher';
import { type AnalysedText, evidenceFor, formatTime } from './text-analysis';

export const KEY_MESSAGE_THRESHOLD = 0.7;

export interface PhraseSearch {
  /** Best same-sense match over all phrasings (null when nothing could be compared). */
  best: UnitMatch | null;
  /** Best match said in the opposite sense. */
  opposite: UnitMatch | null;
}

/** Best match of any of the phrasings against sentence units of the answer. */
export function searchPhrasings(
  text: AnalysedText,
  phrasings: readonly string[],
  options: { questionsOnly?: boolean } = {},
): PhraseSearch {
  const units = sentenceUnits(text, options);
  let best: UnitMatch | null = null;
  let opposite: UnitMatch | null = null;
  for (const p of phrasings) {
    const content = phraseContent(p);
    if (content.length === 0) continue;
    const m = bestMatch(text, units, content);
    if (m.same && (!best || m.same.score > best.score)) best = m.same;
    if (m.opposite && (!opposite || m.opposite.oppositeScore > opposite.oppositeScore)) opposite = m.opposite;
  }
  return { best, opposite };
}

/** Evidence quoting a whole unit (the sentence the match rests on), punctuation trimmed. */
export function unitEvidence(text: AnalysedText, unit: { from: number; to: number }): Evidence {
  let to = unit.to - 1;
  while (to > unit.from && text.tokens[to]?.punct) to--;
  return evidenceFor(text, unit.from, to);
}

export function checkKeyMessage(text: AnalysedText, message: KeyMessage): CheckResult {
  const name = `"${label(message.text)}"`;
  const { best, opposite } = searchPhrasings(text, [message.text, ...message.phrasings]);
  if (best && best.score >= KEY_MESSAGE_THRESHOLD) {
    const evidence = unitEvidence(text, best.unit);
    return {
      kind: 'keyMessage',
      id: message.id,
      status: 'pass',
      evidence: [evidence],
      confidence: Math.min(1, best.score),
      message: `you covered ${name} at ${formatTime(evidence.start)}`,
    };
  }
  if (opposite && opposite.oppositeScore >= KEY_MESSAGE_THRESHOLD) {
    const evidence = unitEvidence(text, opposite.unit);
    return {
      kind: 'keyMessage',
      id: message.id,
      status: 'fail',
      evidence: [evidence],
      confidence: Math.min(1, opposite.oppositeScore),
      message: `at ${formatTime(evidence.start)} you said the opposite of ${name}`,
    };
  }
  return {
    kind: 'keyMessage',
    id: message.id,
    status: 'fail',
    evidence: [],
    confidence: 1 - Math.min(1, best?.score ?? 0),
    message: `you did not get across ${name}`,
  };
}
