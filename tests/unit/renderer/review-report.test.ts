import { describe, expect, it } from 'vitest';
import type { DeliveryMetrics } from '../../../src/shared/metrics/delivery-metrics-types';
import type { AttemptDetail, RecordingInfo } from '../../../src/shared/api/types';
import {
  formatScore,
  judgedByText,
  metricRows,
  missingFeedback,
  playableRecording,
  unjudgedTitles,
  verdictView,
} from '../../../src/renderer/src/features/review/report';

const recording = (kind: RecordingInfo['kind'], id = kind): RecordingInfo => ({
  id,
  kind,
  mime: kind === 'video' ? 'video/webm' : 'audio/wav',
  bytes: 1,
  sha256: 'x',
});

type Stage = AttemptDetail['stages'][number];
const stage = (name: string, status: string, error: string | null = null): Stage => ({
  stage: name,
  status,
  error,
  updatedAt: '2026-01-01T00:00:00Z',
});

describe('playableRecording', () => {
  it('prefers the video and falls back to the audio', () => {
    expect(playableRecording({ recordings: [recording('audio'), recording('video')] })?.kind).toBe('video');
    expect(playableRecording({ recordings: [recording('audio')] })?.kind).toBe('audio');
    expect(playableRecording({ recordings: [] })).toBeNull();
  });
});

describe('verdictView', () => {
  it('describes check criteria', () => {
    expect(verdictView({ type: 'check', met: true, level: null, score: 1 })).toEqual({
      label: 'Met',
      tone: 'met',
      score: '100%',
    });
    expect(verdictView({ type: 'check', met: false, level: null, score: 0 }).label).toBe('Not met');
    expect(verdictView({ type: 'check', met: null, level: null, score: null })).toEqual({
      label: 'Not judged',
      tone: 'unjudged',
      score: null,
    });
  });

  it('describes rating criteria by level', () => {
    expect(verdictView({ type: 'rating', met: null, level: 3, score: 0.5 })).toEqual({
      label: 'Level 3 of 5',
      tone: 'partial',
      score: '50%',
    });
    expect(verdictView({ type: 'rating', met: null, level: 5, score: 1 }).tone).toBe('met');
    expect(verdictView({ type: 'rating', met: null, level: 1, score: 0 }).tone).toBe('unmet');
    expect(verdictView({ type: 'rating', met: null, level: null, score: null }).tone).toBe('unjudged');
  });
});

describe('judgedByText', () => {
  it('says which judges ran, naming the model', () => {
    expect(judgedByText({ deterministic: true, llm: null })).toMatch(/rule-based checks only/i);
    expect(judgedByText({ deterministic: true, llm: 'qwen2.5-1.5b' })).toMatch(/rule-based.*qwen2\.5-1\.5b/i);
    expect(judgedByText({ deterministic: false, llm: 'qwen' })).toMatch(/language model qwen/);
    expect(judgedByText({ deterministic: false, llm: null })).toMatch(/no automatic judge/i);
  });
});

describe('unjudgedTitles and formatScore', () => {
  it('maps unjudged criterion ids to titles', () => {
    const criteria = [
      { criterionId: 'a', title: 'Opens well' },
      { criterionId: 'b', title: 'Handles pricing' },
    ] as Parameters<typeof unjudgedTitles>[0]['criteria'];
    expect(unjudgedTitles({ unjudged: ['b', 'zz'], criteria })).toEqual(['Handles pricing', 'zz']);
  });

  it('rounds the score and shows a dash when there is none', () => {
    expect(formatScore(72.6)).toBe('73');
    expect(formatScore(null)).toBe('—');
  });
});

const metrics = (overrides: Partial<DeliveryMetrics> = {}): DeliveryMetrics => ({
  durationSeconds: 100,
  speakingSeconds: 90,
  wordCount: 250,
  wordsPerMinute: 190,
  paceOverTime: [],
  fillerCount: 2,
  fillersPer100Words: 0.8,
  fillers: [],
  pauses: [],
  pauseCount: 0,
  longestPauseSeconds: 4.2,
  pausesOver2s: 1,
  longestStretchSeconds: 30,
  questionsAsked: 2,
  questions: [],
  hedgeCount: 0,
  hedgesPer100Words: 0,
  hedges: [],
  timeLimitSeconds: 120,
  timeUsedRatio: 0.5,
  talkRatio: null,
  ...overrides,
});

