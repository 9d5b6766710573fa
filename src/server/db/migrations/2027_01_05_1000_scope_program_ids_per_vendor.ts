// Frozen: written against Kysely<any> so later schema changes never alter what this migration does.
//
// Program ids become unique per vendor, not per server (security finding 13: vendor B learnt from
// a 409 that vendor A uses "onboarding" and could never use it). programs' key becomes
// (vendor_org_id, id); every table that names a program (program_partners, coach_programs,
// program_packs, submissions) gains vendor_org_id, filled from the program, and a composite foreign
// key. PostgreSQL alters constraints in place (transactional DDL); SQLite cannot change a primary
// key, so each table is rebuilt (new table, copy, drop, rename) with foreign keys off, in one
// transaction, checked with foreign_key_check before commit.
/* eslint-disable @typescript-eslint/no-explicit-any -- frozen migrations are untyped on purpose */
import { sql, SqliteAdapter, type Kysely } from 'kysely';

const CHILDREN = ['program_partners', 'coach_programs', 'program_packs', 'submissions'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) await upSqlite(db);
  else await upPostgres(db);
}

async function upPostgres(db: Kysely<any>): Promise<void> {
  for (const table of CHILDREN) {
    await sql`alter table ${sql.table(table)} add column vendor_org_id text`.execute(db);
    await sql`update ${sql.table(table)} set vendor_org_id = (select p.vendor_org_id from programs p where p.id = ${sql.ref(`${table}.program_id`)})`.execute(
      db,
    );
    await sql`alter table ${sql.table(table)} alter column vendor_org_id set not null`.execute(db);
  }
  // The single-column foreign keys on programs(id), whatever PostgreSQL named them.
  const fks = await sql<{ table_name: string; conname: string }>`
    select conrelid::regclass::text as table_name, conname from pg_constraint
    where contype = 'f' and confrelid = 'programs'::regclass`.execute(db);
  for (const fk of fks.rows)
    await sql`alter table ${sql.table(fk.table_name)} drop constraint ${sql.ref(fk.conname)}`.execute(db);
  const pk = await sql<{ conname: string }>`
    select conname from pg_constraint where contype = 'p' and conrelid = 'programs'::regclass`.execute(db);
  for (const row of pk.rows)
    await sql`alter table programs drop constraint ${sql.ref(row.conname)}`.execute(db);
  await sql`alter table programs add constraint programs_pk primary key (vendor_org_id, id)`.execute(db);

  for (const [table, pkName, columns] of [
    ['program_partners', 'program_partners_pk', ['partner_org_id']],
    ['coach_programs', 'coach_programs_pk', ['coach_user_id']],
    ['program_packs', 'program_packs_pk', ['version']],
  ] as const) {
    await sql`alter table ${sql.table(table)} drop constraint ${sql.ref(pkName)}`.execute(db);
    await sql`alter table ${sql.table(table)} add constraint ${sql.ref(pkName)} primary key (vendor_org_id, program_id, ${sql.join(columns.map((c) => sql.ref(c)))})`.execute(
      db,
    );
  }
  for (const table of CHILDREN)
    await sql`alter table ${sql.table(table)} add constraint ${sql.ref(`${table}_program_fk`)}
      foreign key (vendor_org_id, program_id) references programs (vendor_org_id, id)
      ${table === 'submissions' ? sql`` : sql`on delete cascade`}`.execute(db);
  await sql`drop index submissions_program_status_idx`.execute(db);
  await db.schema
    .createIndex('submissions_program_status_idx')
    .on('submissions')
    .columns(['vendor_org_id', 'program_id', 'status', 'created_at'])
    .execute();
}

