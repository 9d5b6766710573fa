/**
 * Opens the server database: PostgreSQL (a `pg` pool) when a postgres:// URL is given, else the
 * embedded SQLite file `<dataDir>/server.sqlite` through better-sqlite3. Both run the same kysely
 * queries and the same migrations.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { ServerDatabase } from './schema';
import { serverMigrationProvider } from './migrations';

export type ServerDbDialect = 'sqlite' | 'postgres';

export interface ServerDb {
  db: Kysely<ServerDatabase>;
  dialect: ServerDbDialect;
  close(): Promise<void>;
}

export interface OpenServerDbOptions {
  /** postgres://… for PostgreSQL; omitted for SQLite in dataDir. */
  databaseUrl?: string | undefined;
  dataDir: string;
}

export function openServerDb(options: OpenServerDbOptions): ServerDb {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    const db = new Kysely<ServerDatabase>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  const sqlite = new Database(path.join(options.dataDir, 'server.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<ServerDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

function migratorFor(db: Kysely<ServerDatabase>): Migrator {
  return new Migrator({ db, provider: serverMigrationProvider });
}

/** Applies every pending migration; throws the first failure. */
export async function migrateServerDb(db: Kysely<ServerDatabase>): Promise<void> {
  const { error } = await migratorFor(db).migrateToLatest();
  if (error) throw error;
}

export interface DbReadiness {
  reachable: boolean;
  pendingMigrations: string[];
}

/** For GET /ready: can we query, and has every migration run? Never throws. */
export async function checkDbReadiness(db: Kysely<ServerDatabase>): Promise<DbReadiness> {
  try {
    await sql`select 1`.execute(db);
  } catch {
    return { reachable: false, pendingMigrations: [] };
  }
  try {
    const infos = await migratorFor(db).getMigrations();
    return { reachable: true, pendingMigrations: infos.filter((m) => !m.executedAt).map((m) => m.name) };
  } catch {
    return { reachable: true, pendingMigrations: Object.keys(await serverMigrationProvider.getMigrations()) };
  }
}
