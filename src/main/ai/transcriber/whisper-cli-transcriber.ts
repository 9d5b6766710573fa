/**
 * Transcriber backed by whisper.cpp's command-line programs, run as child processes (args arrays,
 * no shell). One call:
 *   1. checks the model files' magic (MODEL_MISSING / MODEL_INVALID before anything is spawned);
 *   2. checks the recording's header and converts it to 16 kHz mono with ffmpeg if needed;
 *   3. runs whisper-vad-speech-segments for the `speech` spans when a VAD model is configured
 *      (no speech at all: returns an empty transcript without running whisper);
 *   4. runs whisper-cli with full JSON output (-ojf: token timestamps) and progress lines (-pp);
 *   5. maps the JSON to a Transcript, dropping segments that lie wholly outside the speech spans.
 * The whole call shares one deadline; abort or timeout kills the running child (SIGTERM, then
 * SIGKILL) and the per-call temporary folder is removed in every case.
 *
 * VAD is deliberately not passed to whisper-cli (`--vad`): whisper.cpp 1.9.1 maps segment times
 * back to the original timeline after VAD but not token times, so word timings would be wrong.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppError, isAppError } from '../../../shared/errors';
import type { Segment, SpeechSpan, Transcript } from '../../../shared/transcript/transcript';
import { createLogger } from '../../core/util/logger';
import { prepareAudio } from '../audio/prepare-audio';
import { ProcessStartError, runProcess, type ProcessResult } from '../audio/run-process';
import { checkModelFile } from './model-file';
import type { TranscribeInput, TranscribeOptions, Transcriber } from './transcriber';
import { resolveWhisperBinaries, type WhisperBinaries } from './whisper-binary';
import { parseWhisperJson, whisperJsonToSegments } from './whisper-json';
import {
  parseProgressLine,
  parseVadSegments,
  spansFromSegments,
  whisperFailureToError,
} from './whisper-output';

const log = createLogger('transcriber');

/**
 * Whisper was trained on transcripts that mostly leave out "um" and "uh"; a prompt written in the
 * disfluent style makes it more likely to keep them (see docs/transcription.md for the limits).
 */
export const DEFAULT_FILLER_PROMPT =
  "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking. Uh, so, um, yeah.";

export interface WhisperCliTranscriberConfig {
  /** A whisper.cpp ggml model, e.g. ggml-base.en-q5_1.bin. */
  modelPath: string;
  /** Catalogue id of the model, used in install hints and in `source`. */
  modelId?: string;
  /** A Silero ggml VAD model; enables `speech` spans from real voice-activity detection. */
  vadModelPath?: string;
  /** Default: resolveWhisperBinaries(). */
  binaries?: WhisperBinaries;
  /** CPU threads for whisper (default: up to 4 of the available cores). */
  threads?: number;
  /** Initial prompt that nudges whisper to keep fillers; `false` for none. */
  fillerPrompt?: string | false;
  /** Pass whisper's --suppress-nst (suppress non-speech tokens); default false, which keeps more fillers. */
  suppressNonSpeechTokens?: boolean;
  /** Beam size (whisper-cli default 5; 1 = greedy, faster). */
  beamSize?: number;
  /** VAD probability threshold (default 0.5). */
  vadThreshold?: number;
  /** Drop whisper segments that overlap no VAD speech span (hallucinations in silence). Default true. */
  dropSegmentsOutsideSpeech?: boolean;
  /** ffmpeg executable for conversions (default REHEARSE_FFMPEG or `ffmpeg` on PATH). */
  ffmpegPath?: string;
  /** Longer recordings are refused (default 2 h). */
  maxDurationSeconds?: number;
  /** Parent folder for per-call temporary folders (default os.tmpdir()). */
  tempDir?: string;
  /** Diagnostics and tests: called with each child process started. */
  onSpawn?: (info: { pid: number; program: string }) => void;
}

