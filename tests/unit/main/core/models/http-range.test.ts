import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  isTransientStatus,
  parseContentRange,
  rangeFrom,
} from '../../../../../src/main/core/models/http-range';

describe('parseContentRange', () => {
  it.each([
    ['bytes 100-199/1000', { start: 100, end: 199, total: 1000 }],
    ['bytes 0-0/1', { start: 0, end: 0, total: 1 }],
    ['bytes 5-9/*', { start: 5, end: 9, total: null }],
    ['bytes */4096', { start: null, end: null, total: 4096 }],
    ['BYTES 1-2/3', { start: 1, end: 2, total: 3 }],
  ])('reads %s', (header, expected) => {
    expect(parseContentRange(header)).toEqual(expected);
  });

  it.each([null, undefined, '', 'bytes 9-5/10', 'items 0-1/2', 'bytes 1-2', 'bytes -5/10'])(
    'rejects %s',
    (header) => {
      expect(parseContentRange(header)).toBeNull();
    },
  );
});

describe('retry helpers', () => {
  it('asks for the rest of a file from an offset', () => {
    expect(rangeFrom(3_000_017)).toBe('bytes=3000017-');
  });

  it('retries timeouts, rate limits and server errors only', () => {
    expect([408, 425, 429, 500, 502, 503].every(isTransientStatus)).toBe(true);
    expect([400, 401, 403, 404, 410, 416].some(isTransientStatus)).toBe(false);
  });

  it('backs off exponentially up to a cap', () => {
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, 100, 500))).toEqual([100, 200, 400, 500]);
  });
});