describe('metricRows', () => {
  it('rates each ranged metric and shows its range and source', () => {
    const rows = metricRows(metrics());
    const byMetric = new Map(rows.map((r) => [r.metric, r]));
    expect(byMetric.get('wordsPerMinute')).toMatchObject({
      value: '190 words/min',
      range: '140–170 words/min',
      rating: 'high',
      verdict: 'Fast',
      sourceKind: 'peer-reviewed',
    });
    expect(byMetric.get('wordsPerMinute')?.source).toMatch(/Tauroza/);
    expect(byMetric.get('fillersPer100Words')).toMatchObject({
      value: '0.8 per 100 words',
      range: '≤ 5 per 100 words',
      rating: 'ok',
      verdict: 'In range',
    });
    expect(byMetric.get('longestPauseSeconds')).toMatchObject({ value: '4.2 s', rating: 'high' });
    expect(byMetric.get('pausesOver2s')).toMatchObject({ value: '1', rating: 'ok' });
    expect(byMetric.get('timeUsedRatio')).toMatchObject({ value: '50%', range: '60%–100%', rating: 'low' });
  });

  it('leaves out metrics that do not apply', () => {
    const rows = metricRows(metrics({ talkRatio: null, timeUsedRatio: null }));
    expect(rows.map((r) => r.metric)).not.toContain('talkRatio');
    expect(rows.map((r) => r.metric)).not.toContain('timeUsedRatio');
    const silent = metricRows(metrics({ wordCount: 0, wordsPerMinute: 0 })).map((r) => r.metric);
    expect(silent).not.toContain('wordsPerMinute');
    expect(silent).not.toContain('fillersPer100Words');
  });

  it('shows the talk ratio of a role-play as a percentage', () => {
    const row = metricRows(metrics({ talkRatio: 0.7 })).find((r) => r.metric === 'talkRatio');
    expect(row).toMatchObject({ value: '70%', range: '35%–55%', rating: 'high', sourceKind: 'industry' });
  });
});

describe('missingFeedback', () => {
  const attempt = (over: Partial<Pick<AttemptDetail, 'status' | 'stages' | 'recordings'>> = {}) => ({
    status: 'recorded' as const,
    stages: [] as Stage[],
    recordings: [recording('video')],
    ...over,
  });

  it('offers analysis for a recorded attempt', () => {
    expect(missingFeedback(attempt())).toMatchObject({ canAnalyse: true, running: false });
  });

  it('shows the failed stage and its error', () => {
    const state = missingFeedback(
      attempt({
        status: 'failed',
        stages: [stage('transcribe', 'done'), stage('measure', 'failed', 'whisper-cli exited with code 3')],
      }),
    );
    expect(state.title).toBe('Analysis failed at the measure stage.');
    expect(state.detail).toBe('whisper-cli exited with code 3');
    expect(state.canAnalyse).toBe(true);
  });

  it('says when a failed stage left no message', () => {
    const state = missingFeedback(attempt({ status: 'failed', stages: [stage('judge', 'failed')] }));
    expect(state.detail).toMatch(/no error message/i);
  });

  it('points to the running analysis instead of starting another', () => {
    expect(missingFeedback(attempt({ status: 'analysing' }))).toMatchObject({
      canAnalyse: false,
      running: true,
    });
  });

  it('mentions a cancelled analysis resumes', () => {
    const state = missingFeedback(attempt({ stages: [stage('judge', 'cancelled')] }));
    expect(state.title).toMatch(/cancelled at the judge stage/);
  });

  it('cannot analyse an attempt without a recording', () => {
    expect(missingFeedback(attempt({ recordings: [] }))).toMatchObject({ canAnalyse: false, running: false });
  });
});
