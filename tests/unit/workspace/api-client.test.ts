import { afterEach, describe, expect, it, vi } from 'vitest';
import { ERROR_CODES } from '../../../src/shared/errors';
import { ApiError, errorCodeOf, request } from '../../../src/workspace/src/lib/api';

afterEach(() => {
  vi.unstubAllGlobals();
});

function answer(status: number, body: string, headers: Record<string, string> = {}) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(body, { status, headers })),
  );
}

async function failure(): Promise<ApiError> {
  try {
    await request('GET', '/api/review/queue', undefined, { quietUnauthorized: true });
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('the request did not fail');
}

describe('the workspace API client', () => {
  it("carries the server's error code and Retry-After", async () => {
    answer(429, JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'Slow down' } }), {
      'retry-after': '30',
    });
    const error = await failure();
    expect([error.status, error.code, error.message, error.retryAfterSeconds]).toEqual([
      429,
      'RATE_LIMITED',
      'Slow down',
      30,
    ]);
  });

  it('gives every failure a code of src/shared/errors.ts, never an invented one', async () => {
    answer(502, '<html>Bad gateway</html>');
    expect((await failure()).code).toBe('UNAVAILABLE');
    answer(418, JSON.stringify({ error: { code: 'TEAPOT', message: 'no' } }));
    expect((await failure()).code).toBe('INTERNAL');
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('fetch failed');
      }),
    );
    const offline = await failure();
    expect([offline.status, offline.code]).toEqual([0, 'UNAVAILABLE']);
    for (const status of [400, 401, 403, 404, 409, 413, 416, 422, 429, 500, 503, 504, 599])
      expect(Object.keys(ERROR_CODES)).toContain(errorCodeOf(status, undefined));
  });
});
