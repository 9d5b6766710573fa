/**
 * The shape of the delivery metrics computed from a transcript (see src/shared/metrics for the
 * formulas, reference ranges and sources).
 */
export interface TimedToken {
  text: string;
  /** Seconds. */
  start: number;
  end: number;
}

export interface Pause {
  start: number;
  end: number;
  seconds: number;
}

export interface DeliveryMetrics {
  durationSeconds: number;
  /** Seconds of the partner speaking. */
  speakingSeconds: number;
  wordCount: number;
  wordsPerMinute: number;
  /** Words per minute over the whole recording (durationSeconds), listening and silences included. */
  wordsPerMinuteOverall?: number;
  /** WPM in consecutive windows (default 15 s) for the pace-over-time chart. */
  paceOverTime: Array<{ start: number; end: number; wordsPerMinute: number }>;
  fillerCount: number;
  fillersPer100Words: number;
  fillers: TimedToken[];
  pauses: Pause[];
  pauseCount: number;
  longestPauseSeconds: number;
  pausesOver2s: number;
  /** Longest stretch of talk without a pause, in seconds. */
  longestStretchSeconds: number;
  questionsAsked: number;
  questions: TimedToken[];
  hedgeCount: number;
  hedgesPer100Words: number;
  hedges: TimedToken[];
  /** Answer length against the scenario's answer time limit. */
  timeLimitSeconds: number | null;
  timeUsedRatio: number | null;
  /** Partner talk time / total talk time, for two-speaker transcripts; null for monologues. */
  talkRatio: number | null;
  /** The minimum silence, in seconds, that counted as a pause. */
  pauseThresholdSeconds?: number;
}
