// Frozen: written against Kysely<any> so later schema changes never alter what this migration does.
/* eslint-disable @typescript-eslint/no-explicit-any -- frozen migrations are untyped on purpose */
import type { Kysely } from 'kysely';

/**
 * The formal-submission outbox: sync_state grows the columns the uploader needs to survive a quit
 * mid-upload (the manifest as sent, the tus upload URL, bytes, backoff) and what came back (the
 * server's status, the published result). sync_server holds the one paired server. Additive only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const columns: Array<[string, 'text' | 'integer', unknown]> = [
    ['include_recording', 'integer', 1],
    ['manifest_json', 'text', null],
    ['upload_url', 'text', null],
    ['bytes_sent', 'integer', 0],
    ['bytes_total', 'integer', 0],
    ['tries', 'integer', 0],
    ['next_attempt_at', 'text', null],
    ['queued_at', 'text', null],
    ['remote_status', 'text', null],
    ['result_json', 'text', null],
    ['last_polled_at', 'text', null],
  ];
  for (const [name, type, fallback] of columns)
    await db.schema
      .alterTable('sync_state')
      .addColumn(name, type, (c) => (fallback === null ? c : c.notNull().defaultTo(fallback)))
      .execute();

  await db.schema
    .createTable('sync_server')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('server_url', 'text', (c) => c.notNull())
    .addColumn('device_name', 'text', (c) => c.notNull())
    .addColumn('paired_at', 'text', (c) => c.notNull())
    .addColumn('last_contact_at', 'text')
    .addColumn('last_error', 'text')
    .execute();
}
