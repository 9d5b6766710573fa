/**
 * The one map from error codes to HTTP statuses, used by the error handler, the tus refusals and
 * the OpenAPI document. Domain code throws AppError (src/server/errors.ts) and never picks a
 * status; the HTTP layer alone may pin one with HttpStatusError when the status is a fact of the
 * transport rather than of the domain (503 while not ready, 413 over the upload limit, 416 outside
 * the recording).
 */
import { AppError, type AppErrorOptions, type ErrorCode } from '../../shared/errors';

export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNPROCESSABLE: 422,
  PACK_INVALID: 422,
  CHECKSUM_MISMATCH: 422,
  MEDIA_INVALID: 422,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  CANCELLED: 503,
  TIMEOUT: 504,
  DATA_DIR_UNWRITABLE: 500,
  DISK_FULL: 500,
  DATABASE_CORRUPT: 500,
  DATA_DIR_LOCKED: 500,
  MODEL_MISSING: 500,
  MODEL_INVALID: 500,
  DOWNLOAD_FAILED: 500,
  INTERNAL: 500,
};

/** An AppError whose status the HTTP layer pins (routes/ and http/ only), with extra headers. */
export class HttpStatusError extends AppError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    options: AppErrorOptions & { headers?: Record<string, string> } = {},
  ) {
    const { headers, ...rest } = options;
    super(code, message, rest);
    this.name = 'HttpStatusError';
    this.status = status;
    this.headers = headers ?? {};
  }
}

export function httpStatusOf(error: AppError): number {
  return error instanceof HttpStatusError ? error.status : HTTP_STATUS[error.code];
}

/** The headers an error adds to its response (Retry-After for RATE_LIMITED). */
export function httpHeadersOf(error: AppError): Record<string, string> {
  return {
    ...(error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) }),
    ...(error instanceof HttpStatusError ? error.headers : {}),
  };
}
