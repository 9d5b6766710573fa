/**
 * Parses the header of a RIFF/WAVE file from its first bytes, without reading the samples.
 * Pure: takes the head of the file and the file's size, so unit tests need no files and a
 * 3-hour recording is judged from 64 KiB.
 */
import { AppError } from '../../../shared/errors';

export type WavSampleFormat = 'pcm' | 'float';

export interface WavInfo {
  format: WavSampleFormat;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Byte offset of the first sample. */
  dataOffset: number;
  /** Bytes of sample data the header declares (or that the file holds, for streamed WAVs). */
  dataBytes: number;
  /** Bytes of sample data actually present in the file. */
  availableBytes: number;
  /** Duration declared by the header, in seconds. */
  durationSeconds: number;
  /** The header declares more sample data than the file holds. */
  truncated: boolean;
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Data chunk sizes that streaming writers (ffmpeg to a pipe, crashed recorders) leave behind. */
const UNKNOWN_SIZES = new Set([0xffffffff, 0x7fffffff]);

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

/** True when the bytes start like a RIFF/WAVE file. */
export function looksLikeWav(head: Uint8Array): boolean {
  return head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WAVE';
}

function invalid(name: string, what: string, hint?: string): AppError {
  return new AppError('MEDIA_INVALID', `${name}: ${what}`, {
    hint: hint ?? 'Record again, or convert it with `ffmpeg -i in -ar 16000 -ac 1 out.wav`',
  });
}

/**
 * @param head the first bytes of the file (64 KiB is plenty unless metadata chunks are huge)
 * @param fileSize the file's total size in bytes
 * @param name the file name, for messages
 */
export function parseWavHeader(head: Uint8Array, fileSize: number, name = 'audio file'): WavInfo {
  if (fileSize === 0) throw invalid(name, 'the file is empty (0 bytes)');
  if (!looksLikeWav(head)) throw invalid(name, 'not a RIFF/WAVE file');
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);

  let fmt: Pick<WavInfo, 'format' | 'channels' | 'sampleRate' | 'bitsPerSample'> | undefined;
  let offset = 12;
  while (offset + 8 <= head.length) {
    const id = ascii(head, offset, 4);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > head.length) throw invalid(name, 'the format chunk is cut short');
      let tag = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      const bitsPerSample = view.getUint16(body + 14, true);
      if (tag === WAVE_FORMAT_EXTENSIBLE && size >= 40 && body + 26 <= head.length) {
        // The first two bytes of the sub-format GUID carry the real format tag.
        tag = view.getUint16(body + 24, true);
      }
      const format = tag === WAVE_FORMAT_PCM ? 'pcm' : tag === WAVE_FORMAT_IEEE_FLOAT ? 'float' : undefined;
      if (!format) throw invalid(name, `unsupported WAV encoding (format tag 0x${tag.toString(16)})`);
      if (channels < 1) throw invalid(name, 'the header declares 0 channels');
      if (sampleRate < 1000 || sampleRate > 768_000)
        throw invalid(name, `implausible sample rate ${sampleRate} Hz`);
      if (![8, 16, 24, 32, 64].includes(bitsPerSample))
        throw invalid(name, `unsupported sample size ${bitsPerSample} bits`);
      fmt = { format, channels, sampleRate, bitsPerSample };
    } else if (id === 'data') {
      if (!fmt) throw invalid(name, 'the data chunk comes before the format chunk');
      const availableBytes = Math.max(0, fileSize - body);
      const declared = UNKNOWN_SIZES.has(size) ? availableBytes : size;
      const frameBytes = (fmt.bitsPerSample / 8) * fmt.channels;
      return {
        ...fmt,
        dataOffset: body,
        dataBytes: declared,
        availableBytes,
        durationSeconds: Math.floor(declared / frameBytes) / fmt.sampleRate,
        truncated: declared > availableBytes,
      };
    }
    // Chunks are padded to an even size.
    offset = body + size + (size % 2);
  }
  if (offset + 8 > fileSize) throw invalid(name, 'the file is truncated: no audio data chunk');
  throw invalid(name, 'no audio data chunk in the first part of the file (too much metadata)');
}

/** Whether whisper.cpp can read the file without resampling or down-mixing. */
export function isWhisperReady(info: WavInfo): boolean {
  return (
    info.sampleRate === 16_000 &&
    info.channels === 1 &&
    ((info.format === 'pcm' && info.bitsPerSample === 16) ||
      (info.format === 'float' && info.bitsPerSample === 32))
  );
}

/** Builds a 44-byte header for 16-bit PCM (used by tests, benchmarks and the recorder). */
export function makeWavHeader(opts: { sampleRate: number; channels: number; dataBytes: number }): Uint8Array {
  const header = new Uint8Array(44);
  const view = new DataView(header.buffer);
  const write = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) header[offset + i] = text.charCodeAt(i);
  };
  const blockAlign = opts.channels * 2;
  write(0, 'RIFF');
  view.setUint32(4, Math.min(0xffffffff, 36 + opts.dataBytes), true);
  write(8, 'WAVE');
  write(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, WAVE_FORMAT_PCM, true);
  view.setUint16(22, opts.channels, true);
  view.setUint32(24, opts.sampleRate, true);
  view.setUint32(28, opts.sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, 16, true);
  write(36, 'data');
  view.setUint32(40, Math.min(0xffffffff, opts.dataBytes), true);
  return header;
}
