/**
 * Two vendors, A and B, each with partner organisations, a partner, a coach and an admin, a pack,
 * submissions (one awaiting its recording with an upload begun, one submitted) and a second program
 * that the coach does not coach. Every party calls every endpoint with the other side's ids and
 * credentials; each call must be refused (401, 403 or 404) and leave every table as it was.
 * Every protected route of the route table must be exercised with real credentials, by a refusal
 * or by a check of what the caller sees; a route added without a line here fails the last test.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serverRoutes } from '../../../src/server/app';
import {
  backends,
  openTestServer,
  recordingBytes,
  sampleManifest,
  samplePack,
  seedPartner,
  seedPartnerOrg,
  seedWorld,
  send,
  snapshotAllTables,
  type TestServer,
  tusCreationHeaders,
  unavailable,
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
  /** Awaiting its recording; `uploadUrl` is its begun tus upload. */
  awaitingSubmissionId: string;
  uploadUrl: string;
  submittedSubmissionId: string;
  /** A program of the same vendor, taken by the uncoached organisation, that the coach does not coach. */
  uncoachedProgramId: string;
  uncoachedSubmissionId: string;
  webhookId: string;
}

/** `METHOD /route/:param` of the route-table entry that serves a concrete call. */
function routeOf(method: string, url: string): string | undefined {
  const path = url.split('?')[0] ?? url;
  const literal = (route: string) => route.replace(/:[A-Za-z]+/g, '').length;
  const [route] = serverRoutes
    .filter(
      (r) =>
        r.method === method &&
        new RegExp(`^${r.url.replace(/\./g, '\\.').replace(/:[A-Za-z]+/g, '[^/]+')}$`).test(path),
    )
    .sort((x, y) => literal(y.url) - literal(x.url));
  return route && `${method} ${route.url}`;
}

/** Routes exercised with real credentials (refused across sides, or checked for what they show). */
const covered = new Set<string>();

