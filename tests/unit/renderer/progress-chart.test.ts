import { describe, expect, it } from 'vitest';
import type { DeliveryMetrics } from '../../../src/shared/metrics/delivery-metrics-types';
import type { AttemptSummary } from '../../../src/shared/api/types';
import {
  buildChart,
  chartAttempts,
  chartSummary,
  keyMetrics,
  linearScale,
  linePath,
  niceDomain,
  niceTicks,
  progressPoints,
  tickIndices,
  type ProgressPoint,
} from '../../../src/renderer/src/features/progress/chart';

const attempt = (id: string, day: number, over: Partial<AttemptSummary> = {}): AttemptSummary => ({
  id,
  programId: 'p',
  scenarioId: 's',
  packVersion: '1.0.0',
  mode: 'practice',
  status: 'analysed',
  createdAt: `2026-03-${String(day).padStart(2, '0')}T10:00:00.000Z`,
  durationSeconds: 90,
  score: 50 + day,
  passed: false,
  ...over,
});

const point = (i: number, over: Partial<ProgressPoint> = {}): ProgressPoint => ({
  attemptId: `a${i}`,
  createdAt: `2026-03-${String(i + 1).padStart(2, '0')}T10:00:00.000Z`,
  score: 60,
  wordsPerMinute: 150,
  fillersPer100Words: 2,
  ...over,
});

const day = (iso: string) => iso.slice(5, 10);

describe('chartAttempts and progressPoints', () => {
  it('keeps the latest analysed attempts, oldest first', () => {
    const attempts = [
      attempt('c', 3),
      attempt('x', 4, { status: 'recorded', score: null }),
      attempt('a', 1),
      attempt('b', 2),
    ];
    expect(chartAttempts(attempts).map((a) => a.id)).toEqual(['a', 'b', 'c']);
    expect(chartAttempts(attempts, 2).map((a) => a.id)).toEqual(['b', 'c']);
  });

  it('caps the chart at 20 attempts', () => {
    const many = Array.from({ length: 25 }, (_, i) => attempt(`a${i}`, i + 1));
    const chosen = chartAttempts(many);
    expect(chosen).toHaveLength(20);
    expect(chosen[0]?.id).toBe('a5');
  });

  it('joins scores with the fetched metrics, null where missing', () => {
    const points = progressPoints([attempt('a', 1), attempt('b', 2)], {
      a: { wordsPerMinute: 140, fillersPer100Words: 3 },
      b: null,
    });
    expect(points).toEqual([
      {
        attemptId: 'a',
        createdAt: attempt('a', 1).createdAt,
        score: 51,
        wordsPerMinute: 140,
        fillersPer100Words: 3,
      },
      {
        attemptId: 'b',
        createdAt: attempt('b', 2).createdAt,
        score: 52,
        wordsPerMinute: null,
        fillersPer100Words: null,
      },
    ]);
  });

  it('takes no speaking rate from a silent recording', () => {
    const m = { wordCount: 0, wordsPerMinute: 0, fillersPer100Words: 0 } as DeliveryMetrics;
    expect(keyMetrics(m)).toEqual({ wordsPerMinute: null, fillersPer100Words: null });
    expect(keyMetrics({ ...m, wordCount: 10, wordsPerMinute: 120, fillersPer100Words: 10 })).toEqual({
      wordsPerMinute: 120,
      fillersPer100Words: 10,
    });
    expect(keyMetrics(null)).toBeNull();
  });
});

describe('scales and ticks', () => {
  it('picks nice tick steps', () => {
    expect(niceTicks(0, 100, 4)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(0, 10, 3)).toEqual([0, 5, 10]);
    expect(niceTicks(120, 200, 4)).toEqual([120, 140, 160, 180, 200]);
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(5, 5)).toEqual([5]);
    expect(niceTicks(10, 0, 2)).toEqual([0, 5, 10]);
  });

  it('widens a domain to whole steps', () => {
    expect(niceDomain(133, 187)).toEqual([120, 200]);
    expect(niceDomain(0, 7.3)).toEqual([0, 8]);
    expect(niceDomain(4, 4)).toEqual([3, 5]);
  });

  it('maps a domain onto a range, inverted for SVG y', () => {
    const y = linearScale([0, 100], [200, 100]);
    expect(y(0)).toBe(200);
    expect(y(100)).toBe(100);
    expect(y(50)).toBe(150);
    expect(linearScale([5, 5], [0, 10])(5)).toBe(5);
  });

  it('breaks the line where a value is missing', () => {
    expect(linePath([{ x: 0, y: 1 }, { x: 10, y: 2 }, null, { x: 30, y: 4 }, { x: 40, y: 5.25 }])).toBe(
      'M0 1L10 2M30 4L40 5.3',
    );
    expect(linePath([])).toBe('');
  });

  it('spreads at most N date labels, always the first and last', () => {
    expect(tickIndices(0, 8)).toEqual([]);
    expect(tickIndices(5, 8)).toEqual([0, 1, 2, 3, 4]);
    const ticks = tickIndices(20, 8);
    expect(ticks.length).toBeLessThanOrEqual(8);
    expect(ticks[0]).toBe(0);
    expect(ticks[ticks.length - 1]).toBe(19);
  });
});

