/**
 * Security finding 5 (webhook SSRF with read-back): webhook URLs aimed at internal addresses are
 * refused when subscribed and again at delivery, also when a harmless-looking name resolves to
 * 127.0.0.1; redirects are not followed; `lastError` never holds what the receiver answered. Real
 * receivers on 127.0.0.1, reachable only through the admin's allow-list.
 */
import type { LookupAddress, LookupAllOptions } from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutboundGuard } from '../../../src/server/integrations/outbound-guard';
import { createOutboxWorker } from '../../../src/server/integrations/outbox-worker';
import {
  backends,
  openTestServer,
  sampleManifest,
  seedWorld,
  send,
  type TestServer,
  unavailable,
  uploadPack,
  type World,
} from './harness';

/** Every address the security probe got accepted, as a vendor admin would type it. */
export const INTERNAL_URLS = [
  'http://169.254.169.254/latest/meta-data/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://[fd00:ec2::254]/latest/meta-data/',
  'http://10.1.2.3/',
  'http://192.168.1.1/',
  'http://127.0.0.1:5432/',
  'http://[::1]:8787/',
  'http://0x7f000001/',
  'http://2130706433/',
  'http://localhost:8787/',
  'http://100.64.0.1/',
  'http://[::ffff:127.0.0.1]/',
  'http://0.0.0.0/',
  'http://224.0.0.1/',
];

const SECRET_BODY = 'root:x:0:0:internal-secret-body';

/** Answers every request with `status`, a body that must never come back, and `headers`. */
async function receiver(status: number, headers: Record<string, string> = {}) {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'text/plain', ...headers });
      res.end(SECRET_BODY);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A resolver that answers 127.0.0.1 for every name, like a rebinding or split-horizon DNS. */
