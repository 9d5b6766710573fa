/**
 * Exit codes of the `rehearse` command, stable for scripts (documented in README.md):
 * 0 success · 1 unexpected error · 2 bad usage or input · 3 invalid scenario pack · 4 not found ·
 * 5 data folder problem (locked, unwritable, full, corrupt) · 6 model problem · 7 download problem ·
 * 8 media problem · 130 cancelled (Ctrl-C) · 124 timed out.
 */
import type { ErrorCode } from '../shared/errors';

export const EXIT = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  PACK_INVALID: 3,
  NOT_FOUND: 4,
  DATA_DIR: 5,
  MODEL: 6,
  DOWNLOAD: 7,
  MEDIA: 8,
  TIMEOUT: 124,
  CANCELLED: 130,
} as const;

const BY_CODE: Record<ErrorCode, number> = {
  INVALID_INPUT: EXIT.USAGE,
  PACK_INVALID: EXIT.PACK_INVALID,
  NOT_FOUND: EXIT.NOT_FOUND,
  CONFLICT: EXIT.USAGE,
  DATA_DIR_UNWRITABLE: EXIT.DATA_DIR,
  DISK_FULL: EXIT.DATA_DIR,
  DATABASE_CORRUPT: EXIT.DATA_DIR,
  DATA_DIR_LOCKED: EXIT.DATA_DIR,
  UNAVAILABLE: EXIT.INTERNAL,
  MODEL_MISSING: EXIT.MODEL,
  MODEL_INVALID: EXIT.MODEL,
  DOWNLOAD_FAILED: EXIT.DOWNLOAD,
  CHECKSUM_MISMATCH: EXIT.DOWNLOAD,
  MEDIA_INVALID: EXIT.MEDIA,
  CANCELLED: EXIT.CANCELLED,
  TIMEOUT: EXIT.TIMEOUT,
  UNAUTHORIZED: EXIT.USAGE,
  FORBIDDEN: EXIT.USAGE,
  UNPROCESSABLE: EXIT.USAGE,
  RATE_LIMITED: EXIT.USAGE,
  INTERNAL: EXIT.INTERNAL,
};

export function exitCodeFor(code: ErrorCode): number {
  return BY_CODE[code];
}
