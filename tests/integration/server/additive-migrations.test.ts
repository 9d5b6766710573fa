/**
 * The server's migrations are additive only: applied one by one, on SQLite and on PostgreSQL, no
 * migration drops, renames or retypes a table or column that an earlier one created (a server
 * upgraded in place keeps every column its older code and its exports read). Column sets are
 * compared, not DDL: 2027_01_05_1000_scope_program_ids_per_vendor rebuilds tables on SQLite to
 * change a primary key and must keep every column. And the static migration provider lists every
 * file of src/server/db/migrations, in order, so a forgotten migration fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Migrator, sql, type Kysely } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { serverMigrationProvider, serverMigrations } from '../../../src/server/db/migrations';
import type { ServerDatabase } from '../../../src/server/db/schema';
import { backends, openFreshDb, unavailable } from './harness';

/** table → column → data type, as kysely's introspection reports them (migration tables left out). */
type Snapshot = Record<string, Record<string, string>>;

/**
 * Removals a migration may make, each with its reason. Keyed by migration name; the entries are
 * "table" or "table.column" exactly as `removals` reports them. Empty today: every migration so
 * far is additive (the SQLite rebuild in scope_program_ids_per_vendor keeps every column and type).
 */
const ALLOWED_REMOVALS: Readonly<Record<string, readonly string[]>> = {};

const MIGRATIONS_DIR = path.resolve(__dirname, '../../../src/server/db/migrations');
const names = Object.keys(serverMigrations);

async function snapshot(db: Kysely<ServerDatabase>): Promise<Snapshot> {
  const tables = await db.introspection.getTables();
  const result: Snapshot = {};
  for (const table of tables) {
    if (table.isView) continue;
    result[table.name] = Object.fromEntries(table.columns.map((c) => [c.name, c.dataType.toLowerCase()]));
  }
  return result;
}

/** Tables and columns of `before` that `after` lost or retyped ("table" or "table.column"). */
function removals(before: Snapshot, after: Snapshot): string[] {
  const lost: string[] = [];
  for (const [table, columns] of Object.entries(before)) {
    const now = after[table];
    if (!now) lost.push(table);
    else
      for (const [column, type] of Object.entries(columns))
        if (now[column] !== type) lost.push(`${table}.${column}`);
  }
  return lost.sort();
}

describe('server migration files', () => {
  it('are all listed by the static provider, in the order their names sort', async () => {
    const files = fs
      .readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file).toMatch(/^\d{4}_\d{2}_\d{2}_\d{4}_[a-z0-9_]+$/);
    expect(names).toEqual(files);
    expect(Object.keys(await serverMigrationProvider.getMigrations())).toEqual(files);
    // Each entry is the module of the file it is named after.
    for (const file of files) {
      const module = (await import(path.join(MIGRATIONS_DIR, `${file}.ts`))) as { up: unknown };
      expect(serverMigrations[file]?.up, file).toBe(module.up);
    }
  });

  it('the allow-list names only migrations that exist', () => {
    for (const name of Object.keys(ALLOWED_REMOVALS)) expect(names).toContain(name);
  });
});

describe.each(backends)('server migrations (%s)', (backend) => {
  beforeEach((ctx) => {
    if (unavailable(backend))
      ctx.skip('no PostgreSQL here: set REHEARSE_TEST_DATABASE_URL (.ci/run starts one)');
  });

  it('are additive only: applied one by one, none drops, renames or retypes an earlier table or column', async () => {
    const fresh = await openFreshDb(backend);
    try {
      const migrator = new Migrator({ db: fresh.db, provider: serverMigrationProvider });
      let before = await snapshot(fresh.db);
      expect(before).toEqual({});
      for (const name of names) {
        const { error } = await migrator.migrateTo(name);
        if (error) throw error;
        const after = await snapshot(fresh.db);
        expect(removals(before, after), name).toEqual([...(ALLOWED_REMOVALS[name] ?? [])].sort());
        // An empty migration is a mistake; an index-only one would show here too, so keep it visible.
        expect(after, `${name} changed no table or column`).not.toEqual(before);
        before = after;
      }
    } finally {
      await fresh.dispose();
    }
  });

  it('the additive check catches a dropped column and a renamed table', async () => {
    const fresh = await openFreshDb(backend);
    try {
      const migrator = new Migrator({ db: fresh.db, provider: serverMigrationProvider });
      const { error } = await migrator.migrateToLatest();
      if (error) throw error;
      const before = await snapshot(fresh.db);
      await sql`alter table sessions drop column expires_at`.execute(fresh.db);
      await sql`alter table pairing_codes rename to device_pairing_codes`.execute(fresh.db);
      expect(removals(before, await snapshot(fresh.db))).toEqual(['pairing_codes', 'sessions.expires_at']);
    } finally {
      await fresh.dispose();
    }
  });
});
