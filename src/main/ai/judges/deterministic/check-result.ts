import type { Evidence } from '../../../../shared/analysis/judgment';
import { analysePhrase, type AnalysedText, type AnalysedToken } from './text-analysis';

export type CheckStatus = 'pass' | 'fail' | 'unknown';

/** The outcome of one check of a criterion (one key message, one question, one metric…). */
export interface CheckResult {
  kind: 'keyMessage' | 'question' | 'forbiddenPhrases' | 'objectionStep' | 'delivery';
  /** Key message id, question id, step name or metric name. */
  id: string;
  status: CheckStatus;
  evidence: Evidence[];
  /** 0..1: how sure the matcher is (the similarity for phrase matches). */
  confidence: number;
  /** One short clause addressed to the partner ("you covered … at 0:42"). */
  message: string;
}

const phraseCache = new Map<string, AnalysedText>();

/** A scenario phrase analysed once per process (phrases are few and reused across attempts). */
export function phrase(text: string): AnalysedText {
  let analysed = phraseCache.get(text);
  if (!analysed) {
    if (phraseCache.size > 5000) phraseCache.clear();
    analysed = analysePhrase(text);
    phraseCache.set(text, analysed);
  }
  return analysed;
}

export function phraseContent(text: string): AnalysedToken[] {
  return phrase(text).tokens.filter((t) => t.content);
}

/** Shortens scenario text for feedback: "Fleet operators cut fuel costs by…". */
export function label(text: string, max = 60): string {
  const clean = text.trim().replace(/[.?!]+$/, '');
  return clean.length <= max ? clean : `${clean.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
}
