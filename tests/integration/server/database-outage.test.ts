/**
 * The server survives its PostgreSQL connections being killed under it (a restart, a failover, an
 * administrator's pg_terminate_backend, the harness's DROP DATABASE … WITH (FORCE)): no unhandled
 * 'error' event takes the process down (vitest would report it and exit 1), a request whose query
 * was on a killed connection fails cleanly with 503 UNAVAILABLE and Retry-After, and the next
 * request gets a new connection. The PostgreSQL service itself is never restarted (other tests use
 * it): only this test database's backends are terminated, from an admin connection.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  countRows,
  errorOf,
  login,
  openTestServer,
  seedUser,
  seedVendor,
  unavailable,
  type TestServer,
} from './harness';

/** Polls pg_stat_activity (the only way to see another backend's state) with a generous limit. */
async function waitForBackend(admin: pg.Client, database: string, where: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { rows } = await admin.query(
      `select count(*)::int as n from pg_stat_activity where datname = $1 and ${where}`,
      [database],
    );
    if ((rows[0] as { n: number }).n > 0) return;
    if (Date.now() > deadline) throw new Error(`no backend of ${database} where ${where}`);
    await admin.query('select pg_sleep(0.05)');
  }
}

/** Terminates the test database's backends (those matching `where`); returns how many. */
async function terminateBackends(admin: pg.Client, database: string, where = 'true'): Promise<number> {
  const { rows } = await admin.query(
    `select pg_terminate_backend(pid) as killed from pg_stat_activity
      where datname = $1 and pid <> pg_backend_pid() and ${where}`,
    [database],
  );
  return rows.length;
}

describe('PostgreSQL connections killed under a running server', () => {
  let server: TestServer | undefined;
  let admin: pg.Client | undefined;
  let locker: pg.Client | undefined;

  beforeEach((ctx) => {
    if (unavailable('postgres'))
      ctx.skip('no PostgreSQL here: set REHEARSE_TEST_DATABASE_URL (.ci/run starts one)');
  });
  afterEach(async () => {
    await locker?.end().catch(() => undefined);
    await admin?.end().catch(() => undefined);
    await server?.close();
    locker = admin = server = undefined;
  });

  async function connect(url: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    // A client of the test's own: its connection may be killed too, and must not crash vitest.
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  it('fails requests in flight with 503 and Retry-After, then serves again; idle connections die quietly', async () => {
    server = await openTestServer('postgres');
    const url = server.databaseUrl ?? '';
    const database = new URL(url).pathname.slice(1);
    admin = await connect(process.env.REHEARSE_TEST_DATABASE_URL ?? '');
    const vendor = await seedVendor(server.db, 'Northwind Telematics');
    const ada = await seedUser(server.db, { email: 'ada@northwind.test', role: 'admin', orgId: vendor.id });
    const cookie = await login(server.app, ada.email);
    const me = () => server!.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    // Several connections in the pool, all idle now.
    const warm = await Promise.all([me(), me(), me(), me()]);
    expect(warm.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);

    // 1. Idle connections killed: each pooled client gets FATAL 57P01 with nobody querying. Each
    // is logged (not thrown at the process), dropped from the pool, and the next request connects
    // anew.
    const killed = await terminateBackends(admin, database);
    expect(killed).toBeGreaterThan(0);
    await server.waitForLog('database connection lost', killed);
    expect((await me()).statusCode).toBe(200);

    // 2. A request in flight: /api/me waits on a lock on sessions while its connection is killed.
    locker = await connect(url);
    await locker.query('begin');
    await locker.query('lock table sessions in access exclusive mode');
    const inFlight = me();
    await waitForBackend(admin, database, `wait_event_type = 'Lock'`);
    // Only the waiting request's connection: the idle ones stay, so what follows is deterministic.
    expect(await terminateBackends(admin, database, `wait_event_type = 'Lock'`)).toBe(1);
    const failed = await inFlight;
    expect(failed.statusCode).toBe(503);
    expect(failed.headers['retry-after']).toMatch(/^\d+$/);
    expect(errorOf(failed).code).toBe('UNAVAILABLE');
    expect(errorOf(failed).message).toMatch(/database/i);
    await locker.query('rollback');

    // 3. Served again on a new connection, and ready.
    expect((await me()).statusCode).toBe(200);
    const ready = await server.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(server.logs.some((l) => l.msg === 'request failed: unavailable')).toBe(true);
  });

  it('survives a connection killed inside a transaction, between two queries', async () => {
    server = await openTestServer('postgres');
    const database = new URL(server.databaseUrl ?? '').pathname.slice(1);
    admin = await connect(process.env.REHEARSE_TEST_DATABASE_URL ?? '');
    let started!: () => void;
    const inTransaction = new Promise<void>((resolve) => (started = resolve));
    let proceed!: () => void;
    const killed = new Promise<void>((resolve) => (proceed = resolve));
    const transaction = server.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      started();
      // The client is checked out with no query running: pg-pool's idle listener is off, so only
      // the listener on the client itself stands between its 'error' event and a crash.
      await killed;
      await sql`select 1`.execute(trx);
    });
    const outcome = transaction.then(
      () => undefined,
      (error: unknown) => error,
    );
    await inTransaction;
    await waitForBackend(admin, database, `state = 'idle in transaction'`);
    expect(await terminateBackends(admin, database)).toBe(1);
    const [lost] = await server.waitForLog('database connection lost');
    expect(lost).toMatchObject({ db: { state: 'in use', code: '57P01' } });
    proceed();
    expect(await outcome).toMatchObject({ code: 'UNAVAILABLE' });
    expect(await countRows(server.db, 'users')).toBe(0);
  });

  it('reports the database unreachable on /ready (503 UNAVAILABLE, Retry-After) while it is gone', async () => {
    server = await openTestServer('postgres');
    await server.db.destroy();
    const gone = await server.app.inject({ method: 'GET', url: '/ready' });
    expect(gone.statusCode).toBe(503);
    expect(gone.headers['retry-after']).toMatch(/^\d+$/);
    expect(errorOf(gone)).toMatchObject({ code: 'UNAVAILABLE' });
    expect(errorOf(gone).message).toMatch(/^The database is not reachable/);
  });
});
