// Frozen: written against Kysely<any> so later schema changes never alter what this migration does.
/* eslint-disable @typescript-eslint/no-explicit-any -- frozen migrations are untyped on purpose */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One row per setting, the value as JSON: a new setting needs no migration, and a value written
  // by a newer version that this one cannot read falls back to its default instead of failing.
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
