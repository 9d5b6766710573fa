/**
 * The integrations' worker, running inside the server process. Each round it
 *
 * 1. fans out new events (integration_events with dispatched_at null): one delivery per target —
 *    the LRS for `review.published` when xAPI is configured, and every live webhook subscription of
 *    the program's vendor that wants the event type — created together with dispatched_at in one
 *    transaction (unique per event and target, so a second worker or a crash cannot double them);
 * 2. sends due deliveries: it claims one by moving next_attempt_at forward by a lease (so another
 *    process skips it and a crash mid-send retries after the lease), then POSTs. 2xx: delivered,
 *    never sent again. Anything else (status, timeout, refused connection, redirect): attempts + 1
 *    and next_attempt_at = now + base × 2^(attempts − 1), capped; after maxAttempts it gives up
 *    (failed_at). The body is the one stored at fan-out, so retries send identical bytes. Every
 *    POST goes through the outbound guard (outbound-post.ts): the target's addresses are checked
 *    and pinned at connect time, redirects are not followed, a target in a non-public range is
 *    given up at once, and last_error holds only a coarse class, never the receiver's body.
 *
 * Everything lives in the database, so pending work survives restarts.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/schema';
import { buildEventContext } from './event-payloads';
import { createOutboundGuard, type OutboundGuard } from './outbound-guard';
import { guardedPost, type PostOutcome } from './outbound-post';
import { subscriptionsFor } from './webhook-subscriptions';
import { SIGNATURE_HEADER, signatureHeader } from './webhook-signing';
import { buildStatements, XAPI_VERSION, type XapiActorFormat } from './xapi';

export interface XapiTarget {
  /** The LRS's xAPI base (statements go to `<endpoint>/statements`). */
  endpoint: string;
  /** `key:secret` (sent as HTTP Basic) or a complete `Basic …` header value; none when unset. */
  auth: string | undefined;
  activityBase: string;
  actor: XapiActorFormat;
}

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 10_000, maxMs: 3_600_000, maxAttempts: 12 };

interface WorkerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface OutboxWorkerOptions {
  db: Kysely<ServerDatabase>;
  now?: () => Date;
  xapi?: XapiTarget | null;
  /** Pause between rounds when started (default 5 s). */
  pollMs?: number;
  retry?: RetryPolicy;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** How long a claimed delivery stays invisible to other rounds (default 60 s). */
  leaseMs?: number;
  log?: WorkerLog;
  /**
   * Checks every target address at delivery time (see outbound-guard.ts); by default one that
   * refuses every non-public address and allows no host.
   */
  guard?: OutboundGuard;
}

export interface RoundResult {
  dispatched: number;
  delivered: number;
  retried: number;
  failed: number;
}

export interface OutboxWorker {
  start(): void;
  /** Stops the timer and waits for the round in progress. */
  stop(): Promise<void>;
  /** One round now (rounds never overlap). */
  runOnce(): Promise<RoundResult>;
}

export function backoffMs(attempts: number, retry: RetryPolicy): number {
  return Math.min(retry.baseMs * 2 ** Math.max(0, attempts - 1), retry.maxMs);
}

export function basicAuthHeader(auth: string): string {
  return /^basic /i.test(auth) ? auth : `Basic ${Buffer.from(auth, 'utf8').toString('base64')}`;
}

