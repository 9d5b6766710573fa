/**
 * The one question rule: whether a spoken sentence is a question. Used by the delivery metric
 * (questions asked), the deterministic judge (required questions, objection steps) and anything
 * else that needs to tell a question from a statement.
 *
 * RULE: a sentence is a question when it ends in "?", or when its words (normalised: lower case,
 * straight apostrophes, no punctuation) open like a question or end in a tag question:
 * - an inverted auxiliary and a subject: "can you…", "could you…", "is there…", "does the team…";
 * - a wh-word with an auxiliary ("what is…", "why not…", "what's…"), "how many/much/long…",
 *   "what/how about…", or a wh-word, a short noun phrase and an inverted auxiliary with a subject
 *   ("so how many vans do you run", "what kind of routing do you use");
 * - an indirect question: "I wonder if…", "I was wondering…", "do you mind…" (already inverted);
 * - an invitation: "any questions", "any thoughts";
 * - a tag at the end: "…right", "…correct", "…isn't it", "…don't you" (not "that's right").
 * Discourse openers ("so", "and", "okay", "um"…) before the opening are skipped.
 *
 * NOT QUESTIONS: a wh-word followed by a subject is a free relative, a statement: "what we do is…",
 * "how we help is…", "what I did was…".
 *
 * LIMITS: intonation-only questions without a tag ("You're on Salesforce") are missed; an
 * unpunctuated transcript is split into sentences by whoever calls this (pauses, wink-nlp).
 */

import { normalizeWord } from './normalize-word';

const AUX = new Set([
  'is',
  'are',
  'am',
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
  "wasn't",
  "weren't",
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
  "where're",
]);
const WH = new Set(['what', 'how', 'why', 'when', 'where', 'which', 'who', 'whom', 'whose']);
const HOW_NEXT = new Set(['many', 'much', 'long', 'often', 'soon', 'far', 'big', 'about', 'come']);
const SUBJECTS = new Set([
  'i',
  'you',
  'we',
  'they',
  'he',
  'she',
  'it',
  'that',
  'this',
  'there',
  'these',
  'those',
  'your',
  'our',
  'their',
  'the',
  'anyone',
  'anybody',
  'someone',
  'somebody',
]);
/** Pronouns that make "wh-word + pronoun" a free relative ("what we do is…"), not a question. */
const PRONOUNS = new Set(['i', 'you', 'we', 'they', 'he', 'she', 'it', "we're", "you're", "they're", "i'm"]);
const OPENERS = new Set([
  'so',
  'and',
  'but',
  'okay',
  'ok',
  'well',
  'now',
  'then',
  'also',
  'um',
  'uh',
  'oh',
  'right',
  'alright',
]);
const INVITATION_OBJECTS = new Set(['questions', 'thoughts', 'concerns', 'objections']);
const INDIRECT_OPENINGS = [
  ['i', 'wonder'],
  ['i', 'was', 'wondering'],
  ["i'm", 'wondering'],
  ['i', 'am', 'wondering'],
  ["i'd", 'like', 'to', 'know'],
  ["i'd", 'love', 'to', 'know'],
];
const TAGS = [
  ['right'],
  ['correct'],
  ["isn't", 'it'],
  ["aren't", 'you'],
  ["aren't", 'they'],
  ["don't", 'you'],
  ["don't", 'they'],
  ["doesn't", 'it'],
  ["wasn't", 'it'],
  ["won't", 'it'],
  ['is', 'that', 'right'],
  ['is', 'that', 'correct'],
];
/** Words before a final "right" that make it an answer or an adjective, not a tag. */
const NOT_TAG_BEFORE_RIGHT = new Set([
  "that's",
  'thats',
  'all',
  'is',
  'was',
  'exactly',
  'quite',
  'absolutely',
  'just',
  'yeah',
  'yes',
  'turn',
  'the',
  'do',
  'get',
  'be',
]);

const startsWith = (words: readonly string[], at: number, seq: readonly string[]): boolean =>
  seq.every((w, k) => words[at + k] === w);

/**
 * Whether a question opens at words[at] (no openers skipped): "can you…", "what is…",
 * "how many vans do you…", "I wonder if…". Used to find a question that opens mid-sentence.
 */
export function opensQuestionAt(words: readonly string[], at = 0): boolean {
  return opensAt(questionWords(words.slice(at)), 0);
}

/** opensQuestionAt on words already normalised. */
function opensAt(words: readonly string[], at: number): boolean {
  const w0 = words[at] ?? '';
  const w1 = words[at + 1] ?? '';
  if (w0 === '') return false;
  if (WH_CONTRACTED.has(w0)) return true;
  if (AUX.has(w0)) return SUBJECTS.has(w1);
  if (w0 === 'any') return INVITATION_OBJECTS.has(w1) || w1 === 'other';
  if (INDIRECT_OPENINGS.some((seq) => startsWith(words, at, seq))) return true;
  if (!WH.has(w0)) return false;
  if (AUX.has(w1)) return true;
  if (w0 === 'why') return w1 === 'not';
  if (w0 === 'how' && HOW_NEXT.has(w1)) return true;
  if (w0 === 'what' && w1 === 'about') return true;
  // wh-word + a short noun phrase + inverted auxiliary + subject: "what budget did you have"
  for (let j = at + 1; j < Math.min(words.length - 1, at + 5); j++) {
    const w = words[j] as string;
    if (PRONOUNS.has(w)) return false; // "what we do is…", "how we help is…"
    if (AUX.has(w)) return SUBJECTS.has(words[j + 1] as string);
  }
  return false;
}

/** Whether the words end in a tag question ("…twelve vans right", "…isn't it"). */
function endsInTagQuestion(words: readonly string[]): boolean {
  for (const tag of TAGS) {
    const at = words.length - tag.length;
    if (at < 2 || !startsWith(words, at, tag)) continue;
    if (tag.length === 1 && NOT_TAG_BEFORE_RIGHT.has(words[at - 1] as string)) continue;
    return true;
  }
  return false;
}

/**
 * Whether a sentence is a question. `words` are its words (any case; punctuation is stripped);
 * `terminal` its final mark when the text was punctuated.
 */
export function isQuestion(words: readonly string[], terminal?: string | null): boolean {
  if (terminal === '?') return true;
  const ws = questionWords(words);
  let i = 0;
  while (i < ws.length - 1 && OPENERS.has(ws[i] as string)) i++;
  return opensAt(ws, i) || endsInTagQuestion(ws);
}

/** Words as the rule compares them: normalised (see normalizeWord), empty ones dropped. */
export function questionWords(words: readonly string[]): string[] {
  return words.map(normalizeWord).filter(Boolean);
}
