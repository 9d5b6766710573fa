import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverRoutes } from '../../../src/server/app';
import { checkDbReadiness, migrateServerDb } from '../../../src/server/db/open-server-db';
import { serverMigrations } from '../../../src/server/db/migrations';
import { backends, unavailable, openFreshDb, openTestServer, type TestServer } from './harness';

describe.each(backends)('migrations and health (%s)', (backend) => {
  beforeEach((ctx) => {
    if (unavailable(backend))
      ctx.skip('no PostgreSQL here: set REHEARSE_TEST_DATABASE_URL (.ci/run starts one)');
  });
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('migrates a fresh database, records every migration, and is ready; running again changes nothing', async () => {
    const fresh = await openFreshDb(backend);
    try {
      expect(await checkDbReadiness(fresh.db)).toEqual({
        reachable: true,
        pendingMigrations: Object.keys(serverMigrations),
      });
      await migrateServerDb(fresh.db);
      await migrateServerDb(fresh.db);
      expect(await checkDbReadiness(fresh.db)).toEqual({ reachable: true, pendingMigrations: [] });
      const tables = (await fresh.db.introspection.getTables()).map((t) => t.name).sort();
      expect(tables).toEqual(
        expect.arrayContaining([
          'coach_programs',
          'devices',
          'invitations',
          'organisations',
          'pairing_codes',
          'program_partners',
          'programs',
          'sessions',
          'users',
        ]),
      );
      await expect(
        sql`insert into organisations (id, name, kind, created_at) values ('x', 'X', 'nonsense', 'now')`.execute(
          fresh.db,
        ),
      ).rejects.toThrow();
    } finally {
      await fresh.dispose();
    }
  });

  it('answers /health and /ready', async () => {
    server = await openTestServer(backend);
    const health = await server.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await server.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('is not ready (503) while migrations are pending or once the database is gone', async () => {
    server = await openTestServer(backend);
    await sql`delete from kysely_migration`.execute(server.db);
    const pending = await server.app.inject({ method: 'GET', url: '/ready' });
    expect(pending.statusCode).toBe(503);
    expect(pending.headers['retry-after']).toBe('5');
    expect(pending.json()).toEqual({
      error: {
        code: 'UNAVAILABLE',
        message: `Migrations not applied: ${Object.keys(serverMigrations).join(', ')}`,
      },
    });
    await server.db.destroy();
    const gone = await server.app.inject({ method: 'GET', url: '/ready' });
    expect(gone.statusCode).toBe(503);
    expect(gone.json().error.message).toMatch(/^The database is not reachable/);
    expect(gone.headers['retry-after']).toBe('5');
    expect((await server.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('describes every route in /openapi.json', async () => {
    server = await openTestServer(backend);
    const response = await server.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.0.3');
    for (const route of serverRoutes) {
      const pathKey = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      expect(doc.paths[pathKey]?.[route.method.toLowerCase()], `${route.method} ${route.url}`).toBeDefined();
    }
    const login = doc.paths['/api/auth/login']?.post as {
      requestBody: { content: Record<string, { schema: unknown }> };
    };
    expect(login.requestBody.content['application/json']?.schema).toMatchObject({
      type: 'object',
      required: ['email', 'password'],
    });
  });

  it('describes the tus upload endpoint in /openapi.json, as part of the route table', async () => {
    server = await openTestServer(backend);
    const doc = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { security?: unknown; requestBody?: { content: object } }>>;
    };
    expect(Object.keys(doc.paths['/api/uploads/'] ?? {}).sort()).toEqual(['options', 'post']);
    expect(Object.keys(doc.paths['/api/uploads/{uploadId}'] ?? {}).sort()).toEqual([
      'head',
      'options',
      'patch',
    ]);
    expect(doc.paths['/api/uploads/{uploadId}']?.patch?.security).toEqual([{ deviceToken: [] }]);
    expect(doc.paths['/api/uploads/{uploadId}']?.patch?.requestBody?.content).toHaveProperty(
      'application/offset+octet-stream',
    );
  });

  it('answers an unknown route with a 404 in the error shape, and logs it', async () => {
    server = await openTestServer(backend);
    const response = await server.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'No route GET /api/nothing-here' },
    });
    expect(server.logs.some((l) => l.msg === 'request refused')).toBe(true);
  });
});
