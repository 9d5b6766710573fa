/**
 * Text analysis for the deterministic judge: runs wink-nlp over the transcript's words and keeps,
 * for every token, the index of the transcript word it came from, so any match can be cited with
 * the words and the seconds it was said at.
 *
 * The text given to wink is the words joined by single spaces; a token is mapped to the word whose
 * characters contain the token's first character ("can't" → tokens "ca" + "n't", both word 5).
 */
import { isPartnerSegment, type Transcript } from '../../../../shared/transcript/transcript';
import type { Evidence } from '../../../../shared/analysis/judgment';
import { isQuestion, opensQuestionAt } from '../../../../shared/text/questions';
import { nlpResources } from './nlp-resources';
import type { ItemSentence, ItemToken, ItsFunction } from 'wink-nlp';
import type { WordConcepts, WordNetPos } from './wordnet';

export interface TimedWord {
  text: string;
  start: number;
  end: number;
}

export interface AnalysedToken {
  text: string;
  /** Lower-case normal form ("n't" → "not"). */
  normal: string;
  lemma: string;
  /** Porter stems of the lemma and of the normal form. */
  stems: string[];
  /** wink's universal POS tag (NOUN, VERB, ADJ, ADV, PRON, AUX…). */
  pos: string;
  /** Inside the scope of a negation ("we can't *start with one depot*"). */
  negated: boolean;
  /** A content word: counts when comparing meaning (not a stop word, filler or punctuation). */
  content: boolean;
  punct: boolean;
  sentence: number;
  /** Index of the transcript word this token belongs to. */
  word: number;
  /** WordNet concepts, computed on demand. */
  concepts?: WordConcepts;
}

export interface AnalysedSentence {
  /** Token range [from, to). */
  from: number;
  to: number;
  /** Ends with "?" or opens like a question ("what budget did you…", "does that…"). */
  question: boolean;
}

export interface AnalysedText {
  words: TimedWord[];
  tokens: AnalysedToken[];
  sentences: AnalysedSentence[];
}

/** Spoken fillers and empty intensifiers that carry no content. */
const NON_CONTENT = new Set([
  'um',
  'uh',
  'er',
  'erm',
  'ah',
  'hmm',
  'mm',
  'yeah',
  'yes',
  'okay',
  'ok',
  'really',
  'just',
  'actually',
  'basically',
  'literally',
  'kind',
  'sort',
  'thing',
  'things',
  'lot',
  'lots',
  'gonna',
  'wanna',
]);

const NON_CONTENT_POS = new Set([
  'PRON',
  'DET',
  'AUX',
  'ADP',
  'CCONJ',
  'SCONJ',
  'PART',
  'INTJ',
  'PUNCT',
  'SYM',
  'X',
]);

/** Negation words wink-nlp does not treat as negations. */
const EXTRA_NEGATORS = new Set(['nobody', 'nothing', 'none', 'neither', 'nor', 'noone']);
const SCOPE_BREAKERS = new Set(['but', 'however', 'although', 'though', 'yet', 'whereas']);

/** The partner's words: all words, or only the partner's in a two-speaker transcript. */
export function partnerWords(transcript: Transcript): TimedWord[] {
  const words: TimedWord[] = [];
  for (const segment of transcript.segments) {
    if (!isPartnerSegment(transcript, segment)) continue;
    for (const w of segment.words) {
      const text = w.text.trim();
      if (text) words.push({ text, start: w.start, end: w.end });
    }
  }
  return words;
}

export function analyseTranscript(transcript: Transcript): AnalysedText {
  return analyseWords(partnerWords(transcript));
}

/** Analyse a phrase from the scenario (no timings). */
export function analysePhrase(text: string): AnalysedText {
  const words = text
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => ({ text: w, start: 0, end: 0 }));
  return analyseWords(words);
}

export function analyseWords(words: TimedWord[]): AnalysedText {
  const { nlp, stem } = nlpResources();
  const its = nlp.its;
  const wordStarts: number[] = [];
  let text = '';
  for (const w of words) {
    if (text) text += ' ';
    wordStarts.push(text.length);
    text += w.text;
  }
  const tokens: AnalysedToken[] = [];
  const sentences: AnalysedSentence[] = [];
  if (!text) return { words, tokens, sentences };

  const doc = nlp.readDoc(text);
  let cursor = 0;
  let wordIndex = 0;
  doc.sentences().each((sentence: ItemSentence, sentenceIndex: number) => {
    const from = tokens.length;
    sentence.tokens().each((t: ItemToken) => {
      const value = t.out();
      cursor += (t.out(its.precedingSpaces) as string).length;
      if (!text.startsWith(value, cursor)) {
        const found = text.indexOf(value, cursor);
        if (found >= 0) cursor = found;
      }
      while (wordIndex + 1 < wordStarts.length && (wordStarts[wordIndex + 1] as number) <= cursor)
        wordIndex++;
      cursor += value.length;
      const normal = (t.out(its.normal) as string).toLowerCase();
      // wink's typings declare its.lemma with the wrong arity; it works at run time
      const lemma = (t.out(its.lemma as unknown as ItsFunction<string>) as string).toLowerCase();
      const pos = t.out(its.pos) as string;
      const type = t.out(its.type) as string;
      const punct = type === 'punctuation';
      const content =
        (type === 'word' || type === 'number') &&
        !(t.out(its.stopWordFlag) as boolean) &&
        !NON_CONTENT_POS.has(pos) &&
        !NON_CONTENT.has(normal) &&
        normal.length > 1;
      tokens.push({
        text: value,
        normal,
        lemma,
        stems: [...new Set([stem(lemma), stem(normal)])],
        pos,
        negated: t.out(its.negationFlag) as boolean,
        content,
        punct,
        sentence: sentenceIndex,
        word: wordIndex,
      });
    });
    applyExtraNegators(tokens, from, tokens.length);
    sentences.push({ from, to: tokens.length, question: false });
  });
  const analysed: AnalysedText = { words, tokens, sentences };
  for (const s of sentences) s.question = sentenceIsQuestion(analysed, s.from, s.to);
  return analysed;
}

