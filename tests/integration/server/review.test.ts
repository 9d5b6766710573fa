/** The coach's review: queue, scores, comments, publishing, the recording with Range; the partner's view of it. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  backends,
  errorOf,
  openTestServer,
  recordingBytes,
  refusalsIn,
  sampleManifest,
  seedWorld,
  send,
  type TestServer,
  unavailable,
  uploadPack,
  uploadRecording as uploadRecordingWith,
  type World,
} from './harness';

describe.each(backends)('coach review (%s)', (backend) => {
  beforeEach((ctx) => {
    if (unavailable(backend))
      ctx.skip('no PostgreSQL here: set REHEARSE_TEST_DATABASE_URL (.ci/run starts one)');
  });
  let server: TestServer;
  let world: World;
  const recording = recordingBytes(5000);

  beforeEach(async () => {
    server = await openTestServer(backend);
    world = await seedWorld(server);
    await uploadPack(server, world);
  });
  afterEach(() => server.close());

  const submit = async (withRecording: boolean) => {
    const manifest = sampleManifest(world.programId, { recording: withRecording ? recording : null });
    expect(
      (await send(server.app, 'POST', '/api/submissions', world.partner.deviceToken, manifest)).statusCode,
    ).toBe(201);
    return manifest.id;
  };
  const uploadRecording = (id: string) =>
    uploadRecordingWith(server.app, world.partner.deviceToken, id, recording);
  const review = (method: string, id: string, suffix = '', payload?: object, cookie = world.coach.cookie) =>
    send(server.app, method, `/api/review/submissions/${id}${suffix}`, cookie, payload);
  const partnerView = async (id: string) =>
    (await send(server.app, 'GET', `/api/submissions/${id}`, world.partner.deviceToken)).json();

  it('queues submitted work oldest first, leaving out what still awaits its recording', async () => {
    const older = await submit(false);
    server.clock.advance(1000);
    const awaiting = await submit(true);
    server.clock.advance(1000);
    const newer = await submit(false);
    for (const cookie of [world.coach.cookie, world.admin.cookie]) {
      const queue = await send(server.app, 'GET', '/api/review/queue', cookie);
      expect(queue.statusCode).toBe(200);
      expect(queue.json().submissions.map((s: { id: string }) => s.id)).toEqual([older, newer]);
      expect(queue.json().submissions[0]).toMatchObject({
        partner: { id: world.partner.id },
        aiScore: 80,
        hasRecording: false,
      });
    }
    expect((await review('GET', awaiting)).json().recording).toMatchObject({ bytes: 5000, available: false });
    const partnerQueue = await send(server.app, 'GET', '/api/review/queue', world.partner.cookie);
    expect(partnerQueue.statusCode).toBe(403);
  });

  it('keeps the result from the partner until the coach publishes, then shows scores, comments and decision', async () => {
    const id = await submit(true);
    await uploadRecording(id);
    const detail = await review('GET', id);
    expect(detail.json()).toMatchObject({
      submission: { status: 'submitted' },
      manifest: { ai: { criteria: [{ criterionId: 'value', score: 1 }] } },
      recording: { kind: 'video', mime: 'video/webm', bytes: 5000, available: true },
      review: null,
    });

    const scored = await review('PUT', id, '/scores', {
      criteria: [{ criterionId: 'value', coachScore: 0.5, note: 'Value named, not quantified.' }],
      overallScore: 65,
    });
    expect(scored.statusCode).toBe(200);
    expect(scored.json().submission.status).toBe('in-review');
    const comment = await review('POST', id, '/comments', { at: 1.5, text: 'Slow down here.' });
    expect(comment.statusCode).toBe(201);
    expect(comment.json()).toMatchObject({ at: 1.5, text: 'Slow down here.', author: world.coach.email });

    expect(await partnerView(id)).toMatchObject({ status: 'in-review', result: null });

    const published = await review('POST', id, '/publish', { decision: 'needs-work' });
    expect(published.statusCode).toBe(200);
    const seen = await partnerView(id);
    expect(seen.status).toBe('published');
    expect(seen.result).toMatchObject({
      decision: 'needs-work',
      overallScore: 65,
      coach: world.coach.email,
      criteria: [{ criterionId: 'value', aiScore: 1, coachScore: 0.5, note: 'Value named, not quantified.' }],
      comments: [{ at: 1.5, text: 'Slow down here.', author: world.coach.email }],
    });
    expect(
      (await send(server.app, 'GET', '/api/review/queue', world.coach.cookie)).json().submissions,
    ).toEqual([]);

    const again = await review('POST', id, '/publish', { decision: 'pass' });
    expect(again.statusCode).toBe(409);
    expect((await partnerView(id)).result.decision).toBe('needs-work');
  });

  it('refuses publishing before scoring, unknown criteria, and scoring what awaits its recording', async () => {
    const id = await submit(false);
    const early = await review('POST', id, '/publish', { decision: 'pass' });
    expect(early.statusCode).toBe(409);
    const unknown = await review('PUT', id, '/scores', {
      criteria: [{ criterionId: 'charm', coachScore: 1, note: null }],
    });
    expect(unknown.statusCode).toBe(422);
    expect(errorOf(unknown).message).toContain('charm');
    const awaiting = await submit(true);
    expect((await review('PUT', awaiting, '/scores', { criteria: [] })).statusCode).toBe(409);
    expect((await partnerView(id)).status).toBe('submitted');
    expect(refusalsIn(server).map((r) => r.status)).toEqual(expect.arrayContaining([409, 422]));
  });

  it('streams the recording whole or by byte range', async () => {
    const id = await submit(true);
    const none = await review('GET', id, '/recording');
    expect(none.statusCode).toBe(404);
    await uploadRecording(id);

    const whole = await review('GET', id, '/recording');
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['content-type']).toBe('video/webm');
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.rawPayload.equals(recording)).toBe(true);

    const part = await server.app.inject({
      method: 'GET',
      url: `/api/review/submissions/${id}/recording`,
      headers: { cookie: world.coach.cookie, range: 'bytes=100-199' },
    });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 100-199/5000');
    expect(part.rawPayload.equals(recording.subarray(100, 200))).toBe(true);

    const tail = await server.app.inject({
      method: 'GET',
      url: `/api/review/submissions/${id}/recording`,
      headers: { cookie: world.admin.cookie, range: 'bytes=-10' },
    });
    expect(tail.rawPayload.equals(recording.subarray(4990))).toBe(true);

    const outside = await server.app.inject({
      method: 'GET',
      url: `/api/review/submissions/${id}/recording`,
      headers: { cookie: world.coach.cookie, range: 'bytes=6000-' },
    });
    expect(outside.statusCode).toBe(416);
    expect(outside.headers['content-range']).toBe('bytes */5000');
    const byPartner = await review('GET', id, '/recording', undefined, world.partner.cookie);
    expect(byPartner.statusCode).toBe(403);
  });
});
