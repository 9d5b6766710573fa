/**
 * Two vendors, A and B, each with partner organisations, a partner, a coach and an admin. Every
 * party calls every endpoint with the other side's ids and credentials; each call must be refused
 * (401, 403 or 404) and leave every table as it was.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serverRoutes } from '../../../src/server/app';
import {
  backends,
  unavailable,
  login,
  openTestServer,
  seedPartnerOrg,
  seedUser,
  seedVendor,
  snapshotAllTables,
  type TestServer,
} from './harness';

interface Side {
  vendorId: string;
  partnerOrgId: string;
  /** A partner organisation of the same vendor whose program nobody coaches. */
  uncoachedOrgId: string;
  programId: string;
  partner: { id: string; email: string; cookie: string; deviceId: string; deviceToken: string };
  uncoachedPartner: { id: string; email: string };
  coach: { id: string; email: string; cookie: string };
  admin: { id: string; email: string; cookie: string };
}

async function call(
  app: FastifyInstance,
  method: string,
  url: string,
  auth: string | undefined,
  payload?: object,
) {
  const headers: Record<string, string> = {};
  if (auth?.startsWith('rhd_')) headers.authorization = `Bearer ${auth}`;
  else if (auth) headers.cookie = auth;
  return app.inject({ method: method as 'GET', url, headers, ...(payload ? { payload } : {}) });
}

async function seedSide(server: TestServer, letter: 'a' | 'b'): Promise<Side> {
  const { app, db } = server;
  const vendor = await seedVendor(db, `Vendor ${letter}`);
  const partnerOrg = await seedPartnerOrg(db, vendor.id, `Partner ${letter}`);
  const uncoachedOrg = await seedPartnerOrg(db, vendor.id, `Uncoached ${letter}`);
  const partner = await seedUser(db, {
    email: `partner@${letter}.test`,
    role: 'partner',
    orgId: partnerOrg.id,
  });
  const uncoachedPartner = await seedUser(db, {
    email: `uncoached@${letter}.test`,
    role: 'partner',
    orgId: uncoachedOrg.id,
  });
  const coach = await seedUser(db, { email: `coach@${letter}.test`, role: 'coach', orgId: vendor.id });
  const admin = await seedUser(db, { email: `admin@${letter}.test`, role: 'admin', orgId: vendor.id });
  const adminCookie = await login(app, admin.email);
  const program = (
    await call(app, 'POST', '/api/programs', adminCookie, { title: `Program ${letter}` })
  ).json() as {
    id: string;
  };
  const assignPartner = await call(
    app,
    'PUT',
    `/api/programs/${program.id}/partners/${partnerOrg.id}`,
    adminCookie,
  );
  const assignCoach = await call(app, 'PUT', `/api/programs/${program.id}/coaches/${coach.id}`, adminCookie);
  expect([assignPartner.statusCode, assignCoach.statusCode]).toEqual([204, 204]);
  const partnerCookie = await login(app, partner.email);
  const code = (await call(app, 'POST', '/api/devices/pairing-codes', partnerCookie)).json() as {
    code: string;
  };
  const paired = (
    await call(app, 'POST', '/api/devices/pair', undefined, { code: code.code, deviceName: 'PC' })
  ).json() as {
    token: string;
    device: { id: string };
  };
  return {
    vendorId: vendor.id,
    partnerOrgId: partnerOrg.id,
    uncoachedOrgId: uncoachedOrg.id,
    programId: program.id,
    partner: { ...partner, cookie: partnerCookie, deviceId: paired.device.id, deviceToken: paired.token },
    uncoachedPartner,
    coach: { ...coach, cookie: await login(app, coach.email) },
    admin: { ...admin, cookie: adminCookie },
  };
}

