/**
 * The reference ranges the UI shows next to each metric, with where each range comes from.
 * `kind` tells how much weight a range can bear: 'peer-reviewed' (published research), 'industry'
 * (vendor analysis or educational material), 'default' (a Rehearse choice with no published norm).
 * See docs/delivery-metrics.md for the reasoning behind each.
 */
export type SourceKind = 'peer-reviewed' | 'industry' | 'default';

export interface ReferenceRange {
  low: number;
  high: number;
  unit: string;
  source: string;
  kind: SourceKind;
}

export const referenceRanges = {
  wordsPerMinute: {
    low: 140,
    high: 170,
    unit: 'words/min',
    source:
      'Tauroza & Allison 1990, Applied Linguistics 11(1): radio ≈160, lectures ≈140 wpm; NCVS: ≈150 wpm conversational US English',
    kind: 'peer-reviewed',
  },
  fillersPer100Words: {
    low: 0,
    high: 5,
    unit: 'per 100 words',
    source:
      'Bortfeld et al. 2001, Language and Speech 44(2): ≈6 disfluencies (all kinds) per 100 words in conversation; cut-off is a Rehearse choice',
    kind: 'peer-reviewed',
  },
  hedgesPer100Words: {
    low: 0,
    high: 3,
    unit: 'per 100 words',
    source: 'Rehearse default; no published norm for hedging rates in sales talk',
    kind: 'default',
  },
  longestPauseSeconds: {
    low: 0,
    high: 3,
    unit: 's',
    source:
      'Campione & Véronis 2002, Speech Prosody: long silent pauses are > 1 s; a 3 s ceiling is a Rehearse choice',
    kind: 'default',
  },
  pausesOver2s: {
    low: 0,
    high: 3,
    unit: 'count',
    source: 'Rehearse default for a 1–3 minute answer',
    kind: 'default',
  },
  talkRatio: {
    low: 0.35,
    high: 0.55,
    unit: 'fraction of talk time',
    source: 'Gong.io analysis of B2B sales calls (industry blog): top discovery calls ≈ 43:57 talk-to-listen',
    kind: 'industry',
  },
  timeUsedRatio: {
    low: 0.6,
    high: 1,
    unit: 'fraction of the answer limit',
    source: 'Rehearse default: well under the limit usually omits content; over it is cut off',
    kind: 'default',
  },
} as const satisfies Record<string, ReferenceRange>;

export type RangedMetric = keyof typeof referenceRanges;

export type RangeRating = 'low' | 'ok' | 'high';

/** 'low' below the range, 'high' above it, 'ok' within (bounds inclusive). */
export function rateAgainstRange(metric: RangedMetric, value: number): RangeRating {
  const range: ReferenceRange = referenceRanges[metric];
  if (value < range.low) return 'low';
  if (value > range.high) return 'high';
  return 'ok';
}
