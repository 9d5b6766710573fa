import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, NO_MIGRATIONS, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigrator, openDatabase, MIGRATION_TABLE } from '../../../../../src/main/core/db/open-database';
import { migrations } from '../../../../../src/main/core/db/migrations';
import { makeTempDir } from './helpers';

type Snapshot = Record<string, Record<string, { type: string; notnull: number; pk: number }>>;

const names = Object.keys(migrations).sort();
let dir: string;

beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function snapshot(file: string): Snapshot {
  const raw = new BetterSqlite3(file, { readonly: true });
  try {
    const tables = raw
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like ?",
      )
      .pluck()
      .all(`${MIGRATION_TABLE}%`) as string[];
    const result: Snapshot = {};
    for (const table of tables) {
      const columns = raw.pragma(`table_info(${JSON.stringify(table)})`) as Array<{
        name: string;
        type: string;
        notnull: number;
        pk: number;
      }>;
      result[table] = Object.fromEntries(
        columns.map((c) => [c.name, { type: c.type, notnull: c.notnull, pk: c.pk }]),
      );
    }
    return result;
  } finally {
    raw.close();
  }
}

/** Tables and columns of `before` that `after` lost or changed. */
function removals(before: Snapshot, after: Snapshot): string[] {
  const lost: string[] = [];
  for (const [table, columns] of Object.entries(before)) {
    if (!after[table]) lost.push(table);
    else
      for (const [column, info] of Object.entries(columns))
        if (JSON.stringify(after[table][column]) !== JSON.stringify(info)) lost.push(`${table}.${column}`);
  }
  return lost;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run untyped
function rawKysely(file: string): Kysely<any> {
  const raw = new BetterSqlite3(file);
  raw.pragma('foreign_keys = ON');
  return new Kysely({ dialect: new SqliteDialect({ database: raw }) });
}

async function migrateTo(file: string, target: string | typeof NO_MIGRATIONS): Promise<void> {
  const db = rawKysely(file);
  try {
    const { error } = await createMigrator(db).migrateTo(target);
    if (error) throw error;
  } finally {
    await db.destroy();
  }
}

describe('migrations', () => {
  it('are named so that they sort in the order they were written', () => {
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/^\d{4}_\d{2}_\d{2}_\d{4}_[a-z0-9_]+$/);
  });

  it('are additive only: no later migration drops, renames or retypes a table or column', async () => {
    const file = path.join(dir, 'step.sqlite');
    const snapshots: Array<{ name: string; schema: Snapshot }> = [];
    for (const name of names) {
      await migrateTo(file, name);
      snapshots.push({ name, schema: snapshot(file) });
    }
    for (let i = 1; i < snapshots.length; i++)
      expect(removals(snapshots[i - 1]!.schema, snapshots[i]!.schema), snapshots[i]!.name).toEqual([]);
    // Each migration changes something (an empty one is a mistake).
    for (let i = 1; i < snapshots.length; i++)
      expect(snapshots[i]!.schema, snapshots[i]!.name).not.toEqual(snapshots[i - 1]!.schema);
  });

  it('the additive check catches a dropped column and a renamed table', async () => {
    const file = path.join(dir, 'bad.sqlite');
    await migrateTo(file, names.at(-1)!);
    const before = snapshot(file);
    const raw = new BetterSqlite3(file);
    raw.exec('alter table attempts drop column note; alter table metrics rename to delivery_metrics');
    raw.close();
    expect(removals(before, snapshot(file))).toEqual(['attempts.note', 'metrics']);
  });

  it('upgrades a database left at any earlier migration to the latest, keeping its data', async () => {
    const fresh = path.join(dir, 'fresh.sqlite');
    await (await openDatabase(fresh)).destroy();
    const latest = snapshot(fresh);

    for (const [index, target] of [NO_MIGRATIONS, ...names].entries()) {
      const file = path.join(dir, `from-${index}.sqlite`);
      await migrateTo(file, target);
      const hasPrograms = index >= 1;
      if (hasPrograms) {
        const raw = new BetterSqlite3(file);
        raw
          .prepare(
            `insert into programs (id, title, vendor, pack_version, pack_json, pack_sha256, imported_at, updated_at)
             values ('p', 'P', 'V', '1.0.0', '{}', 'x', 'now', 'now')`,
          )
          .run();
        raw.close();
      }
      const db = await openDatabase(file);
      const applied = await db
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migration table is not in Database
        .selectFrom(MIGRATION_TABLE as any)
        .select('name')
        .execute();
      await db.destroy();
      expect(applied.map((r) => (r as { name: string }).name).sort()).toEqual(names);
      expect(snapshot(file)).toEqual(latest);
      if (hasPrograms) {
        const raw = new BetterSqlite3(file, { readonly: true });
        expect(raw.prepare('select id from programs').pluck().all()).toEqual(['p']);
        raw.close();
      }
    }
  });
});
