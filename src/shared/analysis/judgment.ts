/**
 * What content judges produce. Every verdict rests on evidence: a quote from the transcript and
 * the time span it was said in, so the feedback can seek the video to that moment.
 */
import type { Criterion, Scenario } from '../pack/schema';
import type { DeliveryMetrics } from '../metrics/delivery-metrics-types';
import type { Transcript } from '../transcript/transcript';

export interface Evidence {
  quote: string;
  /** Seconds from the start of the recording. */
  start: number;
  end: number;
}

export type JudgeName = 'deterministic' | 'llm';

export interface CriterionVerdict {
  criterionId: string;
  /** For check criteria: met or not; null when this judge cannot tell (no checks it can run). */
  met: boolean | null;
  /** For rating criteria: level 1-5; null when this judge cannot tell. */
  level: number | null;
  /** 0..1 contribution before weighting (check: 0 or 1; rating: (level-1)/4). null = not judged. */
  score: number | null;
  evidence: Evidence[];
  /** One or two sentences, addressed to the partner. */
  rationale: string;
  judge: JudgeName;
  /** Set when a verdict was thrown out, e.g. an LLM quote not found in the transcript. */
  voided?: string;
}

export interface Judgment {
  judge: JudgeName;
  /** Model file or version that judged, e.g. "qwen2.5-1.5b-instruct-q4_k_m"; absent for deterministic. */
  model?: string;
  verdicts: CriterionVerdict[];
  /** Things the partner should know about how this was judged. */
  notes: string[];
}

export interface JudgeInput {
  scenario: Scenario;
  transcript: Transcript;
  metrics: DeliveryMetrics;
}

export interface JudgeOptions {
  signal?: AbortSignal;
  /** 0..1 */
  onProgress?: (fraction: number, message?: string) => void;
  /**
   * Called once per criterion as soon as its verdict is final (voided verdicts included), before
   * judge() resolves, so feedback can settle criterion by criterion.
   */
  onVerdict?: (verdict: CriterionVerdict) => void;
}

export interface Judge {
  readonly name: JudgeName;
  judge(input: JudgeInput, options?: JudgeOptions): Promise<Judgment>;
}

/** Score of a verdict for a given criterion kind, from met/level. */
export function verdictScore(criterion: Criterion, met: boolean | null, level: number | null): number | null {
  if (criterion.type === 'check') return met === null ? null : met ? 1 : 0;
  return level === null ? null : (level - 1) / 4;
}
