import { describe, expect, it } from 'vitest';
import { classifyModelHead } from '../../../../../src/main/ai/transcriber/model-file';
import {
  parseProgressLine,
  parseVadSegments,
  spansFromSegments,
  whisperFailureToError,
} from '../../../../../src/main/ai/transcriber/whisper-output';

describe('whisper.cpp output parsing', () => {
  it('reads progress lines and clamps values over 100 %', () => {
    expect(parseProgressLine('whisper_print_progress_callback: progress =  45%')).toBeCloseTo(0.45);
    expect(parseProgressLine('whisper_print_progress_callback: progress = 272%')).toBe(1);
    expect(parseProgressLine('whisper_print_timings: load time = 56.74 ms')).toBeUndefined();
  });

  it('reads VAD speech segments in centiseconds as seconds', () => {
    const out =
      '\nDetected 2 speech segments:\nSpeech segment 0: start = 32.00, end = 227.00\nSpeech segment 1: start = 327.00, end = 441.00\n';
    expect(parseVadSegments(out)).toEqual([
      { start: 0.32, end: 2.27 },
      { start: 3.27, end: 4.41 },
    ]);
    expect(parseVadSegments('\nDetected 0 speech segments:\n')).toEqual([]);
  });

  it('joins segments separated by short gaps into speech spans', () => {
    expect(
      spansFromSegments([
        { start: 2.5, end: 3 },
        { start: 0, end: 1 },
        { start: 1.2, end: 1.8 },
      ]),
    ).toEqual([
      { start: 0, end: 1.8 },
      { start: 2.5, end: 3 },
    ]);
  });

  it('maps stderr of failed runs to error codes', () => {
    const base = {
      program: 'whisper-cli',
      exitCode: 3,
      exitSignal: null,
      modelPath: '/m.bin',
      inputName: 'a.wav',
    };
    expect(
      whisperFailureToError({
        ...base,
        stderr:
          'whisper_model_load: invalid model data (bad magic)\nerror: failed to initialize whisper context\n',
      }).code,
    ).toBe('MODEL_INVALID');
    expect(
      whisperFailureToError({
        ...base,
        stderr: "whisper_init_from_file_with_params_no_state: failed to open '/m.bin'\n",
      }).code,
    ).toBe('MODEL_MISSING');
    expect(
      whisperFailureToError({ ...base, stderr: 'read_audio_data: failed to read audio data\n' }).code,
    ).toBe('MEDIA_INVALID');
    expect(
      whisperFailureToError({
        ...base,
        exitCode: null,
        exitSignal: 'SIGABRT',
        stderr: "terminate called after throwing an instance of 'std::out_of_range'\n  what():  map::at\n",
      }).code,
    ).toBe('MODEL_INVALID');
    expect(whisperFailureToError({ ...base, exitCode: null, exitSignal: 'SIGILL', stderr: '' }).hint).toMatch(
      /PORTABLE/,
    );
    const killed = whisperFailureToError({
      ...base,
      exitCode: null,
      exitSignal: 'SIGKILL',
      stderr: 'encode...\n',
    });
    expect(killed.code).toBe('INTERNAL');
    expect(killed.hint).toMatch(/memory/);
  });
});

describe('classifyModelHead', () => {
  const le32 = (...values: number[]) => new Uint8Array(new Int32Array(values).buffer);
  it('tells whisper, VAD, GGUF and junk apart', () => {
    expect(classifyModelHead(le32(0x67676d6c, 51864, 1500, 384))).toBe('whisper');
    const vad = new Uint8Array(24);
    vad.set(le32(0x67676d6c, 10));
    vad.set(
      [...'silero-16k'].map((c) => c.charCodeAt(0)),
      8,
    );
    expect(classifyModelHead(vad)).toBe('vad');
    expect(classifyModelHead(new Uint8Array([0x47, 0x47, 0x55, 0x46, 3, 0, 0, 0]))).toBe('gguf');
    expect(classifyModelHead(le32(0x67676d6c, 7, 7))).toBe('ggml-other');
    expect(classifyModelHead(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))).toBe('unknown');
    expect(classifyModelHead(new Uint8Array(0))).toBe('unknown');
  });
});
