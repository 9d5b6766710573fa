import { describe, expect, it } from 'vitest';
import type { ScenarioSummary } from '../../../src/shared/api/types';
import {
  formatDuration,
  parseScenarioKey,
  resultLabel,
  scenarioKey,
  scenarioTitles,
} from '../../../src/renderer/src/features/progress/format';

describe('progress formatters', () => {
  it('formats durations', () => {
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(120)).toBe('2 min');
    expect(formatDuration(65.4)).toBe('1 min 05 s');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(-1)).toBe('—');
  });

  it('labels the result', () => {
    expect(resultLabel({ passed: true })).toBe('Passed');
    expect(resultLabel({ passed: false })).toBe('Not passed');
    expect(resultLabel({ passed: null })).toBe('—');
  });

  it('round-trips the scenario picker value', () => {
    expect(parseScenarioKey(scenarioKey('acme', 'pitch-1'))).toEqual({
      programId: 'acme',
      scenarioId: 'pitch-1',
    });
    expect(parseScenarioKey('')).toEqual({});
    expect(parseScenarioKey('acme/')).toEqual({});
    expect(parseScenarioKey('/x')).toEqual({});
  });

  it('maps scenarios to titles by key', () => {
    const s = { programId: 'p', id: 's', title: 'Discovery call' } as ScenarioSummary;
    expect(scenarioTitles([s]).get('p/s')).toBe('Discovery call');
  });
});
