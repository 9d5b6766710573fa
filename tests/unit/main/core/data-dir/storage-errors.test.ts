import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../../src/shared/errors';
import { mapStorageError } from '../../../../../src/main/core/data-dir/storage-errors';

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('mapStorageError', () => {
  it.each([
    ['ENOSPC', 'DISK_FULL'],
    ['EDQUOT', 'DISK_FULL'],
    ['SQLITE_FULL', 'DISK_FULL'],
    ['EACCES', 'DATA_DIR_UNWRITABLE'],
    ['EPERM', 'DATA_DIR_UNWRITABLE'],
    ['EROFS', 'DATA_DIR_UNWRITABLE'],
    ['SQLITE_READONLY', 'DATA_DIR_UNWRITABLE'],
    ['SQLITE_READONLY_DBMOVED', 'DATA_DIR_UNWRITABLE'],
    ['SQLITE_CANTOPEN', 'DATA_DIR_UNWRITABLE'],
    ['SQLITE_NOTADB', 'DATABASE_CORRUPT'],
    ['SQLITE_CORRUPT', 'DATABASE_CORRUPT'],
    ['SQLITE_CORRUPT_VTAB', 'DATABASE_CORRUPT'],
  ])('%s becomes %s, naming the path and keeping the cause', (code, expected) => {
    const cause = withCode(code);
    const mapped = mapStorageError(cause, '/data/rehearse');
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped).toMatchObject({ code: expected, cause });
    expect((mapped as AppError).message).toContain('/data/rehearse');
    expect((mapped as AppError).hint).toBeTruthy();
  });

  it('the unwritable hint names REHEARSE_DATA_DIR', () => {
    expect((mapStorageError(withCode('EACCES'), '/x') as AppError).hint).toContain('REHEARSE_DATA_DIR');
  });

  it('leaves other errors and AppErrors alone', () => {
    const busy = withCode('SQLITE_BUSY');
    expect(mapStorageError(busy, '/x')).toBe(busy);
    const app = new AppError('NOT_FOUND', 'gone');
    expect(mapStorageError(app, '/x')).toBe(app);
    expect(mapStorageError('text', '/x')).toBe('text');
  });
});
