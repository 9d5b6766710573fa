/**
 * All delivery metrics of one transcript (see the module of each metric for its formula, reference
 * range and source). Counts only the partner's words when speakers are labelled. Pure and
 * deterministic: no clock, no I/O; an empty transcript gives zeros and nulls, never NaN.
 */
import type { DeliveryMetrics } from './delivery-metrics-types';
import type { Transcript } from '../transcript/transcript';
import { detectFillers } from './fillers';
import { detectHedges } from './hedges';
import { DEFAULT_PAUSE_THRESHOLD, findPauses, longestStretch, summarizePauses } from './pauses';
import { detectQuestions } from './questions';
import { DEFAULT_PACE_WINDOW_SECONDS, paceOverTime, totalSpanSeconds, wordsPerMinute } from './speaking-rate';
import { talkRatio } from './talk-ratio';
import { timeUsedRatio } from './time-limit';
import { buildTimeline, selectPartner } from './timeline';

export interface DeliveryMetricsOptions {
  /** The scenario's answer time limit in seconds; without it timeUsedRatio is null. */
  answerSeconds?: number | null;
  /** Speaker label of the partner being assessed; defaults to transcript.partnerSpeaker. */
  partnerSpeaker?: string;
  /** Minimum silence in seconds that counts as a pause (default 0.5). */
  pauseThreshold?: number;
  /** Window length for paceOverTime in seconds (default 15). */
  paceWindowSeconds?: number;
}

function per100(count: number, words: number): number {
  return words > 0 ? Math.round((count / words) * 100 * 100) / 100 : 0;
}

export function computeDeliveryMetrics(
  transcript: Transcript,
  options: DeliveryMetricsOptions = {},
): DeliveryMetrics {
  const pauseThreshold =
    options.pauseThreshold !== undefined && options.pauseThreshold > 0
      ? options.pauseThreshold
      : DEFAULT_PAUSE_THRESHOLD;
  const partnerOption =
    options.partnerSpeaker === undefined ? {} : { partnerSpeaker: options.partnerSpeaker };
  const timeline = buildTimeline(transcript, partnerOption);
  const { tokens, turns, durationSeconds } = timeline;
  const wordCount = tokens.length;
  const speakingSeconds = totalSpanSeconds(turns);

  const fillers = detectFillers(tokens, { pauseThreshold });
  const hedges = detectHedges(tokens);
  const questions = detectQuestions(tokens, pauseThreshold);
  const pauses = findPauses(tokens, turns, {
    threshold: pauseThreshold,
    ...(transcript.speech ? { speech: transcript.speech } : {}),
  });
  const limit = options.answerSeconds ?? null;

  return {
    durationSeconds: Math.round(durationSeconds * 1000) / 1000,
    speakingSeconds,
    wordCount,
    wordsPerMinute: wordsPerMinute(wordCount, speakingSeconds),
    wordsPerMinuteOverall: wordsPerMinute(wordCount, durationSeconds),
    paceOverTime: paceOverTime(
      tokens,
      durationSeconds,
      options.paceWindowSeconds ?? DEFAULT_PACE_WINDOW_SECONDS,
    ),
    fillerCount: fillers.length,
    fillersPer100Words: per100(fillers.length, wordCount),
    fillers,
    pauses,
    ...summarizePauses(pauses),
    longestStretchSeconds: longestStretch(turns, pauses),
    questionsAsked: questions.length,
    questions,
    hedgeCount: hedges.length,
    hedgesPer100Words: per100(hedges.length, wordCount),
    hedges,
    timeLimitSeconds: limit !== null && limit > 0 ? limit : null,
    timeUsedRatio: timeUsedRatio(durationSeconds, limit),
    talkRatio: talkRatio(timeline.talkSecondsBySpeaker, selectPartner(transcript, partnerOption)),
    pauseThresholdSeconds: pauseThreshold,
  };
}
