// Frozen: written against Kysely<any> so later schema changes never alter what this migration does.
/* eslint-disable @typescript-eslint/no-explicit-any -- frozen migrations are untyped on purpose */
import type { Kysely } from 'kysely';

const attemptFk = 'attempts.id';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('transcripts')
    .addColumn('attempt_id', 'text', (c) => c.primaryKey().references(attemptFk).onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('metrics')
    .addColumn('attempt_id', 'text', (c) => c.primaryKey().references(attemptFk).onDelete('cascade'))
    .addColumn('json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('judgments')
    .addColumn('attempt_id', 'text', (c) => c.notNull().references(attemptFk).onDelete('cascade'))
    .addColumn('judge', 'text', (c) => c.notNull())
    .addColumn('model', 'text')
    .addColumn('json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('judgments_pk', ['attempt_id', 'judge'])
    .execute();

  await db.schema
    .createTable('scores')
    .addColumn('attempt_id', 'text', (c) => c.notNull().references(attemptFk).onDelete('cascade'))
    .addColumn('criterion_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('score', 'real')
    .addColumn('level', 'integer')
    .addColumn('met', 'integer')
    .addPrimaryKeyConstraint('scores_pk', ['attempt_id', 'criterion_id', 'source'])
    .execute();

  await db.schema
    .createTable('feedback')
    .addColumn('attempt_id', 'text', (c) => c.primaryKey().references(attemptFk).onDelete('cascade'))
    .addColumn('json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('pipeline_stages')
    .addColumn('attempt_id', 'text', (c) => c.notNull().references(attemptFk).onDelete('cascade'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('pipeline_stages_pk', ['attempt_id', 'stage'])
    .execute();
}
