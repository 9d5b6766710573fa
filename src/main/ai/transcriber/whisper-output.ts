/**
 * Reads what whisper.cpp's programs print: progress lines, VAD speech segments, and the error
 * lines that tell a bad model from a bad recording. Pure.
 */
import { AppError } from '../../../shared/errors';
import type { SpeechSpan } from '../../../shared/transcript/transcript';

/** `whisper_print_progress_callback: progress =  45%` → 0.45 (clamped: with temperature fallbacks whisper reports > 100 %). */
export function parseProgressLine(line: string): number | undefined {
  const match = /progress\s*=\s*(\d+)%/.exec(line);
  if (!match) return undefined;
  return Math.min(1, Math.max(0, Number(match[1]) / 100));
}

/**
 * `Speech segment 0: start = 32.00, end = 227.00` lines from whisper-vad-speech-segments. The
 * program prints times in centiseconds (10 ms units); we return seconds.
 */
export function parseVadSegments(stdout: string): SpeechSpan[] {
  const spans: SpeechSpan[] = [];
  for (const match of stdout.matchAll(/Speech segment \d+: start = ([\d.]+), end = ([\d.]+)/g)) {
    const start = Number(match[1]) / 100;
    const end = Number(match[2]) / 100;
    if (Number.isFinite(start) && Number.isFinite(end) && end >= start) {
      spans.push({ start: Math.round(start * 1000) / 1000, end: Math.round(end * 1000) / 1000 });
    }
  }
  return spans;
}

/** Speech spans derived from transcript segments, when no VAD model is configured (coarse). */
export function spansFromSegments(
  segments: ReadonlyArray<{ start: number; end: number }>,
  joinGapSeconds = 0.3,
): SpeechSpan[] {
  const spans: SpeechSpan[] = [];
  for (const s of [...segments].sort((a, b) => a.start - b.start)) {
    const last = spans[spans.length - 1];
    if (last && s.start - last.end <= joinGapSeconds) last.end = Math.max(last.end, s.end);
    else spans.push({ start: s.start, end: s.end });
  }
  return spans;
}

/** Maps a failed whisper.cpp run (non-zero exit) to an AppError from its stderr. */
export function whisperFailureToError(opts: {
  program: string;
  stderr: string;
  exitCode: number | null;
  exitSignal: string | null;
  modelPath: string;
  inputName: string;
}): AppError {
  const { stderr } = opts;
  const lastLine =
    stderr
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? '';
  if (/failed to open '/.test(stderr)) {
    return new AppError('MODEL_MISSING', `Model file not found: ${opts.modelPath}`, {
      hint: 'Run `rehearse models install whisper`',
    });
  }
  if (
    /bad magic|failed to load model|invalid model|failed to initialize whisper context|unknown (tensor|model)/i.test(
      stderr,
    )
  ) {
    return new AppError(
      'MODEL_INVALID',
      `${opts.program} could not load the model ${opts.modelPath}: ${lastLine}`,
      {
        hint: 'The model file is damaged or of the wrong kind; reinstall it with `rehearse models install whisper`',
      },
    );
  }
  if (/failed to read audio/i.test(stderr)) {
    return new AppError('MEDIA_INVALID', `${opts.program} could not read ${opts.inputName}`, {
      hint: 'Convert it with `ffmpeg -i in -ar 16000 -ac 1 out.wav`',
    });
  }
  if (opts.exitSignal === 'SIGILL') {
    return new AppError('INTERNAL', `${opts.program} uses CPU instructions this computer lacks`, {
      hint: 'Rebuild it with REHEARSE_WHISPER_PORTABLE=1 node scripts/build-whisper.js --force',
    });
  }
  // The input was checked before the run, so a crash (an uncaught C++ exception from a short
  // vocabulary, a bad tensor) almost always means a damaged model file.
  if (
    opts.exitSignal === 'SIGABRT' ||
    opts.exitSignal === 'SIGSEGV' ||
    opts.exitSignal === 'SIGBUS' ||
    /terminate called/.test(stderr)
  ) {
    return new AppError(
      'MODEL_INVALID',
      `${opts.program} crashed while using the model ${opts.modelPath}: ${lastLine}`,
      {
        hint: 'The model file is probably damaged; reinstall it with `rehearse models install whisper`',
      },
    );
  }
  const how = opts.exitSignal ? `was killed by ${opts.exitSignal}` : `exited with status ${opts.exitCode}`;
  return new AppError('INTERNAL', `${opts.program} ${how}: ${lastLine}`, {
    hint:
      opts.exitSignal === 'SIGKILL'
        ? 'The system may be out of memory; close other apps or use a smaller model'
        : 'Run with REHEARSE_LOG=debug and report the log',
  });
}
