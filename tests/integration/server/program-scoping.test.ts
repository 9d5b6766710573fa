/**
 * Security finding 13: program ids are scoped per vendor. Two vendors each create program
 * "onboarding", upload a pack, take a submission and read analytics; each sees only its own, and
 * neither learns from a 409 that the other uses the id. Plus the migration that re-keys programs,
 * run over a database holding data from before it.
 */
import { Migrator, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverMigrationProvider } from '../../../src/server/db/migrations';
import { migrateServerDb } from '../../../src/server/db/open-server-db';
import {
  backends,
  openFreshDb,
  openTestServer,
  sampleManifest,
  seedWorld,
  send,
  type TestServer,
  unavailable,
  uploadPack,
} from './harness';

describe.each(backends)('program ids per vendor (%s)', (backend) => {
  beforeEach((ctx) => {
    if (unavailable(backend))
      ctx.skip('no PostgreSQL here: set REHEARSE_TEST_DATABASE_URL (.ci/run starts one)');
  });
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('lets two vendors each own "onboarding" and shows each only its own', async () => {
    server = await openTestServer(backend);
    const a = await seedWorld(server, { letter: 'a', programId: 'onboarding' });
    const b = await seedWorld(server, { letter: 'b', programId: 'onboarding' });
    expect([a.programId, b.programId]).toEqual(['onboarding', 'onboarding']);
    const again = await send(server.app, 'POST', '/api/programs', b.admin.cookie, {
      title: 'Twice',
      id: 'onboarding',
    });
    expect(again.statusCode).toBe(409); // its own id, still unique within the vendor

    for (const world of [a, b]) {
      const listed = await send(server.app, 'GET', '/api/programs', world.admin.cookie);
      expect(listed.json().programs).toEqual([
        { id: 'onboarding', title: `Program ${world === a ? 'a' : 'b'}`, vendorOrgId: world.vendorId },
      ]);
      for (const who of [world.coach.cookie, world.partner.cookie])
        expect((await send(server.app, 'GET', '/api/programs', who)).json().programs).toHaveLength(1);
    }

    // Only vendor A uploads a pack: vendor B's partner cannot submit against A's pack.
    await uploadPack(server, a);
    const manifestB = sampleManifest('onboarding');
    const refused = await send(server.app, 'POST', '/api/submissions', b.partner.deviceToken, manifestB);
    expect(refused.statusCode).toBe(422);
    await uploadPack(server, b);
    const manifestA = sampleManifest('onboarding');
    expect(
      (await send(server.app, 'POST', '/api/submissions', a.partner.deviceToken, manifestA)).statusCode,
    ).toBe(201);
    expect(
      (await send(server.app, 'POST', '/api/submissions', b.partner.deviceToken, manifestB)).statusCode,
    ).toBe(201);

    for (const [world, own, other] of [
      [a, manifestA.id, manifestB.id],
      [b, manifestB.id, manifestA.id],
    ] as const) {
      const queue = await send(server.app, 'GET', '/api/review/queue', world.coach.cookie);
      expect(queue.json().submissions.map((i: { id: string }) => i.id)).toEqual([own]);
      const foreign = await send(server.app, 'GET', `/api/review/submissions/${other}`, world.coach.cookie);
      expect(foreign.statusCode).toBe(404);
      const analytics = await send(
        server.app,
        'GET',
        '/api/analytics/programs/onboarding',
        world.admin.cookie,
      );
      expect(analytics.statusCode).toBe(200);
      const body = analytics.json() as { partnerCount: number };
      expect(body.partnerCount).toBe(1);
      const otherWorld = world === a ? b : a;
      expect(analytics.body).not.toContain(otherWorld.partner.id);
      expect(analytics.body).not.toContain(otherWorld.partner.email);
    }
  });

  it('re-keys a database that holds programs, packs and submissions from before the migration', async () => {
    const fresh = await openFreshDb(backend);
    try {
      const migrator = new Migrator({ db: fresh.db, provider: serverMigrationProvider });
      const { error } = await migrator.migrateTo('2026_12_22_1000_create_integrations');
      expect(error).toBeUndefined();
      const at = new Date().toISOString();
      const db = fresh.db;
      await db
        .insertInto('organisations')
        .values([
          { id: 'v1', name: 'V1', kind: 'vendor', vendor_id: null, created_at: at },
          { id: 'p1', name: 'P1', kind: 'partner', vendor_id: 'v1', created_at: at },
          { id: 'v2', name: 'V2', kind: 'vendor', vendor_id: null, created_at: at },
        ])
        .execute();
      const user = (id: string, role: 'partner' | 'coach', org: string) => ({
        id,
        email: `${id}@x.test`,
        name: id,
        role,
        org_id: org,
        password_hash: 'x',
        created_at: at,
      });
      await db
        .insertInto('users')
        .values([user('u-partner', 'partner', 'p1'), user('u-coach', 'coach', 'v1')])
        .execute();
      await db
        .insertInto('devices')
        .values({
          id: 'd1',
          user_id: 'u-partner',
          name: 'PC',
          token_hash: 'h',
          created_at: at,
          last_seen_at: null,
          revoked_at: null,
        })
        .execute();
      // Typed against the old shape on purpose: these columns are what existed then.
      const old = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
      await old
        .insertInto('programs')
        .values({ id: 'onboarding', vendor_org_id: 'v1', title: 'Old', created_at: at })
        .execute();
      await old
        .insertInto('program_partners')
        .values({ program_id: 'onboarding', partner_org_id: 'p1', created_at: at })
        .execute();
      await old
        .insertInto('coach_programs')
        .values({ program_id: 'onboarding', coach_user_id: 'u-coach', created_at: at })
        .execute();
      await old
        .insertInto('program_packs')
        .values({
          program_id: 'onboarding',
          version: '1.0.0',
          pack_json: '{}',
          sha256: 's',
          uploaded_by: 'u-coach',
          uploaded_at: at,
        })
        .execute();
      await old
        .insertInto('submissions')
        .values({
          id: 's1',
          partner_user_id: 'u-partner',
          partner_org_id: 'p1',
          device_id: 'd1',
          program_id: 'onboarding',
          scenario_id: 'x',
          pack_version: '1.0.0',
          manifest_json: '{}',
          manifest_sha256: 'm',
          recording_kind: null,
          recording_mime: null,
          recording_bytes: null,
          recording_sha256: null,
          recording_upload_id: null,
          recording_storage_key: null,
          status: 'submitted',
          created_at: at,
          updated_at: at,
        })
        .execute();
      await old
        .insertInto('submission_comments')
        .values({
          id: 'c1',
          submission_id: 's1',
          author_user_id: 'u-coach',
          at_seconds: null,
          text: 'hi',
          created_at: at,
        })
        .execute();

      await migrateServerDb(db);

      for (const table of ['program_partners', 'coach_programs', 'program_packs', 'submissions'] as const)
        expect(await db.selectFrom(table).select(['vendor_org_id', 'program_id']).execute()).toEqual([
          { vendor_org_id: 'v1', program_id: 'onboarding' },
        ]);
      // The second vendor may now use the id; a child row must name an existing (vendor, program).
      await db
        .insertInto('programs')
        .values({ id: 'onboarding', vendor_org_id: 'v2', title: 'New', created_at: at })
        .execute();
      await expect(
        db
          .insertInto('program_partners')
          .values({ vendor_org_id: 'v2', program_id: 'nope', partner_org_id: 'p1', created_at: at })
          .execute(),
      ).rejects.toThrow();
      // References into the rebuilt tables still hold: comments cascade with their submission.
      await db.deleteFrom('submissions').where('id', '=', 's1').execute();
      expect(await db.selectFrom('submission_comments').selectAll().execute()).toEqual([]);
      // Deleting a program cascades to its partners, coaches and packs.
      await db.deleteFrom('programs').where('vendor_org_id', '=', 'v1').execute();
      expect(await db.selectFrom('program_packs').selectAll().execute()).toEqual([]);
      expect(await db.selectFrom('coach_programs').selectAll().execute()).toEqual([]);
    } finally {
      await fresh.dispose();
    }
  });
});
