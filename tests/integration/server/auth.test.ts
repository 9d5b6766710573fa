import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PASSWORD,
  SESSION_TTL_SECONDS,
  backends,
  unavailable,
  errorOf,
  login,
  openTestServer,
  seedUser,
  seedVendor,
  sessionCookieOf,
  type TestServer,
} from './harness';

describe.each(backends)('password sign-in and sessions (%s)', (backend) => {
  beforeEach((ctx) => {
    if (unavailable(backend))
      ctx.skip('no PostgreSQL here: set REHEARSE_TEST_DATABASE_URL (.ci/run starts one)');
  });
  let server: TestServer;
  const email = 'admin@vendor.test';

  beforeEach(async () => {
    server = await openTestServer(backend);
    const vendor = await seedVendor(server.db, 'Vendor');
    await seedUser(server.db, { email, role: 'admin', orgId: vendor.id });
  });
  afterEach(() => server.close());

  const tryLogin = (password: string, loginEmail = email, remoteAddress = '10.0.0.1') =>
    server.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: loginEmail, password },
      remoteAddress,
    });

  it('signs in with a strict HttpOnly session cookie whose token is stored only as a hash', async () => {
    const response = await tryLogin(PASSWORD, '  ADMIN@Vendor.test ');
    expect(response.statusCode).toBe(200);
    expect(response.json().user).toMatchObject({ email, role: 'admin' });
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/^rehearse_session=rhs_[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain(`Max-Age=${SESSION_TTL_SECONDS}`);
    const token = sessionCookieOf(response).split('=')[1] ?? '';
    const rows = await server.db.selectFrom('sessions').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);

    const me = await server.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { cookie: sessionCookieOf(response) },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { email }, via: 'session' });
  });

  it('stores passwords as salted scrypt hashes, never in clear', async () => {
    const row = await server.db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]{86}$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  it('refuses a wrong password and an unknown email alike, and logs why without the password', async () => {
    const wrong = await tryLogin('not the password');
    const unknown = await tryLogin(PASSWORD, 'nobody@vendor.test');
    for (const response of [wrong, unknown]) {
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({
        error: { code: 'UNAUTHORIZED', message: 'Email or password is wrong' },
      });
      expect(response.headers['set-cookie']).toBeUndefined();
    }
    const refusals = server.logs.filter((l) => l.msg === 'request refused');
    expect(refusals.map((l) => (l.refusal as { reason: string }).reason)).toEqual([
      'wrong password for user user-admin@vendor.test',
      'unknown email',
    ]);
    const allLogs = JSON.stringify(server.logs);
    expect(allLogs).not.toContain('not the password');
    expect(allLogs).not.toContain(PASSWORD);
  });

  it('answers 429 with Retry-After after 5 failures for an email, even with the right password, until the window passes', async () => {
    for (let i = 0; i < 5; i += 1)
      expect((await tryLogin('wrong password', email, `10.0.1.${i}`)).statusCode).toBe(401);
    const limited = await tryLogin(PASSWORD, email, '10.0.2.1');
    expect(limited.statusCode).toBe(429);
    expect(errorOf(limited).code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(800);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(900);
    expect(await server.db.selectFrom('sessions').selectAll().execute()).toEqual([]);

    server.clock.advance(15 * 60 * 1000 + 1000);
    expect((await tryLogin(PASSWORD, email, '10.0.2.1')).statusCode).toBe(200);
  });

  it('answers 429 after 5 failures from one address, whatever the email', async () => {
    for (let i = 0; i < 5; i += 1) await tryLogin('wrong', `guess${i}@vendor.test`, '10.9.9.9');
    const limited = await tryLogin(PASSWORD, email, '10.9.9.9');
    expect(limited.statusCode).toBe(429);
    expect((await tryLogin(PASSWORD, email, '10.9.9.10')).statusCode).toBe(200);
  });

  it('refuses an expired session and deletes it', async () => {
    const cookie = await login(server.app, email);
    server.clock.advance(SESSION_TTL_SECONDS * 1000 + 1);
    const response = await server.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(response.statusCode).toBe(401);
    expect(errorOf(response).message).toBe('Your session has expired; sign in again');
    expect(await server.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
  });

  it('refuses forged cookies and missing credentials', async () => {
    const forged = `rehearse_session=rhs_${'A'.repeat(43)}`;
    for (const cookie of [forged, 'rehearse_session=garbage', undefined]) {
      const response = await server.app.inject({
        method: 'GET',
        url: '/api/me',
        ...(cookie ? { headers: { cookie } } : {}),
      });
      expect(response.statusCode).toBe(401);
      expect(errorOf(response).code).toBe('UNAUTHORIZED');
    }
  });

  it('logs out: the session row goes, the cookie is cleared and no longer works', async () => {
    const cookie = await login(server.app, email);
    const out = await server.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect(await server.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
    const me = await server.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
  });

  it('rejects a malformed login body with INVALID_INPUT', async () => {
    const response = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email } });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toEqual({
      code: 'INVALID_INPUT',
      message: 'Invalid request body: password: Invalid input: expected string, received undefined',
    });
  });
});
