/**
 * The speech-to-text port. The pipeline depends on this interface only; the whisper.cpp adapter
 * (whisper-cli-transcriber.ts) implements it by running a separate process, so transcription
 * never blocks the UI or the main process.
 */
import type { Transcript } from '../../../shared/transcript/transcript';

export interface TranscribeInput {
  /** A recording: ideally a 16 kHz mono WAV; other WAVs and formats are converted with ffmpeg. */
  wavPath: string;
  /** ISO 639-1 code ("en"); default "en". */
  language?: string;
}

export interface TranscribeOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Fractions in 0..1, non-decreasing, ending with 1 on success. */
  onProgress?: (fraction: number) => void;
}

export interface Transcriber {
  /**
   * Rejects with AppError: MODEL_MISSING / MODEL_INVALID (model files), MEDIA_INVALID (input),
   * NOT_FOUND (binary or input missing), CANCELLED, TIMEOUT, INTERNAL.
   * A recording without speech resolves with an empty `segments` array.
   */
  transcribe(input: TranscribeInput, opts?: TranscribeOptions): Promise<Transcript>;
  /** Stops any run in progress and releases resources. */
  dispose(): Promise<void>;
}
