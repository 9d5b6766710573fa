import { describe, expect, it } from 'vitest';
import {
  isWhisperReady,
  looksLikeWav,
  makeWavHeader,
  parseWavHeader,
} from '../../../../../src/main/ai/audio/wav-header';
import { AppError } from '../../../../../src/shared/errors';

function wav(
  opts: { sampleRate: number; channels: number; dataBytes: number },
  present = opts.dataBytes,
): Uint8Array {
  const out = new Uint8Array(44 + present);
  out.set(makeWavHeader(opts));
  return out;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? `${error.code}: ${error.message}` : String(error);
  }
  return undefined;
}

describe('parseWavHeader', () => {
  it('reads a 16 kHz mono 16-bit header and its duration', () => {
    const bytes = wav({ sampleRate: 16_000, channels: 1, dataBytes: 32_000 * 3 });
    const info = parseWavHeader(bytes, bytes.length);
    expect(info).toMatchObject({
      format: 'pcm',
      channels: 1,
      sampleRate: 16_000,
      bitsPerSample: 16,
      dataOffset: 44,
      truncated: false,
    });
    expect(info.durationSeconds).toBeCloseTo(3, 6);
    expect(isWhisperReady(info)).toBe(true);
  });

  it('flags 48 kHz stereo as needing conversion', () => {
    const bytes = wav({ sampleRate: 48_000, channels: 2, dataBytes: 48_000 * 4 });
    const info = parseWavHeader(bytes, bytes.length);
    expect(info.durationSeconds).toBeCloseTo(1, 6);
    expect(isWhisperReady(info)).toBe(false);
  });

  it('skips metadata chunks before the data chunk (odd sizes are padded)', () => {
    const header = makeWavHeader({ sampleRate: 16_000, channels: 1, dataBytes: 320 });
    const list = new Uint8Array(8 + 5 + 1);
    list.set([0x4c, 0x49, 0x53, 0x54]); // "LIST"
    new DataView(list.buffer).setUint32(4, 5, true);
    const bytes = new Uint8Array(36 + list.length + 8 + 320);
    bytes.set(header.subarray(0, 36));
    bytes.set(list, 36);
    bytes.set(header.subarray(36, 44), 36 + list.length);
    const info = parseWavHeader(bytes, bytes.length);
    expect(info.dataOffset).toBe(36 + list.length + 8);
    expect(info.durationSeconds).toBeCloseTo(0.01, 6);
  });

  it('detects a truncated file from the declared data size', () => {
    const bytes = wav({ sampleRate: 16_000, channels: 1, dataBytes: 32_000 * 10 }, 1000);
    const info = parseWavHeader(bytes, bytes.length);
    expect(info.truncated).toBe(true);
    expect(info.availableBytes).toBe(1000);
    expect(info.durationSeconds).toBeCloseTo(10, 6);
  });

  it('uses the file size when a streaming writer left the size unknown', () => {
    const bytes = wav({ sampleRate: 16_000, channels: 1, dataBytes: 0xffffffff }, 3200);
    const info = parseWavHeader(bytes, bytes.length);
    expect(info.truncated).toBe(false);
    expect(info.durationSeconds).toBeCloseTo(0.1, 6);
  });

  it('reads the real format from WAVE_FORMAT_EXTENSIBLE', () => {
    const bytes = new Uint8Array(12 + 8 + 40 + 8 + 64);
    const view = new DataView(bytes.buffer);
    const put = (o: number, s: string) => [...s].forEach((c, i) => (bytes[o + i] = c.charCodeAt(0)));
    put(0, 'RIFF');
    put(8, 'WAVE');
    put(12, 'fmt ');
    view.setUint32(16, 40, true);
    view.setUint16(20, 0xfffe, true);
    view.setUint16(22, 1, true);
    view.setUint32(24, 16_000, true);
    view.setUint16(34, 32, true);
    view.setUint16(44, 0x0003, true); // sub-format: IEEE float
    put(60, 'data');
    view.setUint32(64, 64, true);
    const info = parseWavHeader(bytes, bytes.length);
    expect(info.format).toBe('float');
    expect(isWhisperReady(info)).toBe(true);
  });

  it('refuses empty, non-WAV and headerless files with MEDIA_INVALID', () => {
    expect(codeOf(() => parseWavHeader(new Uint8Array(0), 0))).toMatch(/^MEDIA_INVALID: .*empty/);
    const webm = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(looksLikeWav(webm)).toBe(false);
    expect(codeOf(() => parseWavHeader(webm, webm.length))).toMatch(/^MEDIA_INVALID: .*not a RIFF\/WAVE/);
    const cut = makeWavHeader({ sampleRate: 16_000, channels: 1, dataBytes: 10 }).subarray(0, 30);
    expect(codeOf(() => parseWavHeader(cut, cut.length))).toMatch(/^MEDIA_INVALID/);
  });

  it('refuses unsupported encodings', () => {
    const bytes = wav({ sampleRate: 16_000, channels: 1, dataBytes: 100 });
    new DataView(bytes.buffer).setUint16(20, 0x0055, true); // MP3 in WAV
    expect(codeOf(() => parseWavHeader(bytes, bytes.length))).toMatch(
      /unsupported WAV encoding \(format tag 0x55\)/,
    );
  });
});
