/**
 * Turns file-system and SQLite errors into AppErrors a person can act on: a full disk, a folder
 * that cannot be written, a damaged database. Anything else is returned unchanged.
 */
import { AppError, isAppError } from '../../../shared/errors';

export const DATA_DIR_HINT = 'Set REHEARSE_DATA_DIR to a folder you can write to, or fix the permissions.';

const UNWRITABLE_FS = new Set(['EACCES', 'EPERM', 'EROFS']);
const FULL_FS = new Set(['ENOSPC', 'EDQUOT']);

/** The `code` of a Node or better-sqlite3 error (`ENOSPC`, `SQLITE_FULL`, …), if any. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function isDiskFull(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && (FULL_FS.has(code) || code === 'SQLITE_FULL');
}

export function isUnwritable(error: unknown): boolean {
  const code = errorCode(error);
  if (code === undefined) return false;
  return UNWRITABLE_FS.has(code) || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN';
}

export function isCorrupt(error: unknown): boolean {
  const code = errorCode(error);
  return (
    code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code?.startsWith('SQLITE_CORRUPT_') === true
  );
}

export function diskFullError(where: string, cause?: unknown): AppError {
  return new AppError('DISK_FULL', `No space left on the device holding ${where}`, {
    hint: 'Free some disk space (old recordings can be deleted from the history), then try again.',
    cause,
  });
}

export function unwritableError(where: string, cause?: unknown): AppError {
  return new AppError('DATA_DIR_UNWRITABLE', `Cannot write to ${where}`, { hint: DATA_DIR_HINT, cause });
}

export function corruptDatabaseError(file: string, cause?: unknown): AppError {
  return new AppError('DATABASE_CORRUPT', `The database ${file} is damaged or is not a Rehearse database`, {
    hint:
      `Quit Rehearse, move ${file} (and any -wal/-shm beside it) aside or restore it from a backup, then start again. ` +
      'Your recordings are kept: the next start moves any it cannot match to orphaned-recordings/ in the data folder, ' +
      'and `rehearse attempts recover` re-imports them.',
    cause,
  });
}

/** Maps a storage error about `where` (a path) to DISK_FULL / DATA_DIR_UNWRITABLE / DATABASE_CORRUPT. */
export function mapStorageError(error: unknown, where: string): unknown {
  if (isAppError(error)) return error;
  if (isDiskFull(error)) return diskFullError(where, error);
  if (isUnwritable(error)) return unwritableError(where, error);
  if (isCorrupt(error)) return corruptDatabaseError(where, error);
  return error;
}
