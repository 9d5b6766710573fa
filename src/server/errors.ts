/**
 * The server domain's refusals. Domain code (identity, submissions, integrations, analytics,
 * uploads, storage) throws AppError with a code from src/shared/errors.ts and knows nothing of
 * HTTP; src/server/http/error-status.ts is the one place that turns a code into a status. `message`
 * goes to the client as `{ error: { code, message } }`; `reason` is for the log only.
 */
import { AppError } from '../shared/errors';

const withReason = (reason: string | undefined) => (reason === undefined ? {} : { reason });

export const invalidInput = (message: string, reason?: string) =>
  new AppError('INVALID_INPUT', message, withReason(reason));
export const unauthorized = (message: string, reason?: string) =>
  new AppError('UNAUTHORIZED', message, withReason(reason));
export const forbidden = (message: string, reason?: string) =>
  new AppError('FORBIDDEN', message, withReason(reason));
export const notFound = (message: string, reason?: string) =>
  new AppError('NOT_FOUND', message, withReason(reason));
export const conflict = (message: string, reason?: string) =>
  new AppError('CONFLICT', message, withReason(reason));
/** Well-formed but not acceptable, e.g. a manifest naming a pack version the server does not know. */
export const unprocessable = (message: string, reason?: string) =>
  new AppError('UNPROCESSABLE', message, withReason(reason));
export const rateLimited = (retryAfterSeconds: number, reason: string) =>
  new AppError('RATE_LIMITED', `Too many failed attempts; try again in ${retryAfterSeconds} s`, {
    reason,
    retryAfterSeconds,
  });
