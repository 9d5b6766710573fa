import { describe, expect, it } from 'vitest';
import { parseWhisperJson, whisperJsonToSegments } from '../../../../../src/main/ai/transcriber/whisper-json';
import { transcriptSchema } from '../../../../../src/shared/transcript/transcript';

// Shaped like `whisper-cli -ojf` output (whisper.cpp 1.9.1), written by hand: offsets in ms,
// special tokens included, word pieces without a leading space, punctuation as its own token.
const SAMPLE = JSON.stringify({
  systeminfo: 'CPU : AVX2 = 1',
  model: { type: 'base', multilingual: false, vocab: 51864 },
  params: { model: 'ggml-base.en-q5_1.bin', language: 'en', translate: false },
  result: { language: 'en' },
  transcription: [
    {
      timestamps: { from: '00:00:00,320', to: '00:00:02,270' },
      offsets: { from: 320, to: 2270 },
      text: ' Um, so my fellow Americans,',
      tokens: [
        {
          text: '[_BEG_]',
          timestamps: { from: '00:00:00,000', to: '00:00:00,000' },
          offsets: { from: 0, to: 0 },
          id: 50363,
          p: 0.98,
          t_dtw: -1,
        },
        { text: ' Um', offsets: { from: 320, to: 560 }, id: 1849, p: 0.61, t_dtw: -1 },
        { text: ',', offsets: { from: 560, to: 600 }, id: 11, p: 0.9, t_dtw: -1 },
        { text: ' so', offsets: { from: 640, to: 800 }, id: 523, p: 0.95, t_dtw: -1 },
        { text: ' my', offsets: { from: 800, to: 1000 }, id: 616, p: 0.99, t_dtw: -1 },
        { text: ' fellow', offsets: { from: 1000, to: 1400 }, id: 7974, p: 0.97, t_dtw: -1 },
        { text: ' Americ', offsets: { from: 1400, to: 1900 }, id: 5429, p: 0.9, t_dtw: -1 },
        { text: 'ans', offsets: { from: 1900, to: 2200 }, id: 504, p: 0.8, t_dtw: -1 },
        { text: ',', offsets: { from: 2200, to: 2270 }, id: 11, p: 0.7, t_dtw: -1 },
        { text: '[_TT_114]', offsets: { from: 2280, to: 2280 }, id: 50477, p: 0.3, t_dtw: -1 },
      ],
    },
    {
      offsets: { from: 2270, to: 3270 },
      text: ' [BLANK_AUDIO]',
      tokens: [{ text: ' [BLANK_AUDIO]', offsets: { from: 2270, to: 3270 }, id: 1, p: 0.5 }],
    },
    {
      offsets: { from: 3270, to: 4410 },
      text: ' ask not.',
      tokens: [
        { text: ' ask', offsets: { from: 3270, to: 3700 }, id: 1265, p: 0.9 },
        { text: ' not', offsets: { from: 3700, to: 4300 }, id: 407, p: 0.7 },
        { text: '.', offsets: { from: 4300, to: 4500 }, id: 13, p: 0.9 },
        { text: '<|endoftext|>', id: 50256, p: 0.9 },
      ],
    },
  ],
});

describe('whisper-cli JSON → Transcript segments', () => {
  const segments = whisperJsonToSegments(parseWhisperJson(SAMPLE));

  it('keeps speech segments and drops non-speech annotations', () => {
    expect(segments.map((s) => s.text)).toEqual(['Um, so my fellow Americans,', 'ask not.']);
    expect(segments[0]).toMatchObject({ start: 0.32, end: 2.27 });
  });

  it('merges word pieces and punctuation into words with times from their tokens', () => {
    const words = segments[0]!.words;
    expect(words.map((w) => w.text)).toEqual(['Um,', 'so', 'my', 'fellow', 'Americans,']);
    expect(words[0]).toMatchObject({ start: 0.32, end: 0.6 });
    expect(words[4]).toMatchObject({ start: 1.4, end: 2.27 });
    expect(words[4]!.confidence).toBeCloseTo((0.9 + 0.8 + 0.7) / 3, 3);
  });

  it('clamps word times into their segment', () => {
    const last = segments[1]!.words.at(-1)!;
    expect(last.text).toBe('not.');
    expect(last.end).toBe(4.41);
  });

  it('produces segments that satisfy the shared transcript schema', () => {
    const parsed = transcriptSchema.parse({ durationSeconds: 11, segments, source: 'whisper.cpp test' });
    expect(parsed.segments).toHaveLength(2);
  });

  it('returns no segments for an empty transcription', () => {
    expect(
      whisperJsonToSegments(parseWhisperJson('{"result":{"language":"en"},"transcription":[]}')),
    ).toEqual([]);
  });

  it('rejects output that is not whisper JSON', () => {
    expect(() => parseWhisperJson('{"foo":1}')).toThrow();
    expect(() => parseWhisperJson('not json')).toThrow();
  });
});
