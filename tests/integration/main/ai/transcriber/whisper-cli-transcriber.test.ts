import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeWavHeader } from '../../../../../src/main/ai/audio/wav-header';
import { resolveWhisperBinaries } from '../../../../../src/main/ai/transcriber/whisper-binary';
import {
  createWhisperCliTranscriber,
  type WhisperCliTranscriberConfig,
} from '../../../../../src/main/ai/transcriber/whisper-cli-transcriber';
import type { Transcriber } from '../../../../../src/main/ai/transcriber/transcriber';
import { transcriptSchema, type SpeechSpan } from '../../../../../src/shared/transcript/transcript';
import {
  binDir,
  ensureWhisperBuilt,
  fixtures,
  fixturesPresent,
  hasCommand,
  isAlive,
  writeLongWav,
  writeWav,
} from './helpers';
import { rejection } from '../../../../helpers/rejection';

// Speech spans the real Silero VAD finds (fixtures README), in seconds.
const JFK_SPANS = [
  [0.32, 2.27],
  [3.27, 4.41],
  [5.38, 7.68],
  [8.16, 10.62],
];
const PITCH_SPANS = [
  [0.03, 2.43],
  [2.72, 7.33],
  [7.59, 14.65],
  [14.95, 18.46],
  [18.79, 22.11],
];

function expectSpans(actual: SpeechSpan[] | undefined, expected: number[][], tolerance = 0.05): void {
  expect(actual).toBeDefined();
  expect(actual!.map((s) => [s.start, s.end])).toHaveLength(expected.length);
  actual!.forEach((s, i) => {
    expect(Math.abs(s.start - expected[i]![0]!)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(s.end - expected[i]![1]!)).toBeLessThanOrEqual(tolerance);
  });
}

