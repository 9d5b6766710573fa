/**
 * The submissions' event log, the integrations' outbox. Code that changes a submission calls
 * `recordIntegrationEvent` inside the same transaction (or right after its single statement), so
 * the event exists exactly when the change does; the outbox worker
 * (integrations/outbox-worker.ts) turns events into deliveries later, in the background. It lives
 * here, below integrations/, because submissions write it and integrations only read it (one-way
 * imports, docs/adr/0004-import-layers.md). Nothing here talks to the network.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { IntegrationEventType, ServerDatabase } from '../db/schema';

export const INTEGRATION_EVENT_TYPES = [
  'attempt.submitted',
  'review.published',
] as const satisfies readonly IntegrationEventType[];

export async function recordIntegrationEvent(
  db: Kysely<ServerDatabase>,
  type: IntegrationEventType,
  submissionId: string,
  at: Date | string,
): Promise<void> {
  await db
    .insertInto('integration_events')
    .values({
      id: randomUUID(),
      type,
      submission_id: submissionId,
      occurred_at: typeof at === 'string' ? at : at.toISOString(),
      dispatched_at: null,
    })
    .execute();
}