describe('buildChart', () => {
  const points = [
    point(0, { score: 40, wordsPerMinute: 190, fillersPer100Words: 8 }),
    point(1, { score: 70, wordsPerMinute: null, fillersPer100Words: 4 }),
    point(2, { score: 80, wordsPerMinute: 150, fillersPer100Words: 1.5 }),
  ];
  const chart = buildChart(points, { width: 600, panelHeight: 100, formatDate: day, passMark: 70 });

  it('draws three panels on one x axis, spread from edge to edge', () => {
    expect(chart.panels.map((p) => p.key)).toEqual(['score', 'wordsPerMinute', 'fillersPer100Words']);
    const score = chart.panels[0];
    expect(score?.dots.map((d) => d.x)).toEqual([
      chart.plotLeft,
      (chart.plotLeft + chart.plotRight) / 2,
      chart.plotRight,
    ]);
    expect(chart.xTicks.map((t) => t.label)).toEqual(['03-01', '03-02', '03-03']);
  });

  it('places scores on a fixed 0-100 axis with the pass mark', () => {
    const score = chart.panels[0];
    if (!score) throw new Error('no score panel');
    const bottom = score.top + score.height;
    expect(score.dots[0]?.y).toBeCloseTo(bottom - 0.4 * score.height);
    expect(score.yTicks.map((t) => t.value)).toEqual([0, 50, 100]);
    expect(score.band).toMatchObject({ label: 'pass mark 70' });
    expect(score.band?.y1).toBeCloseTo(bottom - 0.7 * score.height);
  });

  it('leaves a gap for a missing metric and shades the reference range', () => {
    const wpm = chart.panels[1];
    expect(wpm?.dots.map((d) => d.attemptId)).toEqual(['a0', 'a2']);
    // The missing middle value breaks the line: two lone dots, nothing drawn between them.
    expect(wpm?.path).not.toContain('L');
    expect(wpm?.path.match(/M/g)).toHaveLength(2);
    expect(wpm?.band?.label).toBe('reference 140–170');
    const top = wpm?.yTicks[wpm.yTicks.length - 1]?.value ?? 0;
    expect(top).toBeGreaterThanOrEqual(190);
  });

  it('puts a lone attempt in the middle', () => {
    const one = buildChart([point(0)], { width: 600, formatDate: day });
    expect(one.panels[0]?.dots[0]?.x).toBe((one.plotLeft + one.plotRight) / 2);
    expect(one.panels[0]?.band).toBeNull();
  });

  it('titles each dot with its date and value', () => {
    expect(chart.panels[2]?.dots[0]?.title).toBe('03-01: fillers per 100 words 8.0');
  });
});

describe('chartSummary', () => {
  it('summarises the trend of each series', () => {
    const summary = chartSummary(
      [
        point(0, { score: 40, wordsPerMinute: 190 }),
        point(1, { score: 85, wordsPerMinute: 160, fillersPer100Words: 1 }),
      ],
      day,
    );
    expect(summary).toBe(
      'Progress over 2 analysed attempts from 03-01 to 03-02: score from 40 to 85, best 85; words per minute from 190 to 160; fillers per 100 words from 2.0 to 1.0.',
    );
  });

  it('handles one attempt, missing metrics and no attempts', () => {
    expect(chartSummary([point(0, { wordsPerMinute: null, fillersPer100Words: null })], day)).toBe(
      'Progress over 1 analysed attempt on 03-01: score 60.',
    );
    expect(chartSummary([], day)).toMatch(/no analysed attempts/);
  });
});
