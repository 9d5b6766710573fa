import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootstrapVendor } from '../../../src/server/bootstrap';
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

const NEW_PASSWORD = 'a long new password 42';

describe.each(backends)('invitations and bootstrap (%s)', (backend) => {
  beforeEach((ctx) => {
    if (unavailable(backend))
      ctx.skip('no PostgreSQL here: set REHEARSE_TEST_DATABASE_URL (.ci/run starts one)');
  });
  let server: TestServer;
  beforeEach(async () => {
    server = await openTestServer(backend);
  });
  afterEach(() => server.close());

  const accept = (token: string, name = 'New Person') =>
    server.app.inject({
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token, name, password: NEW_PASSWORD },
    });

  it('bootstraps the vendor and first admin once; the admin accepts, signs in and invites a partner', async () => {
    const { vendorId, invitation } = await bootstrapVendor(server.db, {
      vendorName: 'Acme',
      adminEmail: 'Boss@Acme.test',
    });
    await expect(
      bootstrapVendor(server.db, { vendorName: 'Again', adminEmail: 'x@acme.test' }),
    ).rejects.toThrow('This server already has a vendor organisation');
    expect(await countRows(server.db, 'organisations')).toBe(1);

    const accepted = await accept(invitation.token, 'The Boss');
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json().user).toMatchObject({ email: 'boss@acme.test', role: 'admin', orgId: vendorId });

    const cookie = await login(server.app, 'boss@acme.test', NEW_PASSWORD);
    const partnerOrg = await server.app.inject({
      method: 'POST',
      url: '/api/organisations',
      headers: { cookie },
      payload: { name: 'Reseller' },
    });
    expect(partnerOrg.statusCode).toBe(201);
    const invite = await server.app.inject({
      method: 'POST',
      url: '/api/invitations',
      headers: { cookie },
      payload: { email: 'rep@reseller.test', role: 'partner', orgId: partnerOrg.json().id },
    });
    expect(invite.statusCode).toBe(201);
    const { token, expiresAt } = invite.json() as { token: string; expiresAt: string };
    expect(new Date(expiresAt).getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
    const rows = await server.db.selectFrom('invitations').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(JSON.stringify(rows)).not.toContain(invitation.token);
    expect((await accept(token)).json().user).toMatchObject({ role: 'partner', orgId: partnerOrg.json().id });
  });

  it('accepts an invitation once: a replay is refused with 409 and creates nothing', async () => {
    const { invitation } = await bootstrapVendor(server.db, {
      vendorName: 'Acme',
      adminEmail: 'a@acme.test',
    });
    expect((await accept(invitation.token)).statusCode).toBe(201);
    const replay = await accept(invitation.token, 'Someone Else');
    expect(replay.statusCode).toBe(409);
    expect(errorOf(replay)).toEqual({ code: 'CONFLICT', message: 'This invitation has already been used' });
    expect(await countRows(server.db, 'users')).toBe(1);
  });

  it('refuses an expired invitation and a forged token, creating no user', async () => {
    const { invitation } = await bootstrapVendor(server.db, {
      vendorName: 'Acme',
      adminEmail: 'a@acme.test',
    });
    const forged = await accept(`rhi_${'x'.repeat(43)}`);
    expect(forged.statusCode).toBe(401);
    expect(errorOf(forged).message).toBe('This invitation link is not valid');
    server.clock.advance(7 * 24 * 3600 * 1000 + 1);
    const expired = await accept(invitation.token);
    expect(expired.statusCode).toBe(401);
    expect(errorOf(expired).message).toBe('This invitation has expired; ask for a new one');
    expect(await countRows(server.db, 'users')).toBe(0);
  });

  it('rejects a weak password without spending the invitation', async () => {
    const { invitation } = await bootstrapVendor(server.db, {
      vendorName: 'Acme',
      adminEmail: 'a@acme.test',
    });
    const weak = await server.app.inject({
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token: invitation.token, name: 'A', password: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(errorOf(weak).message).toBe('Invalid request body: password: at least 12 characters');
    expect((await accept(invitation.token)).statusCode).toBe(201);
  });

  it('lets only admins invite, and only into a role that fits the organisation', async () => {
    const vendor = await seedVendor(server.db, 'Acme');
    const partnerOrg = await seedPartnerOrg(server.db, vendor.id, 'Reseller');
    await seedUser(server.db, { email: 'admin@acme.test', role: 'admin', orgId: vendor.id });
    await seedUser(server.db, { email: 'coach@acme.test', role: 'coach', orgId: vendor.id });
    const invite = (cookie: string, payload: object) =>
      server.app.inject({ method: 'POST', url: '/api/invitations', headers: { cookie }, payload });

    const byCoach = await invite(await login(server.app, 'coach@acme.test'), {
      email: 'x@acme.test',
      role: 'coach',
      orgId: vendor.id,
    });
    expect(byCoach.statusCode).toBe(403);
    const admin = await login(server.app, 'admin@acme.test');
    const coachInPartnerOrg = await invite(admin, {
      email: 'x@acme.test',
      role: 'coach',
      orgId: partnerOrg.id,
    });
    expect(coachInPartnerOrg.statusCode).toBe(400);
    expect(await countRows(server.db, 'invitations')).toBe(0);
  });

  it('answers an invitation of another vendor’s partner exactly like one of an unknown email', async () => {
    const vendorA = await seedVendor(server.db, 'Acme');
    const resellerA = await seedPartnerOrg(server.db, vendorA.id, 'Reseller A');
    const partnerA = await seedUser(server.db, {
      email: 'pat@reseller-a.test',
      role: 'partner',
      orgId: resellerA.id,
    });
    const vendorB = await seedVendor(server.db, 'Globex');
    const resellerB = await seedPartnerOrg(server.db, vendorB.id, 'Reseller B');
    await seedUser(server.db, { email: 'admin@globex.test', role: 'admin', orgId: vendorB.id });
    const adminB = await login(server.app, 'admin@globex.test');
    const invite = (email: string) =>
      server.app.inject({
        method: 'POST',
        url: '/api/invitations',
        headers: { cookie: adminB },
        payload: { email, role: 'partner', orgId: resellerB.id },
      });

    const unknown = await invite('nobody@elsewhere.test');
    const taken = await invite('PAT@reseller-a.test');
    expect(taken.statusCode).toBe(unknown.statusCode);
    expect(taken.statusCode).toBe(201);
    const shape = (body: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(body).map(([key, value]) => [key, typeof value]));
    expect(shape(taken.json())).toEqual(shape(unknown.json()));
    expect(taken.json()).toMatchObject({
      email: 'pat@reseller-a.test',
      role: 'partner',
      orgId: resellerB.id,
    });
    expect(Object.keys(taken.headers).sort()).toEqual(Object.keys(unknown.headers).sort());

    // Only the invitee learns, on accepting, that the email already has an account; nothing changes.
    const accepted = await accept(taken.json().token);
    expect(accepted.statusCode).toBe(409);
    expect(errorOf(accepted).message).toMatch(/already has an account/);
    const user = await server.db
      .selectFrom('users')
      .select(['org_id'])
      .where('id', '=', partnerA.id)
      .executeTakeFirstOrThrow();
    expect(user.org_id).toBe(resellerA.id);
    expect(await countRows(server.db, 'users')).toBe(2);
    expect((await accept(unknown.json().token)).statusCode).toBe(201);
  });
});
