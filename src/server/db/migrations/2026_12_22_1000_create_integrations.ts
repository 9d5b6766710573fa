// Frozen: written against Kysely<any> so later schema changes never alter what this migration does.
// Additive and portable like the earlier ones: text ids, JSON and ISO timestamps, `integer` counts.
// The durable outbox of the integrations (xAPI statements, signed webhooks): events written in the
// same transaction as the state change they describe, then deliveries, one per target and event.
/* eslint-disable @typescript-eslint/no-explicit-any -- frozen migrations are untyped on purpose */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vendor_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events_json', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema
    .createIndex('webhook_subscriptions_vendor_idx')
    .on('webhook_subscriptions')
    .column('vendor_org_id')
    .execute();

  await db.schema
    .createTable('integration_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) =>
      c.notNull().check(sql`type in ('attempt.submitted', 'review.published')`),
    )
    .addColumn('submission_id', 'text', (c) => c.notNull().references('submissions.id').onDelete('cascade'))
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('dispatched_at', 'text')
    .execute();
  await db.schema
    .createIndex('integration_events_dispatch_idx')
    .on('integration_events')
    .columns(['dispatched_at', 'occurred_at'])
    .execute();

  await db.schema
    .createTable('integration_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('integration_events.id').onDelete('cascade'))
    .addColumn('target', 'text', (c) => c.notNull().check(sql`target in ('xapi', 'webhook')`))
    /** 'xapi' or 'webhook:<subscription id>': one delivery per event and target. */
    .addColumn('target_key', 'text', (c) => c.notNull())
    .addColumn('subscription_id', 'text', (c) => c.references('webhook_subscriptions.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('failed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('integration_deliveries_event_target_uq', ['event_id', 'target_key'])
    .execute();
  await db.schema
    .createIndex('integration_deliveries_due_idx')
    .on('integration_deliveries')
    .columns(['delivered_at', 'failed_at', 'next_attempt_at'])
    .execute();
}
