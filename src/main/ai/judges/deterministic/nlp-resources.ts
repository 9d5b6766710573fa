/**
 * The language resources of the deterministic judge, loaded once per process on first use:
 * wink-nlp with its English lite model (sentences, tokens, lemmas, POS, negation), WordNet 3.1
 * and the Porter stemmer from `natural`.
 */
import winkNLP from 'wink-nlp';
import type { WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { createLogger } from '../../../core/util/logger';
import { WordNet } from './wordnet';

const log = createLogger('judge.deterministic');

export interface NlpResources {
  nlp: WinkMethods;
  wordnet: WordNet;
  stem: (word: string) => string;
  /** Milliseconds it took to build these resources (wink model; WordNet files load lazily). */
  loadMs: number;
}

let resources: NlpResources | null = null;

export function nlpResources(): NlpResources {
  if (resources) return resources;
  const started = performance.now();
  const nlp = winkNLP(model);
  const wordnet = new WordNet();
  const stemCache = new Map<string, string>();
  const stem = (word: string): string => {
    let s = stemCache.get(word);
    if (s === undefined) {
      s = PorterStemmer.stem(word);
      stemCache.set(word, s);
    }
    return s;
  };
  const loadMs = performance.now() - started;
  log.debug('language resources loaded', { loadMs: Math.round(loadMs) });
  resources = { nlp, wordnet, stem, loadMs };
  return resources;
}