/** Extends wink's negation scope to "nobody", "nothing"… up to punctuation or "but". */
function applyExtraNegators(tokens: AnalysedToken[], from: number, to: number): void {
  let active = false;
  for (let i = from; i < to; i++) {
    const t = tokens[i] as AnalysedToken;
    if (t.punct || SCOPE_BREAKERS.has(t.normal)) active = false;
    else if (active) t.negated = true;
    if (EXTRA_NEGATORS.has(t.normal)) active = true;
  }
}

/** The transcript words behind tokens [from, to). */
function wordsOf(text: AnalysedText, from: number, to: number): string[] {
  const first = text.tokens[from];
  const last = text.tokens[to - 1];
  if (!first || !last) return [];
  return text.words.slice(first.word, last.word + 1).map((w) => w.text);
}

function sentenceIsQuestion(text: AnalysedText, from: number, to: number): boolean {
  let asks = false; // a "?" among the closing marks
  for (let i = to - 1; i >= from && text.tokens[i]?.punct; i--) asks ||= text.tokens[i]?.text === '?';
  return isQuestion(wordsOf(text, from, to), asks ? '?' : null);
}

/**
 * A question opens at token i ("…so what budget did you have"): the shared question rule on the
 * words from token i's word to the end of the sentence. Only the first token of a word can open one.
 */
export function questionOpensAt(text: AnalysedText, i: number, to: number): boolean {
  const t = text.tokens[i];
  if (!t || (i > 0 && text.tokens[i - 1]?.word === t.word)) return false;
  return opensQuestionAt(wordsOf(text, i, to));
}

/** WordNet concepts of a content token (lemma and normal form, in wink's POS, else any POS). */
export function conceptsOf(token: AnalysedToken): WordConcepts {
  if (token.concepts) return token.concepts;
  const { wordnet } = nlpResources();
  const forms = [...new Set([token.lemma, token.normal])];
  const look = (pos: WordNetPos): WordConcepts => {
    const own = new Set<string>();
    const related = new Set<string>();
    for (const form of forms) {
      const c = wordnet.conceptsOf(form, pos);
      c.own.forEach((k) => own.add(k));
      c.related.forEach((k) => related.add(k));
    }
    return { own, related };
  };
  const primary = wordNetPos(token.pos);
  let concepts = primary ? look(primary) : { own: new Set<string>(), related: new Set<string>() };
  // wink often tags a verb in the third person as a noun ("routing cuts costs"): a noun/verb
  // ambiguity is resolved by taking both
  const twin = primary === 'n' ? 'v' : primary === 'v' ? 'n' : null;
  if (twin && /s$/.test(token.normal)) {
    const other = look(twin);
    other.own.forEach((k) => concepts.own.add(k));
    other.related.forEach((k) => concepts.related.add(k));
  }
  if (concepts.own.size === 0 && token.pos !== 'NUM') {
    for (const pos of ['v', 'n', 'a'] as const) {
      if (pos === primary) continue;
      concepts = look(pos);
      if (concepts.own.size > 0) break;
    }
  }
  token.concepts = concepts;
  return concepts;
}

function wordNetPos(pos: string): WordNetPos | null {
  switch (pos) {
    case 'NOUN':
    case 'PROPN':
      return 'n';
    case 'VERB':
      return 'v';
    case 'ADJ':
      return 'a';
    case 'ADV':
      return 'r';
    default:
      return null;
  }
}

/** Evidence for the words behind tokens [from, to] (inclusive), with their times. */
export function evidenceFor(text: AnalysedText, fromToken: number, toToken: number): Evidence {
  const first = (text.tokens[fromToken] as AnalysedToken).word;
  const last = (text.tokens[toToken] as AnalysedToken).word;
  const words = text.words.slice(first, last + 1);
  return {
    quote: words.map((w) => w.text).join(' '),
    start: (words[0] as TimedWord).start,
    end: (words[words.length - 1] as TimedWord).end,
  };
}

/** "1:05" for 65 seconds: the shared clock. */
export { formatClock as formatTime } from '../../../../shared/text/format';