function defaultThreads(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

/** Progress reporter that never goes backwards and ends at exactly 1. */
function monotonic(report: ((f: number) => void) | undefined): (f: number) => void {
  let last = -1;
  return (f) => {
    const clamped = Math.min(1, Math.max(0, f));
    if (report && clamped > last) {
      last = clamped;
      report(clamped);
    }
  };
}

function overlaps(segment: Segment, spans: readonly SpeechSpan[]): boolean {
  return spans.some((s) => segment.start < s.end && segment.end > s.start);
}

export class WhisperCliTranscriber implements Transcriber {
  private readonly inFlight = new Set<{ controller: AbortController; done: Promise<unknown> }>();
  private disposed = false;

  constructor(private readonly config: WhisperCliTranscriberConfig) {}

  private get source(): string {
    return `whisper.cpp ${this.config.modelId ?? path.basename(this.config.modelPath).replace(/\.bin$/, '')}`;
  }

  transcribe(input: TranscribeInput, opts: TranscribeOptions = {}): Promise<Transcript> {
    if (this.disposed) return Promise.reject(new AppError('INTERNAL', 'The transcriber was disposed'));
    const controller = new AbortController();
    const onAbort = () => controller.abort(new AppError('CANCELLED', 'Transcription was cancelled'));
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(
            () =>
              controller.abort(
                new AppError(
                  'TIMEOUT',
                  `Transcription took longer than ${(opts.timeoutMs! / 1000).toFixed(1)} s`,
                  {
                    hint: 'Try a shorter recording or a smaller model, or raise the time limit',
                  },
                ),
              ),
            opts.timeoutMs,
          );
    const done = this.run(input, controller.signal, monotonic(opts.onProgress)).finally(() => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      this.inFlight.delete(entry);
    });
    const entry = { controller, done };
    this.inFlight.add(entry);
    return done;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const running = [...this.inFlight];
    for (const r of running)
      r.controller.abort(new AppError('CANCELLED', 'Transcription was cancelled: shutting down'));
    await Promise.allSettled(running.map((r) => r.done));
  }

  private async run(
    input: TranscribeInput,
    signal: AbortSignal,
    progress: (f: number) => void,
  ): Promise<Transcript> {
    const throwIfAborted = () => {
      if (signal.aborted) throw signal.reason as AppError;
    };
    const cfg = this.config;
    throwIfAborted();
    const wanted = (input.language ?? 'en').toLowerCase();
    // whisper.cpp's ".en" models know English only; asked for another language they would
    // silently produce English-sounding nonsense, so refuse up front.
    if (wanted !== 'en' && wanted !== 'auto' && /\.en([.-]|$)/.test(path.basename(cfg.modelPath)))
      throw new AppError(
        'INVALID_INPUT',
        `The speech model ${path.basename(cfg.modelPath)} understands English only, not "${wanted}"`,
        {
          hint: 'Install a multilingual whisper model (one without ".en" in its name) to practise in other languages.',
        },
      );
    await checkModelFile(cfg.modelPath, 'whisper', cfg.modelId);
    if (cfg.vadModelPath) await checkModelFile(cfg.vadModelPath, 'vad');
    const binaries = cfg.binaries ?? resolveWhisperBinaries();
    if (cfg.vadModelPath && !binaries.vad) {
      throw new AppError('NOT_FOUND', `whisper-vad-speech-segments was not found beside ${binaries.cli}`, {
        hint: 'Run `node scripts/build-whisper.js`',
      });
    }

    const tempParent = cfg.tempDir ?? os.tmpdir();
    await fs.mkdir(tempParent, { recursive: true });
    const tempDir = await fs.mkdtemp(path.join(tempParent, 'rehearse-whisper-'));
    try {
      const started = Date.now();
      const audio = await prepareAudio(input.wavPath, {
        tempDir,
        ffmpegPath: cfg.ffmpegPath,
        maxDurationSeconds: cfg.maxDurationSeconds,
        signal,
      }).catch((error: unknown) => {
        throwIfAborted();
        throw error;
      });
      progress(0.02);
      const inputName = path.basename(input.wavPath);
      const language = input.language ?? 'en';
      const empty: Transcript = {
        language,
        durationSeconds: audio.durationSeconds,
        segments: [],
        source: this.source,
      };

      let speech: SpeechSpan[] | undefined;
      if (cfg.vadModelPath && binaries.vad) {
        speech = await this.detectSpeech(binaries.vad, cfg.vadModelPath, audio.wavPath, inputName, signal);
        progress(0.05);
        log.debug('vad done', { spans: speech.length, ms: Date.now() - started });
        if (speech.length === 0) {
          progress(1);
          return { ...empty, speech };
        }
      }

      const outBase = path.join(tempDir, 'transcript');
      const args = [
        '-m',
        cfg.modelPath,
        '-f',
        audio.wavPath,
        '-l',
        language,
        '-t',
        String(cfg.threads ?? defaultThreads()),
        '-ojf',
        '-of',
        outBase,
        '-pp',
      ];
      if (cfg.beamSize !== undefined) args.push('-bs', String(cfg.beamSize));
      const prompt = cfg.fillerPrompt === undefined ? DEFAULT_FILLER_PROMPT : cfg.fillerPrompt;
      if (prompt) args.push('--prompt', prompt);
      if (cfg.suppressNonSpeechTokens) args.push('-sns');

      const base = speech ? 0.05 : 0.02;
      const result = await this.runProgram(binaries.cli, args, signal, (line) => {
        const f = parseProgressLine(line);
        if (f !== undefined) progress(base + (0.97 - base) * f);
      });
      if (result.exitCode !== 0) {
        throw whisperFailureToError({
          program: 'whisper-cli',
          stderr: result.stderr,
          exitCode: result.exitCode,
          exitSignal: result.exitSignal,
          modelPath: cfg.modelPath,
          inputName,
        });
      }
      let jsonText: string;
      try {
        jsonText = await fs.readFile(`${outBase}.json`, 'utf8');
      } catch (error) {
        // whisper-cli exits 0 after skipping an input it could not read.
        throw /failed to read audio/i.test(result.stderr)
          ? whisperFailureToError({
              program: 'whisper-cli',
              stderr: result.stderr,
              exitCode: result.exitCode,
              exitSignal: null,
              modelPath: cfg.modelPath,
              inputName,
            })
          : new AppError('INTERNAL', 'whisper-cli produced no transcript file', {
              hint: 'Run with REHEARSE_LOG=debug and report the log',
              cause: error,
            });
      }
      let json;
      try {
        json = parseWhisperJson(jsonText);
      } catch (error) {
        throw new AppError('INTERNAL', 'whisper-cli wrote a transcript that cannot be read', {
          hint: 'Run with REHEARSE_LOG=debug and report the log',
          cause: error,
        });
      }
      let segments = whisperJsonToSegments(json);
      if (speech && (cfg.dropSegmentsOutsideSpeech ?? true))
        segments = segments.filter((s) => overlaps(s, speech));
      log.debug('transcribed', {
        segments: segments.length,
        ms: Date.now() - started,
        converted: audio.converted,
      });
      progress(1);
      return {
        ...empty,
        language: json.result?.language && json.result.language.length >= 2 ? json.result.language : language,
        segments,
        speech: speech ?? spansFromSegments(segments),
      };
    } finally {
      await fs.rm(tempDir, { recursive: true, force: true }).catch((error: unknown) => {
        log.warn('could not remove temporary folder', { tempDir, error: String(error) });
      });
    }
  }

  private async detectSpeech(
    program: string,
    vadModel: string,
    wavPath: string,
    inputName: string,
    signal: AbortSignal,
  ): Promise<SpeechSpan[]> {
    const args = ['-vm', vadModel, '-f', wavPath, '-t', '1', '-np'];
    if (this.config.vadThreshold !== undefined) args.push('-vt', String(this.config.vadThreshold));
    const result = await this.runProgram(program, args, signal);
    if (result.exitCode !== 0) {
      const error = whisperFailureToError({
        program: 'whisper-vad-speech-segments',
        stderr: result.stderr,
        exitCode: result.exitCode,
        exitSignal: result.exitSignal,
        modelPath: vadModel,
        inputName,
      });
      if (error.code === 'MODEL_INVALID' || error.code === 'MODEL_MISSING') {
        throw new AppError(error.code, error.message, {
          hint: 'Reinstall it with `rehearse models install silero-vad-v6.2.0`',
        });
      }
      throw error;
    }
    return parseVadSegments(result.stdout);
  }

  private async runProgram(
    program: string,
    args: string[],
    signal: AbortSignal,
    onStderrLine?: (line: string) => void,
  ): Promise<ProcessResult> {
    const name = path.basename(program);
    log.debug('spawn', { program, args });
    try {
      return await runProcess(program, args, {
        signal,
        onStderrLine,
        what: name,
        onSpawn: (pid) => this.config.onSpawn?.({ pid, program: name }),
      });
    } catch (error) {
      if (signal.aborted && isAppError(signal.reason)) throw signal.reason;
      if (error instanceof ProcessStartError) {
        throw new AppError('NOT_FOUND', `Cannot run ${program} (${error.code})`, {
          hint: 'Run `node scripts/build-whisper.js`, or set REHEARSE_WHISPER_BIN to a whisper-cli executable',
          cause: error,
        });
      }
      throw error;
    }
  }
}

export function createWhisperCliTranscriber(config: WhisperCliTranscriberConfig): Transcriber {
  return new WhisperCliTranscriber(config);
}
