/**
 * Questions the partner asks.
 *
 * FORMULA: the partner's words are split into sentences (see splitSentences); a sentence is a
 * question by the one question rule of src/shared/text/questions.ts (a final "?", or an
 * interrogative opening or tag question, punctuated or not). Each question is reported with the
 * time of its first and last word.
 *
 * REFERENCE: none in the range table; the count is scenario-dependent. Gong's public analysis of
 * recorded B2B discovery calls (industry blog, not peer-reviewed) reported 11–14 questions per call
 * for its most successful calls.
 *
 * LIMITS: those of the question rule; intonation-only questions ("You're on Salesforce") without a
 * "?" or a tag are missed.
 */
import { isQuestion } from '../text/questions';
import type { TimedToken } from './delivery-metrics-types';
import { splitSentences } from './sentences';
import type { MetricToken } from './timeline';

export function detectQuestions(tokens: MetricToken[], pauseThreshold = 0.5): TimedToken[] {
  const out: TimedToken[] = [];
  for (const sentence of splitSentences(tokens, pauseThreshold)) {
    const first = sentence.tokens[0];
    const last = sentence.tokens[sentence.tokens.length - 1];
    if (!first || !last) continue;
    const question = isQuestion(
      sentence.tokens.map((t) => t.norm),
      sentence.punctuated ? last.terminal : null,
    );
    if (question)
      out.push({
        text: sentence.tokens.map((t) => t.text).join(' '),
        start: first.start,
        end: sentence.tokens.reduce((m, t) => Math.max(m, t.end), first.end),
      });
  }
  return out;
}
