/**
 * Error codes that cross every boundary (IPC, HTTP, CLI exit codes). A failed call carries
 * `{ code, message, hint? }`; the renderer shows it as a notification, the CLI prints it on one line.
 */
export const ERROR_CODES = {
  INVALID_INPUT: 'Bad arguments or a malformed request',
  PACK_INVALID: 'A scenario pack failed validation',
  NOT_FOUND: 'The thing asked for does not exist',
  CONFLICT: 'The request conflicts with what is stored',
  DATA_DIR_UNWRITABLE: 'The data folder cannot be written',
  DISK_FULL: 'No space left on the device',
  DATABASE_CORRUPT: 'The database file is damaged or not a database',
  DATA_DIR_LOCKED: 'Another Rehearse instance is using the data folder',
  UNAVAILABLE: 'A service it depends on (the database) is unavailable; try again shortly',
  MODEL_MISSING: 'A model file is not installed',
  MODEL_INVALID: 'A model file is damaged or of the wrong kind',
  DOWNLOAD_FAILED: 'A download failed',
  CHECKSUM_MISMATCH: 'A file does not match its pinned checksum',
  MEDIA_INVALID: 'An audio or video file cannot be read',
  CANCELLED: 'The operation was cancelled',
  TIMEOUT: 'The operation took too long',
  UNAUTHORIZED: 'Missing or invalid credentials',
  FORBIDDEN: 'Not allowed',
  UNPROCESSABLE: 'Well-formed but not acceptable (e.g. a pack version the server does not know)',
  RATE_LIMITED: 'Too many attempts; try again later',
  INTERNAL: 'Unexpected internal error',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** What crosses a process boundary. */
export interface SerializedError {
  code: ErrorCode;
  message: string;
  hint?: string;
}

export interface AppErrorOptions {
  /** What to do about it; crosses the boundary with the message. */
  hint?: string;
  cause?: unknown;
  /**
   * For the log only, never sent: it may say more than the caller should learn ("password
   * mismatch" behind "Email or password is wrong"). Never holds a secret.
   */
  reason?: string;
  /** RATE_LIMITED: when to try again (an HTTP server sends it as Retry-After). */
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly reason: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options?: AppErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.hint = options?.hint;
    this.reason = options?.reason;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  toJSON(): SerializedError {
    return this.hint === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, hint: this.hint };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && value in ERROR_CODES;
}

/** Turns anything thrown into the serialisable shape, keeping AppError codes and hints. */
export function serializeError(error: unknown): SerializedError {
  if (isAppError(error)) return error.toJSON();
  if (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    isErrorCode((error as { code: unknown }).code) &&
    'message' in error
  ) {
    const e = error as SerializedError;
    return e.hint === undefined ? { code: e.code, message: e.message } : e;
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}

export function deserializeError(error: SerializedError): AppError {
  return new AppError(error.code, error.message, error.hint === undefined ? undefined : { hint: error.hint });
}

/** One line for a terminal or a notification: the message, then what to do. */
export function formatErrorLine(error: SerializedError): string {
  return error.hint ? `${error.message} — ${error.hint}` : error.message;
}
