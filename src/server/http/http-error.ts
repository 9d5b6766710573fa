/**
 * A refusal or failure with its HTTP status. `code` and `message` go to the client as
 * `{ error: { code, message } }`; `reason` is for the log only (it may say more than the client
 * should learn, e.g. "password mismatch" behind "Email or password is wrong") and never holds a
 * secret.
 */
import type { ErrorCode } from '../../shared/errors';

/** The shared codes, plus RATE_LIMITED, which only the server uses. */
export type ServerErrorCode = ErrorCode | 'RATE_LIMITED';

export class HttpError extends Error {
  readonly status: number;
  readonly code: ServerErrorCode;
  readonly reason: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: ServerErrorCode,
    message: string,
    options: { reason?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.reason = options.reason ?? message;
    this.headers = options.headers ?? {};
  }
}

export const unauthorized = (message: string, reason?: string) =>
  new HttpError(401, 'UNAUTHORIZED', message, reason === undefined ? {} : { reason });
export const forbidden = (message: string, reason?: string) =>
  new HttpError(403, 'FORBIDDEN', message, reason === undefined ? {} : { reason });
export const notFound = (message: string, reason?: string) =>
  new HttpError(404, 'NOT_FOUND', message, reason === undefined ? {} : { reason });
export const conflict = (message: string, reason?: string) =>
  new HttpError(409, 'CONFLICT', message, reason === undefined ? {} : { reason });
export const rateLimited = (retryAfterSeconds: number, reason: string) =>
  new HttpError(429, 'RATE_LIMITED', `Too many failed attempts; try again in ${retryAfterSeconds} s`, {
    reason,
    headers: { 'retry-after': String(retryAfterSeconds) },
  });
/** Well-formed but not acceptable, e.g. a manifest naming a pack version the server does not know. */
export const unprocessable = (message: string, reason?: string) =>
  new HttpError(422, 'INVALID_INPUT', message, reason === undefined ? {} : { reason });
