import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  backends,
  unavailable,
  countRows,
  errorOf,
  login,
  openTestServer,
  seedPartnerOrg,
  seedUser,
  seedVendor,
  type TestServer,
} from './harness';

describe.each(backends)('device pairing (%s)', (backend) => {
  beforeEach((ctx) => {
    if (unavailable(backend))
      ctx.skip('no PostgreSQL here: set REHEARSE_TEST_DATABASE_URL (.ci/run starts one)');
  });
  let server: TestServer;
  let partnerCookie: string;

  beforeEach(async () => {
    server = await openTestServer(backend);
    const vendor = await seedVendor(server.db, 'Acme');
    const org = await seedPartnerOrg(server.db, vendor.id, 'Reseller');
    await seedUser(server.db, { email: 'rep@reseller.test', role: 'partner', orgId: org.id });
    await seedUser(server.db, { email: 'coach@acme.test', role: 'coach', orgId: vendor.id });
    partnerCookie = await login(server.app, 'rep@reseller.test');
  });
  afterEach(() => server.close());

  const newCode = async (cookie = partnerCookie) => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/devices/pairing-codes',
      headers: { cookie },
    });
    expect(response.statusCode).toBe(201);
    return (response.json() as { code: string }).code;
  };
  const pair = (code: string, deviceName = 'Laptop') =>
    server.app.inject({ method: 'POST', url: '/api/devices/pair', payload: { code, deviceName } });
  const me = (token: string) =>
    server.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });

  it('pairs with a short code once; the device token works until the device is revoked', async () => {
    const code = await newCode();
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    const paired = await pair(code.toLowerCase().replace('-', ''));
    expect(paired.statusCode).toBe(201);
    const { token, device } = paired.json() as { token: string; device: { id: string; name: string } };
    expect(token).toMatch(/^rhd_/);
    expect(device.name).toBe('Laptop');

    const replay = await pair(code, 'Other laptop');
    expect(replay.statusCode).toBe(409);
    expect(errorOf(replay).message).toBe('This pairing code has already been used');
    expect(await countRows(server.db, 'devices')).toBe(1);

    const asDevice = await me(token);
    expect(asDevice.statusCode).toBe(200);
    expect(asDevice.json()).toMatchObject({ user: { email: 'rep@reseller.test' }, via: 'device' });
    const listed = await server.app.inject({
      method: 'GET',
      url: '/api/devices',
      headers: { cookie: partnerCookie },
    });
    expect(listed.json().devices).toEqual([expect.objectContaining({ id: device.id, revokedAt: null })]);

    const stored = await server.db.selectFrom('devices').selectAll().execute();
    const codes = await server.db.selectFrom('pairing_codes').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(JSON.stringify(codes)).not.toContain(code.replace('-', ''));

    const revoked = await server.app.inject({
      method: 'DELETE',
      url: `/api/devices/${device.id}`,
      headers: { cookie: partnerCookie },
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).toEqual(expect.any(String));
    const refused = await me(token);
    expect(refused.statusCode).toBe(401);
    expect(errorOf(refused).message).toBe('This device has been revoked; pair it again');
  });

  it('refuses an expired code, and a newer code replaces an unused older one', async () => {
    const first = await newCode();
    const second = await newCode();
    expect((await pair(first)).statusCode).toBe(401);
    server.clock.advance(10 * 60 * 1000 + 1);
    const expired = await pair(second);
    expect(expired.statusCode).toBe(401);
    expect(errorOf(expired).message).toBe('This pairing code has expired; make a new one');
    expect(await countRows(server.db, 'devices')).toBe(0);
  });

  it('limits failed pairing attempts per address (429) and refuses forged device tokens', async () => {
    for (let i = 0; i < 10; i += 1) expect((await pair('ABCD-EFGH')).statusCode).toBe(401);
    const code = await newCode();
    const limited = await pair(code);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(await countRows(server.db, 'devices')).toBe(0);
    expect((await me(`rhd_${'A'.repeat(43)}`)).statusCode).toBe(401);
    expect((await me('not-a-token')).statusCode).toBe(401);
  });

  it('lets only partners make codes, and keeps device tokens off session-only routes', async () => {
    const coachCookie = await login(server.app, 'coach@acme.test');
    const byCoach = await server.app.inject({
      method: 'POST',
      url: '/api/devices/pairing-codes',
      headers: { cookie: coachCookie },
    });
    expect(byCoach.statusCode).toBe(403);
    const { token } = (await pair(await newCode())).json() as { token: string };
    const viaDevice = await server.app.inject({
      method: 'POST',
      url: '/api/devices/pairing-codes',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(viaDevice.statusCode).toBe(401);
    expect(await countRows(server.db, 'pairing_codes')).toBe(1);
  });
});
