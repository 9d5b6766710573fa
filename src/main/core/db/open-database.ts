/**
 * Opens the local SQLite database (better-sqlite3 behind kysely): checks it is a sound database
 * before writing anything to it, turns on WAL and foreign keys, and runs pending migrations.
 * A damaged file is reported (DATABASE_CORRUPT) and never overwritten or deleted.
 */
import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type SqliteDatabase } from 'kysely';
import { AppError, isAppError } from '../../../shared/errors';
import { corruptDatabaseError, isCorrupt, mapStorageError } from '../data-dir/storage-errors';
import { createLogger } from '../util/logger';
import { migrationProvider, migrations } from './migrations';
import type { Database, Db } from './schema';

const log = createLogger('db');

export type { Db };

export const MIGRATION_TABLE = 'kysely_migration';
const BUSY_TIMEOUT_MS = 5_000;

/** Every statement kysely runs goes through here, so SQLITE_FULL etc. surface as AppErrors. */
function guarded(raw: BetterSqlite3.Database, file: string): SqliteDatabase {
  const wrap = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      throw mapStorageError(error, file);
    }
  };
  return {
    close: () => raw.close(),
    prepare(text) {
      const statement = wrap(() => raw.prepare(text));
      return {
        reader: statement.reader,
        all: (params) => wrap(() => statement.all(...params)),
        run: (params) => wrap(() => statement.run(...params)),
        iterate: (params) => wrap(() => statement.iterate(...params)),
      };
    },
  };
}

/** Reads only: fails with DATABASE_CORRUPT unless `PRAGMA quick_check` says ok. */
function checkSound(raw: BetterSqlite3.Database, file: string): void {
  let rows: unknown[];
  try {
    rows = raw.pragma('quick_check') as unknown[];
  } catch (error) {
    throw isCorrupt(error) ? corruptDatabaseError(file, error) : mapStorageError(error, file);
  }
  const first = rows[0] as { quick_check?: unknown } | undefined;
  if (rows.length !== 1 || first?.quick_check !== 'ok') {
    log.error('quick_check failed', { file, problems: rows.slice(0, 5) });
    throw corruptDatabaseError(file);
  }
}

/** Refuses a database that a newer Rehearse has migrated further than this build knows. */
function checkNotFromTheFuture(raw: BetterSqlite3.Database, file: string): void {
  const table = raw
    .prepare("select name from sqlite_master where type = 'table' and name = ?")
    .get(MIGRATION_TABLE);
  if (!table) return;
  const applied = raw.prepare(`select name from ${MIGRATION_TABLE}`).pluck().all() as string[];
  const unknown = applied.filter((name) => !(name in migrations));
  if (unknown.length > 0)
    throw new AppError('CONFLICT', `The database ${file} was written by a newer version of Rehearse`, {
      hint: `Update Rehearse, or set REHEARSE_DATA_DIR to another folder (unknown migration ${unknown[0]}).`,
    });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are typed against Kysely<any>
export function createMigrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: migrationProvider, migrationTableName: MIGRATION_TABLE });
}

/** Opens (creating if needed) and migrates the database at `file`. */
export async function openDatabase(file: string): Promise<Db> {
  let raw: BetterSqlite3.Database | undefined;
  try {
    // `npm start` points Electron's core process at a copy of the addon built for Electron's ABI.
    const binding = process.env.REHEARSE_SQLITE_BINDING?.trim();
    raw = new BetterSqlite3(file, binding ? { nativeBinding: binding } : {});
    if (fs.statSync(file).size > 0) checkSound(raw, file);
    checkNotFromTheFuture(raw, file);
    raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
  } catch (error) {
    raw?.close();
    throw isAppError(error) ? error : mapStorageError(error, file);
  }

  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: guarded(raw, file) }) });
  const { error, results } = await createMigrator(db).migrateToLatest();
  if (error !== undefined) {
    await db.destroy();
    if (isAppError(error)) throw error;
    throw new AppError('INTERNAL', `Could not upgrade the database ${file}: ${String(error)}`, {
      hint: 'Report this problem; your data has not been changed by the failed step.',
      cause: error,
    });
  }
  for (const r of results ?? []) log.info('migration', { name: r.migrationName, status: r.status });
  return db;
}