const silent: WorkerLog = { info: () => undefined, warn: () => undefined };
const BATCH = 20;

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  const retry = options.retry ?? DEFAULT_RETRY;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const leaseMs = options.leaseMs ?? 60_000;
  const log = options.log ?? silent;
  const xapi = options.xapi ?? null;
  const guard = options.guard ?? createOutboundGuard();

  async function fanOut(): Promise<number> {
    const events = await db
      .selectFrom('integration_events')
      .selectAll()
      .where('dispatched_at', 'is', null)
      .orderBy('occurred_at')
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const event of events) {
      const at = now().toISOString();
      const deliveries: {
        target: 'xapi' | 'webhook';
        target_key: string;
        subscription_id: string | null;
        url: string;
        body: string;
      }[] = [];
      try {
        const context = await buildEventContext(db, event);
        if (xapi && context.attempt)
          deliveries.push({
            target: 'xapi',
            target_key: 'xapi',
            subscription_id: null,
            url: `${xapi.endpoint.replace(/\/+$/, '')}/statements`,
            body: JSON.stringify(buildStatements(context.attempt, xapi)),
          });
        const body = JSON.stringify(context.webhookBody);
        for (const sub of await subscriptionsFor(db, context.vendorId, event.type))
          deliveries.push({
            target: 'webhook',
            target_key: `webhook:${sub.id}`,
            subscription_id: sub.id,
            url: sub.url,
            body,
          });
      } catch (error) {
        // An event that cannot be described (its data vanished) is set aside, not retried forever.
        log.warn({ eventId: event.id, err: error }, 'integration event not dispatched');
      }
      await db.transaction().execute(async (trx) => {
        for (const d of deliveries)
          await trx
            .insertInto('integration_deliveries')
            .values({
              id: randomUUID(),
              event_id: event.id,
              ...d,
              attempts: 0,
              next_attempt_at: at,
              last_status: null,
              last_error: null,
              delivered_at: null,
              failed_at: null,
              created_at: at,
              updated_at: at,
            })
            .onConflict((oc) => oc.columns(['event_id', 'target_key']).doNothing())
            .execute();
        await trx
          .updateTable('integration_events')
          .set({ dispatched_at: at })
          .where('id', '=', event.id)
          .where('dispatched_at', 'is', null)
          .execute();
      });
    }
    return events.length;
  }

  const post = (url: string, headers: Record<string, string>, body: string): Promise<PostOutcome> =>
    guardedPost(guard, url, headers, body, timeoutMs);

  async function send(delivery: {
    id: string;
    event_id: string;
    target: 'xapi' | 'webhook';
    subscription_id: string | null;
    url: string;
    body: string;
  }): Promise<PostOutcome> {
    if (delivery.target === 'xapi') {
      if (!xapi) return { ok: false, status: null, error: 'xAPI is no longer configured', final: true };
      return post(
        delivery.url,
        {
          'x-experience-api-version': XAPI_VERSION,
          ...(xapi.auth ? { authorization: basicAuthHeader(xapi.auth) } : {}),
        },
        delivery.body,
      );
    }
    const sub = await db
      .selectFrom('webhook_subscriptions')
      .select(['secret', 'deleted_at'])
      .where('id', '=', delivery.subscription_id ?? '')
      .executeTakeFirst();
    if (!sub || sub.deleted_at !== null)
      return { ok: false, status: null, error: 'the subscription was deleted', final: true };
    const type = (JSON.parse(delivery.body) as { type?: string }).type ?? '';
    return post(
      delivery.url,
      {
        [SIGNATURE_HEADER]: signatureHeader(sub.secret, Math.floor(now().getTime() / 1000), delivery.body),
        'x-rehearse-event': type,
        'x-rehearse-event-id': delivery.event_id,
        'x-rehearse-delivery': delivery.id,
      },
      delivery.body,
    );
  }

  async function deliverDue(result: RoundResult): Promise<void> {
    const due = await db
      .selectFrom('integration_deliveries')
      .selectAll()
      .where('delivered_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('next_attempt_at', '<=', now().toISOString())
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const delivery of due) {
      const claimed = await db
        .updateTable('integration_deliveries')
        .set({ next_attempt_at: new Date(now().getTime() + leaseMs).toISOString() })
        .where('id', '=', delivery.id)
        .where('next_attempt_at', '=', delivery.next_attempt_at)
        .where('delivered_at', 'is', null)
        .where('failed_at', 'is', null)
        .executeTakeFirst();
      if (claimed.numUpdatedRows !== 1n) continue;
      const outcome = await send(delivery);
      const attempts = Number(delivery.attempts) + 1;
      const at = now();
      const where = { id: delivery.id, target: delivery.target, attempts };
      if (outcome.ok) {
        await db
          .updateTable('integration_deliveries')
          .set({
            attempts,
            last_status: outcome.status,
            last_error: null,
            delivered_at: at.toISOString(),
            updated_at: at.toISOString(),
          })
          .where('id', '=', delivery.id)
          .execute();
        result.delivered++;
        log.info({ delivery: where, status: outcome.status }, 'integration delivered');
        continue;
      }
      const giveUp = outcome.final === true || attempts >= retry.maxAttempts;
      await db
        .updateTable('integration_deliveries')
        .set({
          attempts,
          last_status: outcome.status,
          last_error: outcome.error,
          next_attempt_at: new Date(at.getTime() + backoffMs(attempts, retry)).toISOString(),
          failed_at: giveUp ? at.toISOString() : null,
          updated_at: at.toISOString(),
        })
        .where('id', '=', delivery.id)
        .execute();
      if (giveUp) result.failed++;
      else result.retried++;
      log.warn(
        { delivery: where, status: outcome.status, error: outcome.error, gaveUp: giveUp },
        'integration delivery failed',
      );
    }
  }

  let current: Promise<RoundResult> = Promise.resolve({ dispatched: 0, delivered: 0, retried: 0, failed: 0 });
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  function runOnce(): Promise<RoundResult> {
    current = current
      .catch(() => undefined)
      .then(async () => {
        const result: RoundResult = { dispatched: await fanOut(), delivered: 0, retried: 0, failed: 0 };
        await deliverDue(result);
        return result;
      });
    return current;
  }

  const schedule = () => {
    if (!running) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((error: unknown) => log.warn({ err: error }, 'integration round failed'))
        .finally(schedule);
    }, options.pollMs ?? 5000);
    timer.unref();
  };

  return {
    start() {
      if (running) return;
      running = true;
      schedule();
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await current.catch(() => undefined);
    },
    runOnce,
  };
}
