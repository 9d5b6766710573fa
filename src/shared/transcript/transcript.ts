/**
 * A transcript with word timings, as produced by the Transcriber or imported from a
 * `transcript.json`. All times are in seconds from the start of the recording.
 */
import { z } from 'zod';

export const wordSchema = z.strictObject({
  text: z.string(),
  start: z.number().min(0),
  end: z.number().min(0),
  /** 0..1, when the recogniser reports it. */
  confidence: z.number().min(0).max(1).optional(),
});
export type Word = z.infer<typeof wordSchema>;

export const segmentSchema = z.strictObject({
  start: z.number().min(0),
  end: z.number().min(0),
  text: z.string(),
  /** Speaker label for multi-speaker role-plays ("partner", "customer"); absent for monologues. */
  speaker: z.string().max(40).optional(),
  words: z.array(wordSchema),
});
export type Segment = z.infer<typeof segmentSchema>;

/** Stretches of speech found by voice-activity detection. */
export const speechSpanSchema = z.strictObject({ start: z.number().min(0), end: z.number().min(0) });
export type SpeechSpan = z.infer<typeof speechSpanSchema>;

export const transcriptSchema = z.strictObject({
  language: z.string().min(2).max(16).default('en'),
  durationSeconds: z.number().min(0),
  segments: z.array(segmentSchema).max(100_000),
  /** Voice-activity spans when VAD ran; used for pause metrics. */
  speech: z.array(speechSpanSchema).optional(),
  /** Which engine and model produced it ("whisper.cpp ggml-base.en-q5_1", "import"). */
  source: z.string().max(200).default('import'),
  /** The speaker label of the partner being assessed, for two-speaker transcripts. */
  partnerSpeaker: z.string().max(40).optional(),
});
export type Transcript = z.infer<typeof transcriptSchema>;

/**
 * "The partner's words": whether a segment is the partner's. Every segment of a monologue; in a
 * two-speaker transcript (partnerSpeaker set) the partner's segments and unlabelled ones.
 */
export function isPartnerSegment(
  t: Pick<Transcript, 'partnerSpeaker'>,
  segment: Pick<Segment, 'speaker'>,
): boolean {
  return !t.partnerSpeaker || !segment.speaker || segment.speaker === t.partnerSpeaker;
}

/**
 * Plain-text transcripts get their word timings estimated, not measured; their source says so.
 * The one place the source string is made and recognised.
 */
export const ESTIMATED_TIMINGS_SOURCE = 'plain text (timings estimated at 150 words per minute)';

/** Whether the transcript's word timings were measured (a recogniser, an imported transcript.json). */
export function hasMeasuredTimings(t: Pick<Transcript, 'source'>): boolean {
  return !t.source.startsWith('plain text');
}

/** All words in order, with their segment's speaker attached. */
export function transcriptWords(t: Transcript): Array<Word & { speaker?: string }> {
  return t.segments.flatMap((s) => s.words.map((w) => (s.speaker ? { ...w, speaker: s.speaker } : w)));
}

/** The transcript's text, segments joined by spaces. */
export function transcriptText(t: Transcript): string {
  return t.segments
    .map((s) => s.text.trim())
    .filter(Boolean)
    .join(' ');
}
