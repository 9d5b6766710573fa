/**
 * A Transcriber for end-to-end tests, because no real speech model can be downloaded here (the
 * whisper.cpp fixture model has no weights and hears nothing). It reads the WAV that the app
 * really recorded from Chromium's fake microphone, finds where there is sound (20 ms frames above
 * an energy floor), and lays the words of the script espeak-ng spoke over that stretch, evenly.
 * So the words are known, but every timing comes from the captured audio, and a silent or missing
 * recording fails exactly as it would with whisper.cpp.
 */
import fs from 'node:fs/promises';
import { parseWavHeader } from '../../../src/main/ai/audio/wav-header';
import type { Transcriber } from '../../../src/main/ai/transcriber/transcriber';
import type { Transcript } from '../../../src/shared/transcript/transcript';

export const SCRIPTED_SOURCE = 'e2e script: the words espeak-ng spoke, timed from the recorded audio';

/** [start, end] seconds of the first and last 20 ms frame with sound, or null for silence. */
export async function soundSpan(
  wavPath: string,
): Promise<{ start: number; end: number; duration: number } | null> {
  const bytes = new Uint8Array(await fs.readFile(wavPath));
  const info = parseWavHeader(bytes.subarray(0, 4096), bytes.byteLength, wavPath);
  if (info.sampleRate !== 16_000 || info.channels !== 1 || info.bitsPerSample !== 16)
    throw new Error(`expected 16 kHz mono 16-bit PCM, got ${info.sampleRate} Hz × ${info.channels}`);
  const samples = new Int16Array(bytes.buffer.slice(info.dataOffset, info.dataOffset + info.availableBytes));
  const frame = 320;
  let first = -1;
  let last = -1;
  for (let i = 0; i + frame <= samples.length; i += frame) {
    let energy = 0;
    for (let j = i; j < i + frame; j++) energy += (samples[j] ?? 0) ** 2;
    if (Math.sqrt(energy / frame) > 500) {
      if (first < 0) first = i;
      last = i + frame;
    }
  }
  const duration = samples.length / 16_000;
  return first < 0 ? null : { start: first / 16_000, end: last / 16_000, duration };
}

export function createScriptedTranscriber(script: string, scriptSeconds: number): Transcriber {
  return {
    async transcribe(input, opts) {
      opts?.onProgress?.(0);
      const span = await soundSpan(input.wavPath);
      const base = { language: 'en', source: SCRIPTED_SOURCE } as const;
      if (!span) return { ...base, durationSeconds: 0, segments: [] } satisfies Transcript;
      const words = script.split(/\s+/).filter(Boolean);
      const end = Math.min(span.end, span.start + scriptSeconds);
      const step = (end - span.start) / words.length;
      const timed = words.map((text, i) => ({
        text,
        start: span.start + i * step,
        end: span.start + (i + 0.85) * step,
      }));
      // One segment per sentence, as whisper.cpp would roughly give.
      const segments: Transcript['segments'] = [];
      let current: typeof timed = [];
      for (const w of timed) {
        current.push(w);
        if (/[.?!]$/.test(w.text)) {
          segments.push({
            start: current[0]!.start,
            end: w.end,
            text: current.map((x) => x.text).join(' '),
            words: current,
          });
          current = [];
        }
      }
      if (current.length)
        segments.push({
          start: current[0]!.start,
          end: current.at(-1)!.end,
          text: current.map((x) => x.text).join(' '),
          words: current,
        });
      opts?.onProgress?.(1);
      return { ...base, durationSeconds: span.duration, segments };
    },
    async dispose() {},
  };
}
