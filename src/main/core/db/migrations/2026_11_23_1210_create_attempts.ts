// Frozen: written against Kysely<any> so later schema changes never alter what this migration does.
/* eslint-disable @typescript-eslint/no-explicit-any -- frozen migrations are untyped on purpose */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // No foreign key to scenarios: a re-imported pack may drop a scenario, and its attempts stay.
  // Status and mode have no CHECK constraint so new values never force a table rebuild.
  await db.schema
    .createTable('attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id').onDelete('restrict'))
    .addColumn('scenario_id', 'text', (c) => c.notNull())
    .addColumn('pack_version', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('duration_seconds', 'real')
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('attempts_scenario_created')
    .on('attempts')
    .columns(['program_id', 'scenario_id', 'created_at'])
    .execute();
  await db.schema.createIndex('attempts_created').on('attempts').column('created_at').execute();

  await db.schema
    .createTable('recordings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('attempts.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('relative_path', 'text', (c) => c.notNull().unique())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('recordings_attempt_kind', ['attempt_id', 'kind'])
    .execute();
}
