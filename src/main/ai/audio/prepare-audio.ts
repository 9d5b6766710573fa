/**
 * Turns a recording into what whisper.cpp reads best: a 16 kHz mono WAV. A WAV that already is
 * one is used in place; anything else (another rate or channel count, webm, mp3, flac...) is
 * converted with ffmpeg into the caller's temporary folder. Headers are checked first, so empty,
 * truncated and over-long files are refused at once, before any process starts.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { createLogger } from '../../core/util/logger';
import { isWhisperReady, looksLikeWav, parseWavHeader, type WavInfo } from './wav-header';
import { ProcessStartError, runProcess } from './run-process';

const log = createLogger('audio');

export const DEFAULT_MAX_DURATION_SECONDS = 2 * 60 * 60;
const HEAD_BYTES = 64 * 1024;
const CONVERT_HINT = 'Install ffmpeg, or convert it yourself: `ffmpeg -i in -ar 16000 -ac 1 out.wav`';

export interface PrepareAudioOptions {
  /** Folder for the converted file; the caller owns and removes it. */
  tempDir: string;
  /** ffmpeg executable (a path, or a name looked up on PATH). Default: REHEARSE_FFMPEG or `ffmpeg`. */
  ffmpegPath?: string;
  /** Longer inputs are refused. Default 2 h. */
  maxDurationSeconds?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface PreparedAudio {
  /** A 16 kHz mono WAV. */
  wavPath: string;
  durationSeconds: number;
  /** Whether ffmpeg produced `wavPath`. */
  converted: boolean;
  /** The header of `wavPath`. */
  info: WavInfo;
}

export function defaultFfmpegPath(): string {
  return process.env.REHEARSE_FFMPEG || 'ffmpeg';
}

/** Reads and checks a WAV file's header (MEDIA_INVALID / NOT_FOUND on problems). */
export async function readWavInfo(file: string): Promise<WavInfo> {
  const { head, size } = await readHead(file);
  return parseWavHeader(head, size, path.basename(file));
}

async function readHead(file: string): Promise<{ head: Uint8Array; size: number }> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('NOT_FOUND', `Recording not found: ${file}`, { cause: error });
    throw new AppError('MEDIA_INVALID', `Cannot open ${path.basename(file)}: ${code ?? String(error)}`, {
      cause: error,
    });
  }
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.min(HEAD_BYTES, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { head: buffer.subarray(0, bytesRead), size };
  } finally {
    await handle.close();
  }
}

function tooLong(name: string, seconds: number, max: number): AppError {
  const fmt = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : `${Math.round(s / 60)} min`);
  return new AppError('MEDIA_INVALID', `${name} is ${fmt(seconds)} long; the limit is ${fmt(max)}`, {
    hint: 'Trim the recording, or raise the maximum duration in the settings',
  });
}

export async function prepareAudio(input: string, opts: PrepareAudioOptions): Promise<PreparedAudio> {
  const max = opts.maxDurationSeconds ?? DEFAULT_MAX_DURATION_SECONDS;
  const name = path.basename(input);
  const { head, size } = await readHead(input);
  if (size === 0)
    throw new AppError('MEDIA_INVALID', `${name}: the file is empty (0 bytes)`, { hint: 'Record again' });

  if (looksLikeWav(head)) {
    const info = parseWavHeader(head, size, name);
    // Duration comes first: a header claiming 3 h is refused as too long, whatever follows.
    if (info.durationSeconds > max) throw tooLong(name, info.durationSeconds, max);
    if (info.truncated) {
      const have = info.availableBytes / (info.dataBytes || 1);
      throw new AppError(
        'MEDIA_INVALID',
        `${name} is truncated: the header declares ${info.durationSeconds.toFixed(1)} s but only ${(have * 100).toFixed(0)} % of the audio is there`,
        { hint: 'The recording was cut off while being written; record again' },
      );
    }
    if (info.dataBytes === 0)
      throw new AppError('MEDIA_INVALID', `${name} holds no audio samples`, { hint: 'Record again' });
    if (isWhisperReady(info))
      return { wavPath: input, durationSeconds: info.durationSeconds, converted: false, info };
    log.debug('converting WAV for whisper', { name, sampleRate: info.sampleRate, channels: info.channels });
  }

  const output = path.join(opts.tempDir, 'audio-16k-mono.wav');
  await convertWithFfmpeg(input, output, { ...opts, maxDurationSeconds: max });
  const info = await readWavInfo(output);
  if (info.durationSeconds > max) throw tooLong(name, info.durationSeconds, max);
  if (info.dataBytes === 0)
    throw new AppError('MEDIA_INVALID', `${name} holds no audio`, { hint: 'Record again' });
  return { wavPath: output, durationSeconds: info.durationSeconds, converted: true, info };
}

async function convertWithFfmpeg(
  input: string,
  output: string,
  opts: PrepareAudioOptions & { maxDurationSeconds: number },
): Promise<void> {
  const ffmpeg = opts.ffmpegPath ?? defaultFfmpegPath();
  const name = path.basename(input);
  const args = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    '-i',
    input,
    // Decode at most a little past the limit, so a 10-hour webm is refused without decoding it all.
    '-t',
    String(opts.maxDurationSeconds + 1),
    '-vn',
    '-ar',
    '16000',
    '-ac',
    '1',
    '-c:a',
    'pcm_s16le',
    '-f',
    'wav',
    output,
  ];
  let result;
  try {
    result = await runProcess(ffmpeg, args, {
      signal: opts.signal,
      timeoutMs: opts.timeoutMs,
      what: 'Audio conversion',
    });
  } catch (error) {
    if (error instanceof ProcessStartError) {
      throw new AppError(
        'MEDIA_INVALID',
        `${name} is not a 16 kHz mono WAV and ffmpeg is not available to convert it`,
        {
          hint: CONVERT_HINT,
          cause: error,
        },
      );
    }
    throw error;
  }
  if (result.exitCode !== 0) {
    const reason = result.stderr.trim().split('\n').pop() ?? `exit ${result.exitCode}`;
    throw new AppError('MEDIA_INVALID', `${name} cannot be decoded: ${reason}`, {
      hint: 'Check that the file is an audio or video recording that plays',
    });
  }
}
