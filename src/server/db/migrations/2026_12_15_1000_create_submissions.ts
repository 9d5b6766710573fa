// Frozen: written against Kysely<any> so later schema changes never alter what this migration does.
// Portable on purpose, like the identity migration: text columns for ids, JSON and ISO timestamps;
// `bigint` for byte counts and `double precision` for scores, two type names SQLite and PostgreSQL
// both accept (SQLite gives them INTEGER and REAL affinity).
/* eslint-disable @typescript-eslint/no-explicit-any -- frozen migrations are untyped on purpose */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('program_packs')
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id').onDelete('cascade'))
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('pack_json', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('program_packs_pk', ['program_id', 'version'])
    .execute();

  await db.schema
    .createTable('submissions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('partner_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('scenario_id', 'text', (c) => c.notNull())
    .addColumn('pack_version', 'text', (c) => c.notNull())
    .addColumn('manifest_json', 'text', (c) => c.notNull())
    .addColumn('manifest_sha256', 'text', (c) => c.notNull())
    .addColumn('recording_kind', 'text', (c) => c.check(sql`recording_kind in ('video', 'audio')`))
    .addColumn('recording_mime', 'text')
    .addColumn('recording_bytes', 'bigint')
    .addColumn('recording_sha256', 'text')
    .addColumn('recording_upload_id', 'text', (c) => c.unique())
    .addColumn('recording_storage_key', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('awaiting-recording', 'submitted', 'in-review', 'published')`),
    )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('submissions_partner_updated_idx')
    .on('submissions')
    .columns(['partner_user_id', 'updated_at'])
    .execute();
  await db.schema
    .createIndex('submissions_program_status_idx')
    .on('submissions')
    .columns(['program_id', 'status', 'created_at'])
    .execute();

  await db.schema
    .createTable('submission_reviews')
    .addColumn('submission_id', 'text', (c) =>
      c.primaryKey().references('submissions.id').onDelete('cascade'),
    )
    .addColumn('coach_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('criteria_json', 'text', (c) => c.notNull())
    .addColumn('overall_score', 'double precision')
    .addColumn('decision', 'text', (c) => c.check(sql`decision in ('pass', 'needs-work')`))
    .addColumn('published_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('submission_comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('submission_id', 'text', (c) => c.notNull().references('submissions.id').onDelete('cascade'))
    .addColumn('author_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('at_seconds', 'double precision')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('submission_comments_submission_idx')
    .on('submission_comments')
    .columns(['submission_id', 'created_at'])
    .execute();
}
