/** Webhook subscriptions of the caller's vendor (admins). xAPI is configured by environment. */
import { z } from 'zod';
import { safeText } from '../../shared/text/safe-text';
import { defineRoute } from '../http/route-spec';
import { INTEGRATION_EVENT_TYPES } from '../submissions/submission-events';
import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  listDeliveries,
  listWebhookSubscriptions,
  webhookSubscriptionSchema,
} from '../integrations/webhook-subscriptions';

const idParams = z.object({ webhookId: safeText().min(1).max(100) });

const urlSchema = safeText()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'an http(s) URL without credentials');

export const integrationRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/webhooks',
    summary:
      'Subscribe a URL to events; the answer holds the signing secret, shown this once (see docs: X-Rehearse-Signature)',
    tag: 'integrations',
    auth: 'session',
    roles: ['admin'],
    body: z.object({ url: urlSchema, events: z.array(z.enum(INTEGRATION_EVENT_TYPES)).min(1).max(10) }),
    response: {
      status: 201,
      schema: webhookSubscriptionSchema.extend({ secret: z.string() }),
      description: 'Subscription created',
    },
    handler: async ({ body, principal, deps, now }) =>
      createWebhookSubscription(
        deps.db,
        { vendorId: principal.vendorId, createdBy: principal.user.id, url: body.url, events: body.events },
        now,
        deps.outboundGuard,
      ),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/webhooks',
    summary: 'The vendor’s webhook subscriptions (without secrets)',
    tag: 'integrations',
    auth: 'session',
    roles: ['admin'],
    response: {
      status: 200,
      schema: z.object({ webhooks: z.array(webhookSubscriptionSchema) }),
      description: 'Subscriptions',
    },
    handler: async ({ principal, deps }) => ({
      webhooks: await listWebhookSubscriptions(deps.db, principal.vendorId),
    }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/webhooks/:webhookId',
    summary: 'Delete a subscription; its pending deliveries are dropped',
    tag: 'integrations',
    auth: 'session',
    roles: ['admin'],
    params: idParams,
    response: { status: 204, description: 'Deleted' },
    handler: async ({ params, principal, deps, now }) =>
      deleteWebhookSubscription(deps.db, principal.vendorId, params.webhookId, now),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/webhooks/:webhookId/deliveries',
    summary:
      'The subscription’s latest 100 deliveries: attempts, last status or error, delivered or given up',
    tag: 'integrations',
    auth: 'session',
    roles: ['admin'],
    params: idParams,
    response: {
      status: 200,
      schema: z.object({
        deliveries: z.array(
          z.object({
            id: z.string(),
            eventId: z.string(),
            eventType: z.string(),
            attempts: z.number(),
            lastStatus: z.number().nullable(),
            lastError: z.string().nullable(),
            deliveredAt: z.string().nullable(),
            failedAt: z.string().nullable(),
            nextAttemptAt: z.string(),
          }),
        ),
      }),
      description: 'Deliveries',
    },
    handler: async ({ params, principal, deps }) => ({
      deliveries: await listDeliveries(deps.db, principal.vendorId, params.webhookId),
    }),
  }),
];
