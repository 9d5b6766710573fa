/**
 * The sync client's failures in the shared vocabulary (src/shared/errors.ts): every HTTP answer or
 * missing answer becomes an AppError whose code says what happened and whether waiting helps.
 * Transient (retried with backoff): UNAVAILABLE (no answer, 5xx, a server not ready yet),
 * RATE_LIMITED (429, with its Retry-After) and TIMEOUT. The rest are refusals a retry will not fix.
 */
import { AppError, isAppError, type ErrorCode } from '../../../shared/errors';

/** A Retry-After past this is not believed (a misconfigured or hostile server). */
export const MAX_RETRY_AFTER_SECONDS = 60 * 60;

const TRANSIENT: ReadonlySet<ErrorCode> = new Set(['UNAVAILABLE', 'RATE_LIMITED', 'TIMEOUT']);

/** Codes a server's refusal maps to (the rest, such as DISK_FULL, come from this machine). */
const REFUSALS: ReadonlySet<ErrorCode> = new Set([
  'INVALID_INPUT',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'UNPROCESSABLE',
]);

/** True when the same request may succeed later. */
export function isTransient(error: unknown): error is AppError {
  return isAppError(error) && TRANSIENT.has(error.code);
}

/** True for a refusal by the server (a retry without a change will not help). */
export function isRefusal(error: unknown): error is AppError {
  return isAppError(error) && REFUSALS.has(error.code);
}

export function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404 || status === 410) return 'NOT_FOUND';
  if (status === 408) return 'TIMEOUT';
  if (status === 409) return 'CONFLICT';
  if (status === 422) return 'UNPROCESSABLE';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'UNAVAILABLE';
  return 'INVALID_INPUT';
}

/** Retry-After as seconds (delta-seconds or an HTTP date), capped; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const seconds = /^\d+$/.test(text) ? Number(text) : Math.ceil((Date.parse(text) - now) / 1000);
  if (!Number.isFinite(seconds)) return undefined;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(0, seconds));
}

/** A failed answer: the code its status maps to, the server's words, its Retry-After. */
export function answerError(
  status: number,
  message: string,
  options: { retryAfter?: string | null; cause?: unknown; code?: ErrorCode } = {},
): AppError {
  const retryAfterSeconds = parseRetryAfter(options.retryAfter);
  return new AppError(options.code ?? codeForStatus(status), message, {
    reason: `HTTP ${status}`,
    ...(options.cause !== undefined && { cause: options.cause }),
    ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
  });
}

/** No answer at all (refused, reset, DNS, timeout): UNAVAILABLE, retried. */
export function unreachable(message: string, cause: unknown): AppError {
  return new AppError('UNAVAILABLE', message, { cause, reason: 'no answer' });
}

/** The server answered but is not done yet (it has not accepted a recording): UNAVAILABLE, retried. */
export function notYet(message: string, cause?: unknown): AppError {
  return new AppError('UNAVAILABLE', message, cause === undefined ? {} : { cause });
}
