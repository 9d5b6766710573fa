/**
 * A vendor's webhook subscriptions, managed by its admins. The secret is generated here, returned
 * once on creation and never listed again. It is stored in plain text because the worker must sign
 * every delivery with it (a hash could not sign); whoever can read the database could forge
 * deliveries, not sign in. Deleting a subscription stops its pending deliveries.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { IntegrationEventType, ServerDatabase } from '../db/schema';
import { invalidInput, notFound } from '../errors';
import { INTEGRATION_EVENT_TYPES } from '../submissions/submission-events';
import { OutboundRefusal, type OutboundGuard } from './outbound-guard';
import { generateWebhookSecret } from './webhook-signing';

export const webhookSubscriptionSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(INTEGRATION_EVENT_TYPES)),
  createdAt: z.string(),
});
export type WebhookSubscription = z.infer<typeof webhookSubscriptionSchema>;

const eventsOf = (json: string) => z.array(z.enum(INTEGRATION_EVENT_TYPES)).parse(JSON.parse(json));

export async function createWebhookSubscription(
  db: Kysely<ServerDatabase>,
  input: { vendorId: string; createdBy: string; url: string; events: IntegrationEventType[] },
  now: Date,
  guard: OutboundGuard,
): Promise<WebhookSubscription & { secret: string }> {
  // The first line of defence (a clear answer to the admin); the worker checks again, with DNS.
  try {
    guard.checkTarget(input.url);
  } catch (error) {
    if (error instanceof OutboundRefusal)
      throw invalidInput(error.message, `webhook URL refused: ${input.url}`);
    throw error;
  }
  const row = {
    id: randomUUID(),
    vendor_org_id: input.vendorId,
    url: input.url,
    events_json: JSON.stringify([...new Set(input.events)]),
    secret: generateWebhookSecret(),
    created_by: input.createdBy,
    created_at: now.toISOString(),
    deleted_at: null,
  };
  await db.insertInto('webhook_subscriptions').values(row).execute();
  return {
    id: row.id,
    url: row.url,
    events: eventsOf(row.events_json),
    createdAt: row.created_at,
    secret: row.secret,
  };
}

export async function listWebhookSubscriptions(
  db: Kysely<ServerDatabase>,
  vendorId: string,
): Promise<WebhookSubscription[]> {
  const rows = await db
    .selectFrom('webhook_subscriptions')
    .select(['id', 'url', 'events_json', 'created_at'])
    .where('vendor_org_id', '=', vendorId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    url: r.url,
    events: eventsOf(r.events_json),
    createdAt: r.created_at,
  }));
}

export async function deleteWebhookSubscription(
  db: Kysely<ServerDatabase>,
  vendorId: string,
  subscriptionId: string,
  now: Date,
): Promise<void> {
  const result = await db
    .updateTable('webhook_subscriptions')
    .set({ deleted_at: now.toISOString() })
    .where('id', '=', subscriptionId)
    .where('vendor_org_id', '=', vendorId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n)
    throw notFound('No such webhook subscription', `webhook ${subscriptionId} not in vendor ${vendorId}`);
}

/** Live subscriptions of a vendor that want this event type (filtered in JS: events_json is text). */
export async function subscriptionsFor(
  db: Kysely<ServerDatabase>,
  vendorId: string,
  type: IntegrationEventType,
) {
  const rows = await db
    .selectFrom('webhook_subscriptions')
    .select(['id', 'url', 'events_json'])
    .where('vendor_org_id', '=', vendorId)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.filter((r) => eventsOf(r.events_json).includes(type));
}

export interface DeliverySummary {
  id: string;
  eventId: string;
  eventType: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
  nextAttemptAt: string;
}

/** The latest deliveries of one subscription, newest first, for an admin to see what happened. */
export async function listDeliveries(
  db: Kysely<ServerDatabase>,
  vendorId: string,
  subscriptionId: string,
): Promise<DeliverySummary[]> {
  const owned = await db
    .selectFrom('webhook_subscriptions')
    .select('id')
    .where('id', '=', subscriptionId)
    .where('vendor_org_id', '=', vendorId)
    .executeTakeFirst();
  if (!owned)
    throw notFound('No such webhook subscription', `webhook ${subscriptionId} not in vendor ${vendorId}`);
  const rows = await db
    .selectFrom('integration_deliveries')
    .innerJoin('integration_events', 'integration_events.id', 'integration_deliveries.event_id')
    .select([
      'integration_deliveries.id',
      'integration_deliveries.event_id',
      'integration_events.type',
      'integration_deliveries.attempts',
      'integration_deliveries.last_status',
      'integration_deliveries.last_error',
      'integration_deliveries.delivered_at',
      'integration_deliveries.failed_at',
      'integration_deliveries.next_attempt_at',
    ])
    .where('integration_deliveries.subscription_id', '=', subscriptionId)
    .orderBy('integration_deliveries.created_at', 'desc')
    .orderBy('integration_deliveries.id')
    .limit(100)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    eventId: r.event_id,
    eventType: r.type,
    attempts: Number(r.attempts),
    lastStatus: r.last_status === null ? null : Number(r.last_status),
    lastError: r.last_error,
    deliveredAt: r.delivered_at,
    failedAt: r.failed_at,
    nextAttemptAt: r.next_attempt_at,
  }));
}