const toLoopback = (
  _hostname: string,
  _options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => callback(null, [{ address: '127.0.0.1', family: 4 }]);

describe.each(backends)('outbound guard on webhooks (%s)', (backend) => {
  beforeEach((ctx) => {
    if (unavailable(backend))
      ctx.skip('no PostgreSQL here: set REHEARSE_TEST_DATABASE_URL (.ci/run starts one)');
  });
  let server: TestServer;
  let world: World;
  const closers: (() => Promise<void>)[] = [];
  const retry = { baseMs: 1000, maxMs: 60_000, maxAttempts: 5 };

  beforeEach(async () => {
    server = await openTestServer(backend);
    world = await seedWorld(server);
    await uploadPack(server, world);
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    await server.close();
  });

  const subscribe = (url: string) =>
    send(server.app, 'POST', '/api/webhooks', world.admin.cookie, { url, events: ['attempt.submitted'] });
  const submit = async () => {
    const manifest = sampleManifest(world.programId);
    expect(
      (await send(server.app, 'POST', '/api/submissions', world.partner.deviceToken, manifest)).statusCode,
    ).toBe(201);
  };
  const deliveriesOf = async (subscriptionId: string) =>
    (await send(server.app, 'GET', `/api/webhooks/${subscriptionId}/deliveries`, world.admin.cookie)).json()
      .deliveries as {
      attempts: number;
      lastStatus: number | null;
      lastError: string | null;
      failedAt: string | null;
    }[];
  /** Stores a subscription directly, as one made before the guard existed would be. */
  const storeSubscription = async (url: string) => {
    const id = `legacy-${Math.random().toString(36).slice(2)}`;
    await server.db
      .insertInto('webhook_subscriptions')
      .values({
        id,
        vendor_org_id: world.vendorId,
        url,
        events_json: JSON.stringify(['attempt.submitted']),
        secret: 'whsec_legacy',
        created_by: world.admin.id,
        created_at: new Date().toISOString(),
        deleted_at: null,
      })
      .execute();
    return id;
  };

  it('refuses every internal address when the subscription is created, with a clear 400', async () => {
    for (const url of INTERNAL_URLS) {
      const response = await subscribe(url);
      expect({ url, status: response.statusCode }).toEqual({ url, status: 400 });
      expect(response.json().error.message).toMatch(/private|internal|not allowed/i);
    }
    expect((await subscribe('http://user:pw@hooks.example.test/')).statusCode).toBe(400);
    expect((await subscribe('https://hooks.example.test/in')).statusCode).toBe(201);
  });

  it('refuses them again at delivery (stored before the guard) without contacting anything', async () => {
    const ids = [];
    for (const url of INTERNAL_URLS) ids.push(await storeSubscription(url));
    const worker = createOutboxWorker({ db: server.db, now: server.clock.now, retry });
    await submit();
    const round = await worker.runOnce();
    expect(round).toMatchObject({ delivered: 0, failed: INTERNAL_URLS.length });
    for (const id of ids)
      expect(await deliveriesOf(id)).toEqual([
        expect.objectContaining({ attempts: 1, lastStatus: null, lastError: 'address not allowed' }),
      ]);
  });

  it('refuses a name that resolves to 127.0.0.1 at delivery, unless the admin allows that host', async () => {
    const hook = await receiver(200);
    closers.push(hook.close);
    const created = await subscribe(`http://hooks.example.test:${hook.port}/in`);
    expect(created.statusCode).toBe(201);
    const sub = created.json() as { id: string };

    const guarded = createOutboxWorker({
      db: server.db,
      now: server.clock.now,
      retry,
      guard: createOutboundGuard({ lookup: toLoopback }),
    });
    await submit();
    expect(await guarded.runOnce()).toMatchObject({ delivered: 0, failed: 1 });
    expect(hook.hits()).toBe(0);
    expect((await deliveriesOf(sub.id))[0]).toMatchObject({ lastError: 'address not allowed' });

    // The same name and port on the allow-list: delivered through the same resolver.
    const allowed = createOutboxWorker({
      db: server.db,
      now: server.clock.now,
      retry,
      guard: createOutboundGuard({ lookup: toLoopback, allowHosts: [`hooks.example.test:${hook.port}`] }),
    });
    await submit();
    expect(await allowed.runOnce()).toMatchObject({ delivered: 1 });
    expect(hook.hits()).toBe(1);
  });

  it('does not follow a redirect to an internal address (a 3xx is a failure)', async () => {
    const internal = await receiver(200);
    const redirector = await receiver(307, { location: `${internal.url}/latest/meta-data/` });
    closers.push(internal.close, redirector.close);
    // Only the redirector's port is allowed; the internal one is what it points at.
    const allowHosts = [`127.0.0.1:${redirector.port}`];
    await server.close();
    server = await openTestServer(backend, { webhookAllowHosts: allowHosts });
    world = await seedWorld(server);
    await uploadPack(server, world);
    const sub = (await subscribe(`${redirector.url}/in`)).json() as { id: string };
    expect((await subscribe(`${internal.url}/in`)).statusCode).toBe(400);

    const worker = createOutboxWorker({
      db: server.db,
      now: server.clock.now,
      retry,
      guard: createOutboundGuard({ allowHosts }),
    });
    await submit();
    expect(await worker.runOnce()).toMatchObject({ delivered: 0, retried: 1 });
    expect(redirector.hits()).toBe(1);
    expect(internal.hits()).toBe(0);
    expect((await deliveriesOf(sub.id))[0]).toMatchObject({
      lastStatus: 307,
      lastError: 'HTTP 307 (redirects are not followed)',
    });
  });

  it('never stores the receiver’s body and reports failures in coarse classes only', async () => {
    const failing = await receiver(500);
    const dead = await receiver(200);
    await dead.close();
    closers.push(failing.close);
    await server.close();
    server = await openTestServer(backend, { webhookAllowHosts: ['127.0.0.1'] });
    world = await seedWorld(server);
    await uploadPack(server, world);
    const failingSub = (await subscribe(`${failing.url}/in`)).json() as { id: string };
    const deadSub = (await subscribe(`${dead.url}/in`)).json() as { id: string };

    const worker = createOutboxWorker({
      db: server.db,
      now: server.clock.now,
      retry,
      guard: createOutboundGuard({ allowHosts: ['127.0.0.1'] }),
    });
    await submit();
    expect(await worker.runOnce()).toMatchObject({ retried: 2 });
    const [failed] = await deliveriesOf(failingSub.id);
    expect(failed).toMatchObject({ lastStatus: 500, lastError: 'HTTP 500' });
    const [refused] = await deliveriesOf(deadSub.id);
    expect(refused).toMatchObject({ lastStatus: null, lastError: 'connection failed' });
    const stored = await server.db.selectFrom('integration_deliveries').select('last_error').execute();
    for (const row of stored) expect(row.last_error ?? '').not.toContain('internal-secret-body');
  });
});
