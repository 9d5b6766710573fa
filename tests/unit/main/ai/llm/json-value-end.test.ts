import { describe, expect, it } from 'vitest';
import { jsonValueEnd } from '../../../../../src/main/ai/llm/llm-runtime';

describe('jsonValueEnd (stop generation when the JSON object closes)', () => {
  it('finds the end of a complete object', () => {
    const text = '{"evidence":"a","level":3}   \n';
    expect(jsonValueEnd(text)).toBe(text.indexOf('}') + 1);
  });

  it('ignores braces and escaped quotes inside strings', () => {
    const text = '{"evidence":"we said } and \\"{\\"","rationale":"x"}';
    expect(jsonValueEnd(text)).toBe(text.length);
  });

  it('reports an unfinished object as -1', () => {
    expect(jsonValueEnd('{"evidence":"abc')).toBe(-1);
    expect(jsonValueEnd('{"a":{"b":1}')).toBe(-1);
  });
});
