/**
 * The server domain's refusals are AppErrors without a status; http/error-status.ts alone maps
 * their codes to the statuses the API has always answered with (the old HttpError helpers').
 */
import { describe, expect, it } from 'vitest';
import { AppError, ERROR_CODES, type ErrorCode } from '../../../src/shared/errors';
import {
  conflict,
  forbidden,
  invalidInput,
  notFound,
  rateLimited,
  unauthorized,
  unprocessable,
} from '../../../src/server/errors';
import {
  HTTP_STATUS,
  HttpStatusError,
  httpHeadersOf,
  httpStatusOf,
} from '../../../src/server/http/error-status';

describe('error statuses', () => {
  it('keeps each helper’s status, and its reason off the wire', () => {
    const cases: Array<[AppError, number]> = [
      [invalidInput('x'), 400],
      [unauthorized('x', 'password mismatch'), 401],
      [forbidden('x'), 403],
      [notFound('x'), 404],
      [conflict('x'), 409],
      [unprocessable('x'), 422],
      [rateLimited(30, 'login throttled'), 429],
    ];
    for (const [error, status] of cases) {
      expect(error).toBeInstanceOf(AppError);
      expect(httpStatusOf(error), error.code).toBe(status);
    }
    const refused = unauthorized('Email or password is wrong', 'password mismatch');
    expect(refused.reason).toBe('password mismatch');
    expect(refused.toJSON()).toEqual({ code: 'UNAUTHORIZED', message: 'Email or password is wrong' });
  });

  it('sends Retry-After for RATE_LIMITED and a pinned status’s headers', () => {
    expect(httpHeadersOf(rateLimited(30, 'r'))).toEqual({ 'retry-after': '30' });
    const range = new HttpStatusError(416, 'INVALID_INPUT', 'outside', {
      headers: { 'content-range': 'bytes */5' },
    });
    expect(httpStatusOf(range)).toBe(416);
    expect(httpHeadersOf(range)).toEqual({ 'content-range': 'bytes */5' });
  });

  it('gives every shared code a status', () => {
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[])
      expect(HTTP_STATUS[code], code).toBeGreaterThanOrEqual(400);
  });
});