async function upSqlite(db: Kysely<any>): Promise<void> {
  // foreign_keys cannot change inside a transaction; SQLite migrations run outside one.
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await trx.schema
        .createTable('programs_next')
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('vendor_org_id', 'text', (c) => c.notNull().references('organisations.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('programs_pk', ['vendor_org_id', 'id'])
        .execute();
      await sql`insert into programs_next (id, vendor_org_id, title, created_at)
        select id, vendor_org_id, title, created_at from programs`.execute(trx);

      await trx.schema
        .createTable('program_partners_next')
        .addColumn('vendor_org_id', 'text', (c) => c.notNull())
        .addColumn('program_id', 'text', (c) => c.notNull())
        .addColumn('partner_org_id', 'text', (c) => c.notNull().references('organisations.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('program_partners_pk', ['vendor_org_id', 'program_id', 'partner_org_id'])
        .addForeignKeyConstraint(
          'program_partners_program_fk',
          ['vendor_org_id', 'program_id'],
          'programs',
          ['vendor_org_id', 'id'],
          (fk) => fk.onDelete('cascade'),
        )
        .execute();
      await trx.schema
        .createTable('coach_programs_next')
        .addColumn('vendor_org_id', 'text', (c) => c.notNull())
        .addColumn('program_id', 'text', (c) => c.notNull())
        .addColumn('coach_user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('coach_programs_pk', ['vendor_org_id', 'program_id', 'coach_user_id'])
        .addForeignKeyConstraint(
          'coach_programs_program_fk',
          ['vendor_org_id', 'program_id'],
          'programs',
          ['vendor_org_id', 'id'],
          (fk) => fk.onDelete('cascade'),
        )
        .execute();
      await trx.schema
        .createTable('program_packs_next')
        .addColumn('vendor_org_id', 'text', (c) => c.notNull())
        .addColumn('program_id', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('pack_json', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('uploaded_by', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('uploaded_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('program_packs_pk', ['vendor_org_id', 'program_id', 'version'])
        .addForeignKeyConstraint(
          'program_packs_program_fk',
          ['vendor_org_id', 'program_id'],
          'programs',
          ['vendor_org_id', 'id'],
          (fk) => fk.onDelete('cascade'),
        )
        .execute();
      await trx.schema
        .createTable('submissions_next')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('partner_org_id', 'text', (c) => c.notNull().references('organisations.id'))
        .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
        .addColumn('vendor_org_id', 'text', (c) => c.notNull())
        .addColumn('program_id', 'text', (c) => c.notNull())
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
        .addForeignKeyConstraint('submissions_program_fk', ['vendor_org_id', 'program_id'], 'programs', [
          'vendor_org_id',
          'id',
        ])
        .execute();

      const vendorOf = (table: string) =>
        sql`(select p.vendor_org_id from programs p where p.id = ${sql.ref(`${table}.program_id`)})`;
      await sql`insert into program_partners_next (vendor_org_id, program_id, partner_org_id, created_at)
        select ${vendorOf('program_partners')}, program_id, partner_org_id, created_at from program_partners`.execute(
        trx,
      );
      await sql`insert into coach_programs_next (vendor_org_id, program_id, coach_user_id, created_at)
        select ${vendorOf('coach_programs')}, program_id, coach_user_id, created_at from coach_programs`.execute(
        trx,
      );
      await sql`insert into program_packs_next (vendor_org_id, program_id, version, pack_json, sha256, uploaded_by, uploaded_at)
        select ${vendorOf('program_packs')}, program_id, version, pack_json, sha256, uploaded_by, uploaded_at
        from program_packs`.execute(trx);
      await sql`insert into submissions_next (id, partner_user_id, partner_org_id, device_id, vendor_org_id,
          program_id, scenario_id, pack_version, manifest_json, manifest_sha256, recording_kind, recording_mime,
          recording_bytes, recording_sha256, recording_upload_id, recording_storage_key, status, created_at, updated_at)
        select id, partner_user_id, partner_org_id, device_id, ${vendorOf('submissions')},
          program_id, scenario_id, pack_version, manifest_json, manifest_sha256, recording_kind, recording_mime,
          recording_bytes, recording_sha256, recording_upload_id, recording_storage_key, status, created_at, updated_at
        from submissions`.execute(trx);

      // Children first, then programs; renaming X_next to X keeps the references of the tables
      // that point at X (submission_reviews → submissions…), which name X, not a table object.
      for (const table of [...CHILDREN, 'programs']) {
        await trx.schema.dropTable(table).execute();
        await sql`alter table ${sql.table(`${table}_next`)} rename to ${sql.table(table)}`.execute(trx);
      }
      await trx.schema
        .createIndex('submissions_partner_updated_idx')
        .on('submissions')
        .columns(['partner_user_id', 'updated_at'])
        .execute();
      await trx.schema
        .createIndex('submissions_program_status_idx')
        .on('submissions')
        .columns(['vendor_org_id', 'program_id', 'status', 'created_at'])
        .execute();
      const broken = await sql`pragma foreign_key_check`.execute(trx);
      if (broken.rows.length > 0)
        throw new Error(`scoping program ids per vendor broke foreign keys: ${JSON.stringify(broken.rows)}`);
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
