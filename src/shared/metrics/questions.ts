/**
 * Questions the partner asks.
 *
 * FORMULA: the partner's words are split into sentences (see splitSentences). A sentence is a question
 * when its punctuation ends in "?", or — only when the text carries no sentence punctuation at all —
 * when it opens with an interrogative pattern (isInterrogativeOpening). Each question is reported
 * with the time of its first and last word.
 *
 * REFERENCE: none in the range table; the count is scenario-dependent. Gong's public analysis of
 * recorded B2B discovery calls (industry blog, not peer-reviewed) reported 11–14 questions per call
 * for its most successful calls.
 *
 * LIMITS: "what" openers are only taken when an auxiliary follows ("what is", "what do"), so
 * "What I did was…" is not a question, but intonation-only questions ("You're on Salesforce?")
 * without a "?" are missed, and whisper's own punctuation decides the punctuated case.
 */
import type { TimedToken } from './delivery-metrics-types';
import { splitSentences } from './sentences';
import type { MetricToken } from './timeline';

const AUX = new Set([
  'is',
  'are',
  'was',
  'were',
  'do',
  'does',
  'did',
  'can',
  'could',
  'would',
  'will',
  'should',
  'shall',
  'might',
  'may',
  'have',
  'has',
  'had',
  "don't",
  "doesn't",
  "didn't",
  "isn't",
  "aren't",
  "won't",
  "wouldn't",
  "can't",
  "couldn't",
  "shouldn't",
  "haven't",
  "hasn't",
]);
const WH_CONTRACTED = new Set([
  "what's",
  "how's",
  "who's",
  "where's",
  "when's",
  "why's",
  "what're",
  "who're",
]);
const WH_NEEDS_AUX = new Set(['what', 'where', 'when', 'who', 'which', 'whose', 'whom']);
const HOW_NEXT = new Set(['many', 'much', 'long', 'often', 'soon', 'far', 'big', 'about', 'come']);
const AUX_SUBJECT = new Set([
  'you',
  'we',
  'they',
  'there',
  'it',
  'i',
  'that',
  'this',
  'he',
  'she',
  'your',
  'anyone',
  'anybody',
]);
const TAG_OPENERS = new Set(['any', 'anything', 'anyone']);

/** Whether these normalised words open a question: wh-word + auxiliary ("what is", "why not"), "how" + aux/many/…, aux + subject ("can you", "is there"). */
export function isInterrogativeOpening(words: string[]): boolean {
  // Skip discourse openers: "so what is…", "and how do…", "okay can you…".
  let i = 0;
  while (
    i < words.length - 1 &&
    ['so', 'and', 'but', 'okay', 'ok', 'well', 'now', 'then', 'um', 'uh', 'also'].includes(words[i] ?? '')
  )
    i++;
  const w0 = words[i] ?? '';
  const w1 = words[i + 1] ?? '';
  if (w0 === '') return false;
  if (WH_CONTRACTED.has(w0)) return true;
  if (w0 === 'why') return AUX.has(w1) || w1 === 'not';
  if (w0 === 'how') return AUX.has(w1) || HOW_NEXT.has(w1);
  if (WH_NEEDS_AUX.has(w0))
    return (
      AUX.has(w1) ||
      (w0 === 'which' && w1 !== '' && (words[i + 2] ?? '') !== '' && AUX.has(words[i + 2] ?? ''))
    );
  if (AUX.has(w0)) return AUX_SUBJECT.has(w1);
  if (TAG_OPENERS.has(w0)) return w1 === 'questions' || w1 === 'thoughts' || w1 === 'concerns';
  return false;
}

export function detectQuestions(tokens: MetricToken[], pauseThreshold = 0.5): TimedToken[] {
  const out: TimedToken[] = [];
  for (const sentence of splitSentences(tokens, pauseThreshold)) {
    const first = sentence.tokens[0];
    const last = sentence.tokens[sentence.tokens.length - 1];
    if (!first || !last) continue;
    const question = sentence.punctuated
      ? last.terminal === '?'
      : isInterrogativeOpening(sentence.tokens.map((t) => t.norm));
    if (question)
      out.push({
        text: sentence.tokens.map((t) => t.text).join(' '),
        start: first.start,
        end: sentence.tokens.reduce((m, t) => Math.max(m, t.end), first.end),
      });
  }
  return out;
}
