/** Pack versions per program, and the partner's submissions: validation, idempotency, polling. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  backends,
  countRows,
  errorOf,
  openTestServer,
  recordingBytes,
  refusalsIn,
  sampleManifest,
  samplePack,
  seedWorld,
  send,
  type TestServer,
  unavailable,
  uploadPack,
  type World,
} from './harness';

describe.each(backends)('packs and submissions (%s)', (backend) => {
  beforeEach((ctx) => {
    if (unavailable(backend))
      ctx.skip('no PostgreSQL here: set REHEARSE_TEST_DATABASE_URL (.ci/run starts one)');
  });
  let server: TestServer;
  let world: World;

  beforeEach(async () => {
    server = await openTestServer(backend);
    world = await seedWorld(server);
  });
  afterEach(() => server.close());

  const postPack = (pack: object, programId = world.programId, cookie = world.admin.cookie) =>
    send(server.app, 'POST', `/api/programs/${programId}/packs`, cookie, { pack });
  const submit = (manifest: object, token = world.partner.deviceToken) =>
    send(server.app, 'POST', '/api/submissions', token, manifest);

  it('stores a pack version once: same content again is 200, other content 409, wrong program 422', async () => {
    const first = await postPack(samplePack(world.programId));
    expect(first.statusCode).toBe(201);
    expect(first.json().versions.map((v: { version: string }) => v.version)).toEqual(['1.0.0']);

    const reordered = JSON.parse(JSON.stringify(samplePack(world.programId))) as Record<string, unknown>;
    const same = await postPack(Object.fromEntries(Object.entries(reordered).reverse()));
    expect(same.statusCode).toBe(200);

    const changed = await postPack(samplePack(world.programId, '1.0.0', 90));
    expect(changed.statusCode).toBe(409);
    expect(errorOf(changed).message).toContain('1.0.0');

    expect((await postPack(samplePack(world.programId, '1.1.0'))).json().versions).toHaveLength(2);
    const elsewhere = await postPack(samplePack('some-other-program'));
    expect(elsewhere.statusCode).toBe(422);
    const invalid = await postPack({ ...samplePack(world.programId), version: 'latest' });
    expect(invalid.statusCode).toBe(400);
    expect(errorOf(invalid).message).toContain('pack.version');
    expect(
      (await postPack(samplePack(world.programId, '2.0.0'), world.programId, world.coach.cookie)).statusCode,
    ).toBe(403);
    expect(await countRows(server.db, 'program_packs')).toBe(2);
    expect(refusalsIn(server).map((r) => r.status)).toEqual(expect.arrayContaining([409, 422, 403]));
  });

  it('accepts a transcript-only manifest as submitted, and replays it idempotently', async () => {
    await uploadPack(server, world);
    const manifest = sampleManifest(world.programId);
    const first = await submit(manifest);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      id: manifest.id,
      status: 'submitted',
      programId: world.programId,
      scenarioId: 'elevator-pitch',
      packVersion: '1.0.0',
      recordingBytesReceived: null,
      result: null,
    });
    const replay = await submit(manifest);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual(first.json());

    const altered = await submit({ ...manifest, durationSeconds: 43 });
    expect(altered.statusCode).toBe(409);
    expect(await countRows(server.db, 'submissions')).toBe(1);
    const stored = await server.db.selectFrom('submissions').selectAll().executeTakeFirstOrThrow();
    expect(JSON.parse(stored.manifest_json).durationSeconds).toBe(42);
  });

  it('awaits the recording when the manifest announces one', async () => {
    await uploadPack(server, world);
    const response = await submit(sampleManifest(world.programId, { recording: recordingBytes(2048) }));
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ status: 'awaiting-recording', recordingBytesReceived: 0 });
  });

  it('refuses an unknown pack version (422, naming it), an invalid manifest, and a program the org does not take', async () => {
    await uploadPack(server, world);
    const unknownVersion = await submit(sampleManifest(world.programId, { packVersion: '9.9.9' }));
    expect(unknownVersion.statusCode).toBe(422);
    expect(errorOf(unknownVersion).message).toContain('9.9.9');
    const unknownScenario = await submit({ ...sampleManifest(world.programId), scenarioId: 'nope' });
    expect(unknownScenario.statusCode).toBe(422);
    const invalid = await submit({ ...sampleManifest(world.programId), id: 'not-a-uuid' });
    expect(invalid.statusCode).toBe(400);
    const extraField = await submit({ ...sampleManifest(world.programId), surprise: true });
    expect(extraField.statusCode).toBe(400);
    const untaken = await submit(sampleManifest('another-program'));
    expect(untaken.statusCode).toBe(404);
    const bySession = await submit(sampleManifest(world.programId), world.partner.cookie);
    expect(bySession.statusCode).toBe(401);
    expect(await countRows(server.db, 'submissions')).toBe(0);
    expect(refusalsIn(server).map((r) => r.status)).toEqual(expect.arrayContaining([422, 404, 401]));
  });

  it('answers 404 for another partner’s submission id, by GET and by a replayed manifest', async () => {
    await uploadPack(server, world);
    const manifest = sampleManifest(world.programId);
    expect((await submit(manifest)).statusCode).toBe(201);
    const other = await seedWorld(server, { letter: 'b' });
    await uploadPack(server, other);
    const stolen = await submit({ ...manifest, programId: other.programId }, other.partner.deviceToken);
    expect(stolen.statusCode).toBe(404);
    expect(errorOf(stolen).message).toBe(`No submission ${manifest.id}`);
    const peek = await send(server.app, 'GET', `/api/submissions/${manifest.id}`, other.partner.cookie);
    expect(peek.statusCode).toBe(404);
    expect(errorOf(peek).message).toBe(`No submission ${manifest.id}`);
    const missingId = crypto.randomUUID();
    const missing = await send(server.app, 'GET', `/api/submissions/${missingId}`, other.partner.cookie);
    expect(errorOf(missing)).toEqual({ code: 'NOT_FOUND', message: `No submission ${missingId}` });
    expect(await countRows(server.db, 'submissions')).toBe(1);
  });

  it('lists the partner’s own submissions, and only later changes with updatedSince', async () => {
    await uploadPack(server, world);
    const first = sampleManifest(world.programId);
    await submit(first);
    server.clock.advance(60_000);
    const since = server.clock.now().toISOString();
    server.clock.advance(60_000);
    const second = sampleManifest(world.programId);
    await submit(second);

    const all = await send(server.app, 'GET', '/api/submissions', world.partner.deviceToken);
    expect(all.json().submissions.map((s: { id: string }) => s.id)).toEqual([first.id, second.id]);
    const later = await send(
      server.app,
      'GET',
      `/api/submissions?updatedSince=${encodeURIComponent(since)}`,
      world.partner.cookie,
    );
    expect(later.json().submissions.map((s: { id: string }) => s.id)).toEqual([second.id]);
    const bad = await send(
      server.app,
      'GET',
      '/api/submissions?updatedSince=yesterday',
      world.partner.cookie,
    );
    expect(bad.statusCode).toBe(400);
  });
});