describe.each(backends)('isolation between vendors, coaches and partners (%s)', (backend) => {
  beforeEach((ctx) => {
    if (unavailable(backend))
      ctx.skip('no PostgreSQL here: set REHEARSE_TEST_DATABASE_URL (.ci/run starts one)');
  });
  let server: TestServer;
  let a: Side;
  let b: Side;

  beforeAll(async () => {
    if (unavailable(backend)) return;
    server = await openTestServer(backend);
    a = await seedSide(server, 'a');
    b = await seedSide(server, 'b');
  });
  afterAll(() => server?.close());

  it('shows a coach only the partners of the programs they coach, and an admin only their vendor’s', async () => {
    for (const side of [a, b]) {
      const byCoach = await call(server.app, 'GET', '/api/partners', side.coach.cookie);
      expect(byCoach.json().partners.map((p: { id: string }) => p.id)).toEqual([side.partner.id]);
      const byAdmin = await call(server.app, 'GET', '/api/partners', side.admin.cookie);
      expect(
        byAdmin
          .json()
          .partners.map((p: { id: string }) => p.id)
          .sort(),
      ).toEqual([side.partner.id, side.uncoachedPartner.id].sort());
      const orgs = await call(server.app, 'GET', '/api/organisations', side.admin.cookie);
      expect(
        orgs
          .json()
          .organisations.map((o: { id: string }) => o.id)
          .sort(),
      ).toEqual([side.vendorId, side.partnerOrgId, side.uncoachedOrgId].sort());
      for (const who of [side.admin, side.coach, side.partner]) {
        const programs = await call(server.app, 'GET', '/api/programs', who.cookie);
        expect(programs.json().programs.map((p: { id: string }) => p.id)).toEqual([side.programId]);
      }
      const devices = await call(server.app, 'GET', '/api/devices', side.partner.deviceToken);
      expect(devices.json().devices.map((d: { id: string }) => d.id)).toEqual([side.partner.deviceId]);
    }
  });

  it('refuses every cross-vendor and out-of-role call, and none of them changes any table', async () => {
    const before = await snapshotAllTables(server.db);
    const attempts: {
      label: string;
      method: string;
      url: string;
      auth?: string;
      body?: object;
      expected: number;
    }[] = [];
    for (const [me, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const tag = me === a ? 'A→B' : 'B→A';
      attempts.push(
        // another vendor's ids, with an admin's full powers
        {
          label: `${tag} admin assigns other program`,
          method: 'PUT',
          url: `/api/programs/${other.programId}/partners/${me.partnerOrgId}`,
          auth: me.admin.cookie,
          expected: 404,
        },
        {
          label: `${tag} admin assigns other partner org`,
          method: 'PUT',
          url: `/api/programs/${me.programId}/partners/${other.partnerOrgId}`,
          auth: me.admin.cookie,
          expected: 404,
        },
        {
          label: `${tag} admin assigns other coach`,
          method: 'PUT',
          url: `/api/programs/${me.programId}/coaches/${other.coach.id}`,
          auth: me.admin.cookie,
          expected: 404,
        },
        {
          label: `${tag} admin coaches other program`,
          method: 'PUT',
          url: `/api/programs/${other.programId}/coaches/${me.coach.id}`,
          auth: me.admin.cookie,
          expected: 404,
        },
        {
          label: `${tag} admin invites into other org`,
          method: 'POST',
          url: '/api/invitations',
          auth: me.admin.cookie,
          body: { email: 'x@x.test', role: 'partner', orgId: other.partnerOrgId },
          expected: 404,
        },
        {
          label: `${tag} admin invites into other vendor`,
          method: 'POST',
          url: '/api/invitations',
          auth: me.admin.cookie,
          body: { email: 'x@x.test', role: 'coach', orgId: other.vendorId },
          expected: 404,
        },
        {
          label: `${tag} admin revokes other device`,
          method: 'DELETE',
          url: `/api/devices/${other.partner.deviceId}`,
          auth: me.admin.cookie,
          expected: 404,
        },
        // a partner reaching for other people's things
        {
          label: `${tag} partner revokes other device`,
          method: 'DELETE',
          url: `/api/devices/${other.partner.deviceId}`,
          auth: me.partner.cookie,
          expected: 404,
        },
        {
          label: `${tag} partner lists partners`,
          method: 'GET',
          url: '/api/partners',
          auth: me.partner.cookie,
          expected: 403,
        },
        {
          label: `${tag} partner invites`,
          method: 'POST',
          url: '/api/invitations',
          auth: me.partner.cookie,
          body: { email: 'x@x.test', role: 'partner', orgId: me.partnerOrgId },
          expected: 403,
        },
        {
          label: `${tag} partner creates org`,
          method: 'POST',
          url: '/api/organisations',
          auth: me.partner.cookie,
          body: { name: 'Mine' },
          expected: 403,
        },
        {
          label: `${tag} partner creates program`,
          method: 'POST',
          url: '/api/programs',
          auth: me.partner.cookie,
          body: { title: 'Mine' },
          expected: 403,
        },
        {
          label: `${tag} partner assigns`,
          method: 'PUT',
          url: `/api/programs/${me.programId}/partners/${me.uncoachedOrgId}`,
          auth: me.partner.cookie,
          expected: 403,
        },
        // a coach doing admin work
        {
          label: `${tag} coach assigns coach`,
          method: 'PUT',
          url: `/api/programs/${me.programId}/coaches/${me.coach.id}`,
          auth: me.coach.cookie,
          expected: 403,
        },
        {
          label: `${tag} coach assigns org`,
          method: 'PUT',
          url: `/api/programs/${me.programId}/partners/${me.uncoachedOrgId}`,
          auth: me.coach.cookie,
          expected: 403,
        },
        {
          label: `${tag} coach invites`,
          method: 'POST',
          url: '/api/invitations',
          auth: me.coach.cookie,
          body: { email: 'x@x.test', role: 'partner', orgId: me.partnerOrgId },
          expected: 403,
        },
        {
          label: `${tag} coach lists orgs`,
          method: 'GET',
          url: '/api/organisations',
          auth: me.coach.cookie,
          expected: 403,
        },
        {
          label: `${tag} coach revokes device`,
          method: 'DELETE',
          url: `/api/devices/${other.partner.deviceId}`,
          auth: me.coach.cookie,
          expected: 404,
        },
        // a device token where only a web session may go
        {
          label: `${tag} device token on admin route`,
          method: 'POST',
          url: '/api/programs',
          auth: me.partner.deviceToken,
          body: { title: 'x' },
          expected: 401,
        },
        {
          label: `${tag} device token revokes`,
          method: 'DELETE',
          url: `/api/devices/${other.partner.deviceId}`,
          auth: me.partner.deviceToken,
          expected: 401,
        },
      );
    }
    for (const route of serverRoutes.filter((r) => r.auth !== 'none')) {
      const url = route.url
        .replace(/:programId/, a.programId)
        .replace(/:orgId/, a.partnerOrgId)
        .replace(/:userId/, a.coach.id)
        .replace(/:deviceId/, a.partner.deviceId);
      attempts.push({
        label: `anonymous ${route.method} ${route.url}`,
        method: route.method,
        url,
        body: {},
        expected: 401,
      });
      attempts.push({
        label: `forged cookie ${route.method} ${route.url}`,
        method: route.method,
        url,
        auth: `rehearse_session=rhs_${'f'.repeat(43)}`,
        body: {},
        expected: 401,
      });
    }

    const outcomes = [];
    for (const attempt of attempts) {
      const response = await call(server.app, attempt.method, attempt.url, attempt.auth, attempt.body);
      outcomes.push({ label: attempt.label, status: response.statusCode, code: response.json().error?.code });
    }
    expect(outcomes).toEqual(
      attempts.map((attempt) => ({
        label: attempt.label,
        status: attempt.expected,
        code: { 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' }[attempt.expected],
      })),
    );
    expect(await snapshotAllTables(server.db)).toEqual(before);
    const refusals = server.logs.filter((l) => l.msg === 'request refused');
    expect(refusals.length).toBeGreaterThanOrEqual(attempts.length);
    expect(JSON.stringify(server.logs)).not.toContain(a.partner.deviceToken);
    expect(JSON.stringify(server.logs)).not.toContain(b.partner.deviceToken);
  });

  it('still lets each side use its own device after the refused attempts', async () => {
    for (const side of [a, b]) {
      const response = await call(server.app, 'GET', '/api/me', side.partner.deviceToken);
      expect(response.statusCode).toBe(200);
      expect(response.json().user.id).toBe(side.partner.id);
    }
  });
});