/** A `seedWorld`, plus an organisation and a program nobody coaches, packs, submissions and a webhook. */
async function seedSide(server: TestServer, letter: 'a' | 'b'): Promise<Side> {
  const { app, db } = server;
  const world = await seedWorld(server, { letter });
  const uncoachedOrg = await seedPartnerOrg(db, world.vendorId, `Uncoached ${letter}`);
  const uncoachedPartner = await seedPartner(server, uncoachedOrg.id, { email: `uncoached@${letter}.test` });
  const adminCookie = world.admin.cookie;
  const uncoachedProgram = (
    await send(app, 'POST', '/api/programs', adminCookie, { title: `Uncoached ${letter}` })
  ).json() as { id: string };
  await send(app, 'PUT', `/api/programs/${uncoachedProgram.id}/partners/${uncoachedOrg.id}`, adminCookie);
  for (const programId of [world.programId, uncoachedProgram.id]) {
    const stored = await send(app, 'POST', `/api/programs/${programId}/packs`, adminCookie, {
      pack: samplePack(programId),
    });
    expect(stored.statusCode).toBe(201);
  }
  const submit = async (token: string, manifest: ReturnType<typeof sampleManifest>) => {
    const response = await send(app, 'POST', '/api/submissions', token, manifest);
    expect(response.statusCode).toBe(201);
    return manifest.id;
  };
  const token = world.partner.deviceToken;
  const recording = recordingBytes(4096);
  const awaitingSubmissionId = await submit(token, sampleManifest(world.programId, { recording }));
  const upload = await send(
    app,
    'POST',
    '/api/uploads/',
    token,
    undefined,
    tusCreationHeaders(awaitingSubmissionId, recording.length),
  );
  expect(upload.statusCode).toBe(201);
  const submittedSubmissionId = await submit(token, sampleManifest(world.programId));
  const uncoachedSubmissionId = await submit(
    uncoachedPartner.deviceToken,
    sampleManifest(uncoachedProgram.id),
  );
  const webhook = await send(app, 'POST', '/api/webhooks', adminCookie, {
    url: `https://hooks.example.com/${letter}`,
    events: ['attempt.submitted'],
  });
  expect(webhook.statusCode).toBe(201);
  return {
    ...world,
    uncoachedOrgId: uncoachedOrg.id,
    uncoachedPartner: { id: uncoachedPartner.id, email: uncoachedPartner.email },
    awaitingSubmissionId,
    uploadUrl: upload.headers.location as string,
    submittedSubmissionId,
    uncoachedProgramId: uncoachedProgram.id,
    uncoachedSubmissionId,
    webhookId: (webhook.json() as { id: string }).id,
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
    const call = (app: FastifyInstance, method: string, url: string, auth: string) => {
      const route = routeOf(method, url);
      if (route) covered.add(route);
      return send(app, method, url, auth);
    };
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
      for (const [who, expected] of [
        [side.admin, [side.programId, side.uncoachedProgramId]],
        [side.coach, [side.programId]],
        [side.partner, [side.programId]],
      ] as const) {
        const programs = await call(server.app, 'GET', '/api/programs', who.cookie);
        expect(programs.json().programs.map((p: { id: string }) => p.id)).toEqual(expected);
      }
      const devices = await call(server.app, 'GET', '/api/devices', side.partner.deviceToken);
      expect(devices.json().devices.map((d: { id: string }) => d.id)).toEqual([side.partner.deviceId]);
      const coachQueue = await call(server.app, 'GET', '/api/review/queue', side.coach.cookie);
      expect(coachQueue.json().submissions.map((q: { id: string }) => q.id)).toEqual([
        side.submittedSubmissionId,
      ]);
      const adminQueue = await call(server.app, 'GET', '/api/review/queue', side.admin.cookie);
      expect(
        adminQueue
          .json()
          .submissions.map((q: { id: string }) => q.id)
          .sort(),
      ).toEqual([side.submittedSubmissionId, side.uncoachedSubmissionId].sort());
      const own = await call(server.app, 'GET', '/api/submissions', side.partner.deviceToken);
      expect(
        own
          .json()
          .submissions.map((q: { id: string }) => q.id)
          .sort(),
      ).toEqual([side.awaitingSubmissionId, side.submittedSubmissionId].sort());
      const webhooks = await call(server.app, 'GET', '/api/webhooks', side.admin.cookie);
      expect(webhooks.json().webhooks.map((w: { id: string }) => w.id)).toEqual([side.webhookId]);
      for (const [who, auth] of [
        [side.partner.id, side.partner.deviceToken],
        [side.coach.id, side.coach.cookie],
      ] as const)
        expect((await call(server.app, 'GET', '/api/me', auth)).json().user.id).toBe(who);
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
      headers?: Record<string, string>;
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
        // packs and submissions
        {
          label: `${tag} admin uploads a pack to the other program`,
          method: 'POST',
          url: `/api/programs/${other.programId}/packs`,
          auth: me.admin.cookie,
          body: { pack: samplePack(other.programId, '7.0.0') },
          expected: 404,
        },
        {
          label: `${tag} coach uploads a pack`,
          method: 'POST',
          url: `/api/programs/${me.programId}/packs`,
          auth: me.coach.cookie,
          body: { pack: samplePack(me.programId, '7.0.0') },
          expected: 403,
        },
        {
          label: `${tag} partner submits to the other program`,
          method: 'POST',
          url: '/api/submissions',
          auth: me.partner.deviceToken,
          body: sampleManifest(other.programId),
          expected: 404,
        },
        {
          label: `${tag} partner replays the other partner’s submission id`,
          method: 'POST',
          url: '/api/submissions',
          auth: me.partner.deviceToken,
          body: sampleManifest(me.programId, { id: other.submittedSubmissionId }),
          expected: 404,
        },
        {
          label: `${tag} partner reads the other submission (device)`,
          method: 'GET',
          url: `/api/submissions/${other.submittedSubmissionId}`,
          auth: me.partner.deviceToken,
          expected: 404,
        },
        {
          label: `${tag} partner reads the other submission (session)`,
          method: 'GET',
          url: `/api/submissions/${other.awaitingSubmissionId}`,
          auth: me.partner.cookie,
          expected: 404,
        },
        {
          label: `${tag} coach reads a partner’s submission through the partner route`,
          method: 'GET',
          url: `/api/submissions/${me.submittedSubmissionId}`,
          auth: me.coach.cookie,
          expected: 403,
        },
        // uploads
        {
          label: `${tag} partner begins an upload for the other submission`,
          method: 'POST',
          url: '/api/uploads/',
          auth: me.partner.deviceToken,
          headers: tusCreationHeaders(other.awaitingSubmissionId, 4096),
          expected: 404,
        },
        {
          label: `${tag} partner asks the other upload’s offset`,
          method: 'HEAD',
          url: other.uploadUrl,
          auth: me.partner.deviceToken,
          headers: { 'tus-resumable': '1.0.0' },
          expected: 404,
        },
        {
          label: `${tag} partner writes into the other upload`,
          method: 'PATCH',
          url: other.uploadUrl,
          auth: me.partner.deviceToken,
          headers: {
            'tus-resumable': '1.0.0',
            'upload-offset': '0',
            'content-type': 'application/offset+octet-stream',
          },
          expected: 404,
        },
        {
          label: `${tag} coach begins an upload`,
          method: 'POST',
          url: '/api/uploads/',
          auth: me.coach.cookie,
          headers: tusCreationHeaders(me.awaitingSubmissionId, 4096),
          expected: 401,
        },
        // review
        {
          label: `${tag} partner opens the review queue`,
          method: 'GET',
          url: '/api/review/queue',
          auth: me.partner.cookie,
          expected: 403,
        },
        {
          label: `${tag} partner opens their own submission for review`,
          method: 'GET',
          url: `/api/review/submissions/${me.submittedSubmissionId}`,
          auth: me.partner.cookie,
          expected: 403,
        },
        {
          label: `${tag} device token on the review queue`,
          method: 'GET',
          url: '/api/review/queue',
          auth: me.partner.deviceToken,
          expected: 401,
        },
        // sessions and pairing
        {
          label: `${tag} device token signs a web session out`,
          method: 'POST',
          url: '/api/auth/logout',
          auth: me.partner.deviceToken,
          expected: 401,
        },
        {
          label: `${tag} coach asks for a pairing code`,
          method: 'POST',
          url: '/api/devices/pairing-codes',
          auth: me.coach.cookie,
          expected: 403,
        },
        {
          label: `${tag} coach lists a partner’s submissions`,
          method: 'GET',
          url: '/api/submissions',
          auth: me.coach.cookie,
          expected: 403,
        },
        // analytics
        {
          label: `${tag} coach reads the other program’s readiness`,
          method: 'GET',
          url: `/api/analytics/programs/${other.programId}`,
          auth: me.coach.cookie,
          expected: 404,
        },
        {
          label: `${tag} admin reads the other program’s readiness as CSV`,
          method: 'GET',
          url: `/api/analytics/programs/${other.programId}.csv?table=scenarios`,
          auth: me.admin.cookie,
          expected: 404,
        },
        {
          label: `${tag} coach reads the uncoached program’s readiness as CSV`,
          method: 'GET',
          url: `/api/analytics/programs/${me.uncoachedProgramId}.csv?table=partners`,
          auth: me.coach.cookie,
          expected: 404,
        },
        {
          label: `${tag} partner reads readiness`,
          method: 'GET',
          url: `/api/analytics/programs/${me.programId}`,
          auth: me.partner.cookie,
          expected: 403,
        },
        // webhooks
        {
          label: `${tag} coach subscribes a webhook`,
          method: 'POST',
          url: '/api/webhooks',
          auth: me.coach.cookie,
          body: { url: 'https://hooks.example.com/x', events: ['attempt.submitted'] },
          expected: 403,
        },
        {
          label: `${tag} partner lists webhooks`,
          method: 'GET',
          url: '/api/webhooks',
          auth: me.partner.cookie,
          expected: 403,
        },
        {
          label: `${tag} admin deletes the other vendor’s webhook`,
          method: 'DELETE',
          url: `/api/webhooks/${other.webhookId}`,
          auth: me.admin.cookie,
          expected: 404,
        },
        {
          label: `${tag} admin reads the other vendor’s deliveries`,
          method: 'GET',
          url: `/api/webhooks/${other.webhookId}/deliveries`,
          auth: me.admin.cookie,
          expected: 404,
        },
      );
      for (const [who, cookie, submissionId] of [
        ['coach, other vendor', me.coach.cookie, other.submittedSubmissionId],
        ['admin, other vendor', me.admin.cookie, other.submittedSubmissionId],
        ['coach, uncoached program', me.coach.cookie, me.uncoachedSubmissionId],
      ] as const) {
        const base = `/api/review/submissions/${submissionId}`;
        attempts.push(
          { label: `${tag} ${who}: detail`, method: 'GET', url: base, auth: cookie, expected: 404 },
          {
            label: `${tag} ${who}: scores`,
            method: 'PUT',
            url: `${base}/scores`,
            auth: cookie,
            body: { criteria: [{ criterionId: 'value', coachScore: 1, note: null }] },
            expected: 404,
          },
          {
            label: `${tag} ${who}: comment`,
            method: 'POST',
            url: `${base}/comments`,
            auth: cookie,
            body: { at: null, text: 'x' },
            expected: 404,
          },
          {
            label: `${tag} ${who}: publish`,
            method: 'POST',
            url: `${base}/publish`,
            auth: cookie,
            body: { decision: 'pass' },
            expected: 404,
          },
          {
            label: `${tag} ${who}: recording`,
            method: 'GET',
            url: `${base}/recording`,
            auth: cookie,
            expected: 404,
          },
        );
      }
    }
    for (const route of serverRoutes.filter((r) => r.auth !== 'none')) {
      const url = route.url
        .replace(/:programId/, a.programId)
        .replace(/:orgId/, a.partnerOrgId)
        .replace(/:userId/, a.coach.id)
        .replace(/:deviceId/, a.partner.deviceId)
        .replace(/:submissionId/, a.submittedSubmissionId);
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

    for (const attempt of attempts) {
      // The anonymous and forged-cookie calls are generated for every route: they do not count.
      const real = attempt.auth !== undefined && !attempt.label.startsWith('forged cookie');
      const route = real ? routeOf(attempt.method, attempt.url) : undefined;
      if (route) covered.add(route);
    }
    const outcomes = [];
    for (const attempt of attempts) {
      const response = await send(
        server.app,
        attempt.method,
        attempt.url,
        attempt.auth,
        attempt.body,
        attempt.headers,
      );
      // HEAD answers carry no body; the status is what counts there.
      const code =
        attempt.method === 'HEAD' ? undefined : (response.json() as { error?: { code: string } }).error?.code;
      outcomes.push({ label: attempt.label, status: response.statusCode, code });
    }
    expect(outcomes).toEqual(
      attempts.map((attempt) => ({
        label: attempt.label,
        status: attempt.expected,
        code:
          attempt.method === 'HEAD'
            ? undefined
            : { 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' }[attempt.expected],
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
      const response = await send(server.app, 'GET', '/api/me', side.partner.deviceToken);
      expect(response.statusCode).toBe(200);
      expect(response.json().user.id).toBe(side.partner.id);
    }
  });

  it('exercises every protected route of the route table with real credentials', () => {
    const missing = serverRoutes
      .filter((route) => route.auth !== 'none')
      .map((route) => `${route.method} ${route.url}`)
      .filter((route) => !covered.has(route));
    expect(missing).toEqual([]);
  });
});