describe.skipIf(!fixturesPresent)(
  'WhisperCliTranscriber with whisper.cpp binaries and fixture models',
  () => {
    let dir: string;
    let work: string;
    let spawned: Array<{ pid: number; program: string }>;
    const transcribers: Transcriber[] = [];

    beforeAll(() => {
      ensureWhisperBuilt();
    });

    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-transcriber-test-'));
      work = path.join(dir, 'work');
      spawned = [];
    });

    afterEach(async () => {
      await Promise.all(transcribers.splice(0).map((t) => t.dispose()));
      fs.rmSync(dir, { recursive: true, force: true });
    });

    function make(overrides: Partial<WhisperCliTranscriberConfig> = {}): Transcriber {
      const t = createWhisperCliTranscriber({
        modelPath: fixtures.whisperModel,
        vadModelPath: fixtures.vadModel,
        binaries: resolveWhisperBinaries({ env: { REHEARSE_WHISPER_BIN: path.join(binDir, 'whisper-cli') } }),
        threads: 2,
        tempDir: work,
        onSpawn: (info) => spawned.push(info),
        ...overrides,
      });
      transcribers.push(t);
      return t;
    }

    const leftovers = () => (fs.existsSync(work) ? fs.readdirSync(work) : []);

    it('transcribes jfk.wav: runs the vocabulary-only model (empty text), real VAD spans, progress to 1', async () => {
      const progress: number[] = [];
      const transcript = await make().transcribe(
        { wavPath: fixtures.jfkWav },
        { onProgress: (f) => progress.push(f) },
      );
      expect(transcriptSchema.parse(transcript)).toEqual(transcript);
      // for-tests-ggml-tiny.en.bin has no weights: whisper runs the full compute and returns no text.
      expect(transcript.segments).toEqual([]);
      expect(transcript.durationSeconds).toBeCloseTo(11, 1);
      expect(transcript.source).toBe('whisper.cpp for-tests-ggml-tiny.en');
      expectSpans(transcript.speech, JFK_SPANS);
      expect(spawned.map((s) => s.program)).toEqual(['whisper-vad-speech-segments', 'whisper-cli']);
      expect(progress.length).toBeGreaterThanOrEqual(2);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
      expect(new Set(progress).size).toBe(progress.length);
      expect(progress.at(-1)).toBe(1);
      expect(leftovers()).toEqual([]);
    });

    it('finds the speech spans of the espeak sales pitch', async () => {
      const transcript = await make().transcribe({ wavPath: fixtures.pitchWav });
      expectSpans(transcript.speech, PITCH_SPANS);
      expect(transcript.durationSeconds).toBeCloseTo(22.34, 1);
    });

    it('runs without a VAD model, deriving speech spans from the (empty) segments', async () => {
      const transcript = await make({ vadModelPath: undefined, fillerPrompt: false }).transcribe({
        wavPath: fixtures.jfkWav,
        language: 'en',
      });
      expect(transcript.segments).toEqual([]);
      expect(transcript.speech).toEqual([]);
      expect(spawned.map((s) => s.program)).toEqual(['whisper-cli']);
    });

    it('cancels a run in progress: CANCELLED, child gone, temp files removed', async () => {
      const long = path.join(dir, 'long.wav');
      writeLongWav(long, fixtures.pitchWav, 120);
      const controller = new AbortController();
      const t = make({
        vadModelPath: undefined,
        onSpawn: (info) => {
          spawned.push(info);
          // Abort as soon as whisper-cli is running: mid-run by construction.
          if (info.program === 'whisper-cli') controller.abort();
        },
      });
      // What shows the run was stopped, not waited out: CANCELLED, and the child already gone.
      const error = await rejection(t.transcribe({ wavPath: long }, { signal: controller.signal }));
      expect(error.code).toBe('CANCELLED');
      expect(spawned).toHaveLength(1);
      expect(isAlive(spawned[0]!.pid)).toBe(false);
      expect(leftovers()).toEqual([]);
    });

    it('refuses to start when the signal is already aborted', async () => {
      const error = await rejection(
        make().transcribe({ wavPath: fixtures.jfkWav }, { signal: AbortSignal.abort() }),
      );
      expect(error.code).toBe('CANCELLED');
      expect(spawned).toEqual([]);
    });

    it('times out: TIMEOUT, child gone, temp files removed', async () => {
      const long = path.join(dir, 'long.wav');
      writeLongWav(long, fixtures.pitchWav, 120);
      const error = await rejection(make().transcribe({ wavPath: long }, { timeoutMs: 300 }));
      expect(error.code).toBe('TIMEOUT');
      expect(error.hint).toBeTruthy();
      for (const s of spawned) expect(isAlive(s.pid)).toBe(false);
      expect(leftovers()).toEqual([]);
    });

    it('dispose() cancels runs in flight', async () => {
      const long = path.join(dir, 'long.wav');
      writeLongWav(long, fixtures.pitchWav, 120);
      const t: Transcriber = make({
        vadModelPath: undefined,
        onSpawn: (info) => {
          spawned.push(info);
          void t.dispose();
        },
      });
      const error = await rejection(t.transcribe({ wavPath: long }));
      expect(error.code).toBe('CANCELLED');
      expect(isAlive(spawned[0]!.pid)).toBe(false);
      expect((await rejection(t.transcribe({ wavPath: fixtures.jfkWav }))).code).toBe('INTERNAL');
    });

    describe('model problems are reported before anything is spawned', () => {
      it('another language with an English-only model → INVALID_INPUT naming the model', async () => {
        const error = await rejection(make().transcribe({ wavPath: fixtures.jfkWav, language: 'de' }));
        expect(error.code).toBe('INVALID_INPUT');
        expect(error.message).toMatch(/English only, not "de"/);
        expect(spawned).toEqual([]);
      });

      it('missing model → MODEL_MISSING with an install hint', async () => {
        const error = await rejection(
          make({ modelPath: path.join(dir, 'ggml-base.en-q5_1.bin') }).transcribe({
            wavPath: fixtures.jfkWav,
          }),
        );
        expect(error.code).toBe('MODEL_MISSING');
        expect(error.hint).toMatch(/rehearse models install whisper-base\.en-q5_1/);
        expect(spawned).toEqual([]);
      });

      it('missing VAD model → MODEL_MISSING naming the VAD model', async () => {
        const error = await rejection(
          make({ vadModelPath: path.join(dir, 'silero.bin') }).transcribe({ wavPath: fixtures.jfkWav }),
        );
        expect(error.code).toBe('MODEL_MISSING');
        expect(error.hint).toMatch(/silero-vad/);
      });

      it('random bytes → MODEL_INVALID', async () => {
        const junk = path.join(dir, 'junk.bin');
        fs.writeFileSync(junk, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
        const error = await rejection(make({ modelPath: junk }).transcribe({ wavPath: fixtures.jfkWav }));
        expect(error.code).toBe('MODEL_INVALID');
        expect(spawned).toEqual([]);
      });

      it('a GGUF language model → MODEL_INVALID saying so', async () => {
        const error = await rejection(
          make({ modelPath: fixtures.gguf }).transcribe({ wavPath: fixtures.jfkWav }),
        );
        expect(error.code).toBe('MODEL_INVALID');
        expect(error.message).toMatch(/GGUF/);
      });

      it('the VAD model given as the speech model → MODEL_INVALID', async () => {
        const error = await rejection(
          make({ modelPath: fixtures.vadModel }).transcribe({ wavPath: fixtures.jfkWav }),
        );
        expect(error.code).toBe('MODEL_INVALID');
        expect(error.message).toMatch(/Silero VAD model/);
      });
    });

    it('a whisper model that passes the magic check but is cut short → MODEL_INVALID from whisper-cli', async () => {
      const cut = path.join(dir, 'cut.bin');
      fs.writeFileSync(cut, fs.readFileSync(fixtures.whisperModel).subarray(0, 4096));
      const error = await rejection(
        make({ modelPath: cut, vadModelPath: undefined }).transcribe({ wavPath: fixtures.jfkWav }),
      );
      expect(error.code).toBe('MODEL_INVALID');
      expect(spawned.map((s) => s.program)).toEqual(['whisper-cli']);
      expect(leftovers()).toEqual([]);
    });

    it('a missing binary → NOT_FOUND with the build hint', async () => {
      const error = await rejection(
        make({
          binaries: { cli: path.join(dir, 'nope', 'whisper-cli'), vad: undefined },
          vadModelPath: undefined,
        }).transcribe({ wavPath: fixtures.jfkWav }),
      );
      expect(error.code).toBe('NOT_FOUND');
      expect(error.hint).toMatch(/scripts\/build-whisper\.js/);
    });

    describe('input problems', () => {
      it('0-byte WAV → MEDIA_INVALID', async () => {
        const empty = path.join(dir, 'empty.wav');
        fs.writeFileSync(empty, '');
        const error = await rejection(make().transcribe({ wavPath: empty }));
        expect(error.code).toBe('MEDIA_INVALID');
        expect(error.message).toMatch(/empty/);
        expect(spawned).toEqual([]);
      });

      it('truncated WAV → MEDIA_INVALID', async () => {
        const cut = path.join(dir, 'cut.wav');
        const full = fs.readFileSync(fixtures.jfkWav);
        fs.writeFileSync(cut, full.subarray(0, Math.floor(full.length / 3)));
        const error = await rejection(make().transcribe({ wavPath: cut }));
        expect(error.code).toBe('MEDIA_INVALID');
        expect(error.message).toMatch(/truncated/);
        expect(spawned).toEqual([]);
      });

      it('missing input → NOT_FOUND', async () => {
        const error = await rejection(make().transcribe({ wavPath: path.join(dir, 'nope.wav') }));
        expect(error.code).toBe('NOT_FOUND');
      });

      it('a header claiming 3 hours is refused from the header alone', async () => {
        const huge = path.join(dir, 'three-hours.wav');
        const dataBytes = 3 * 3600 * 16_000 * 2;
        fs.writeFileSync(huge, makeWavHeader({ sampleRate: 16_000, channels: 1, dataBytes }));
        fs.truncateSync(huge, 44 + dataBytes); // sparse: no 345 MB written
        const error = await rejection(make().transcribe({ wavPath: huge }));
        expect(error.code).toBe('MEDIA_INVALID');
        expect(error.message).toMatch(/3\.0 h long; the limit is 2\.0 h/);
        expect(spawned).toEqual([]);
      });

      it('the duration limit is configurable', async () => {
        const error = await rejection(
          make({ maxDurationSeconds: 5 }).transcribe({ wavPath: fixtures.jfkWav }),
        );
        expect(error.code).toBe('MEDIA_INVALID');
      });

      it('silence → empty transcript without running whisper', async () => {
        const silence = path.join(dir, 'silence.wav');
        writeWav(silence, new Uint8Array(16_000 * 2 * 5));
        const progress: number[] = [];
        const transcript = await make().transcribe(
          { wavPath: silence },
          { onProgress: (f) => progress.push(f) },
        );
        expect(transcript.segments).toEqual([]);
        expect(transcript.speech).toEqual([]);
        expect(transcript.durationSeconds).toBe(5);
        expect(spawned.map((s) => s.program)).toEqual(['whisper-vad-speech-segments']);
        expect(progress.at(-1)).toBe(1);
      });

      it('silence without VAD → empty transcript from whisper-cli', async () => {
        const silence = path.join(dir, 'silence.wav');
        writeWav(silence, new Uint8Array(16_000 * 2 * 3));
        const transcript = await make({ vadModelPath: undefined }).transcribe({ wavPath: silence });
        expect(transcript.segments).toEqual([]);
      });
    });

    describe.skipIf(!hasCommand('sox', '--version') || !hasCommand('ffmpeg'))(
      'conversion with ffmpeg',
      () => {
        let wav48k: string;
        beforeEach(() => {
          wav48k = path.join(dir, 'jfk-48k-stereo.wav');
          const sox = spawnSync('sox', [fixtures.jfkWav, '-r', '48000', '-c', '2', wav48k]);
          expect(sox.status).toBe(0);
        });

        it('a 48 kHz stereo WAV is converted and transcribed; VAD spans still match', async () => {
          const transcript = await make().transcribe({ wavPath: wav48k });
          expect(transcript.durationSeconds).toBeCloseTo(11, 1);
          expectSpans(transcript.speech, JFK_SPANS, 0.1);
          expect(leftovers()).toEqual([]);
        });

        it('a FLAC file is converted and transcribed', async () => {
          const transcript = await make().transcribe({ wavPath: fixtures.flac });
          expect(transcript.durationSeconds).toBeGreaterThan(1);
          expect(transcript.speech!.length).toBeGreaterThan(0);
        });

        it('without ffmpeg a 48 kHz WAV is refused with how to convert it', async () => {
          const error = await rejection(
            make({ ffmpegPath: path.join(dir, 'no-ffmpeg') }).transcribe({ wavPath: wav48k }),
          );
          expect(error.code).toBe('MEDIA_INVALID');
          expect(error.message).toMatch(/ffmpeg is not available/);
          expect(error.hint).toMatch(/ffmpeg -i in -ar 16000 -ac 1 out\.wav/);
          expect(spawned).toEqual([]);
        });

        it('a file ffmpeg cannot decode → MEDIA_INVALID', async () => {
          const junk = path.join(dir, 'junk.webm');
          fs.writeFileSync(junk, Buffer.from('this is not a video file at all'.repeat(10)));
          const error = await rejection(make().transcribe({ wavPath: junk }));
          expect(error.code).toBe('MEDIA_INVALID');
          expect(error.message).toMatch(/cannot be decoded/);
        });
      },
    );
  },
);
