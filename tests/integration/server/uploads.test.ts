/** Recording uploads over tus: checks at creation, sha256 at the end, resuming across a restart. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  backends,
  openTestServer,
  recordingBytes,
  refusalsIn,
  sampleManifest,
  seedWorld,
  send,
  type TestServer,
  tusCreationHeaders,
  unavailable,
  uploadPack,
  type World,
} from './harness';

const MAX_BYTES = 256 * 1024;

describe.each(backends)('recording uploads over tus (%s)', (backend) => {
  beforeEach((ctx) => {
    if (unavailable(backend))
      ctx.skip('no PostgreSQL here: set REHEARSE_TEST_DATABASE_URL (.ci/run starts one)');
  });
  let server: TestServer;
  let world: World;

  beforeEach(async () => {
    server = await openTestServer(backend, { maxRecordingBytes: MAX_BYTES });
    world = await seedWorld(server);
    await uploadPack(server, world);
  });
  afterEach(() => server.close());

  const submitWith = async (recording: Buffer, declared?: Buffer) => {
    const manifest = sampleManifest(world.programId, { recording: declared ?? recording });
    const response = await send(server.app, 'POST', '/api/submissions', world.partner.deviceToken, manifest);
    expect(response.statusCode).toBe(201);
    expect(response.json().status).toBe('awaiting-recording');
    return manifest.id;
  };
  const create = (submissionId: string, length: number, token = world.partner.deviceToken) =>
    send(server.app, 'POST', '/api/uploads/', token, undefined, tusCreationHeaders(submissionId, length));
  const patch = (location: string, offset: number, chunk: Buffer) =>
    server.app.inject({
      method: 'PATCH',
      url: location,
      headers: {
        authorization: `Bearer ${world.partner.deviceToken}`,
        'tus-resumable': '1.0.0',
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
      },
      payload: chunk,
    });
  const head = (location: string) =>
    server.app.inject({
      method: 'HEAD',
      url: location,
      headers: { authorization: `Bearer ${world.partner.deviceToken}`, 'tus-resumable': '1.0.0' },
    });
  const submission = async (id: string) =>
    (await send(server.app, 'GET', `/api/submissions/${id}`, world.partner.deviceToken)).json();
  const storedRecordings = () => {
    const root = path.join(server.dataDir, 'recordings', world.partnerOrgId);
    return fs.existsSync(root) ? fs.readdirSync(root) : [];
  };

  it('takes the recording in two PATCHes, checks its sha256 and marks the submission submitted', async () => {
    const recording = recordingBytes(100_000);
    const id = await submitWith(recording);
    const created = await create(id, recording.length);
    expect(created.statusCode).toBe(201);
    const location = created.headers.location as string;
    expect(location).toMatch(/^\/api\/uploads\/[0-9a-f]+$/);

    expect((await patch(location, 0, recording.subarray(0, 40_000))).headers['upload-offset']).toBe('40000');
    expect(await submission(id)).toMatchObject({
      status: 'awaiting-recording',
      recordingBytesReceived: 40_000,
    });
    const last = await patch(location, 40_000, recording.subarray(40_000));
    expect(last.statusCode).toBe(204);
    expect(last.headers['upload-offset']).toBe('100000');

    expect(await submission(id)).toMatchObject({ status: 'submitted', recordingBytesReceived: 100_000 });
    const stored = path.join(server.dataDir, 'recordings', world.partnerOrgId, id, 'recording');
    expect(fs.readFileSync(stored).equals(recording)).toBe(true);
    expect(fs.readdirSync(path.join(server.dataDir, 'uploads'))).toEqual([]);
    expect(server.logs.some((l) => l.msg === 'recording received' && l.submissionId === id)).toBe(true);

    const again = await create(id, recording.length);
    expect(again.statusCode).toBe(409);
    expect((await head(location)).statusCode).toBe(404);
  });

  it('refuses a recording whose sha256 differs: the final PATCH fails, nothing is stored, a new upload may follow', async () => {
    const recording = recordingBytes(50_000);
    const id = await submitWith(recording);
    const location = (await create(id, recording.length)).headers.location as string;
    const tampered = Buffer.from(recording);
    tampered[123] = (tampered[123] ?? 0) ^ 0xff;
    const last = await patch(location, 0, tampered);
    expect(last.statusCode).toBe(422);
    expect(JSON.parse(last.body)).toMatchObject({ error: { code: 'CHECKSUM_MISMATCH' } });

    expect(await submission(id)).toMatchObject({ status: 'awaiting-recording', recordingBytesReceived: 0 });
    expect(storedRecordings()).toEqual([]);
    expect(fs.readdirSync(path.join(server.dataDir, 'uploads'))).toEqual([]);
    expect(refusalsIn(server)).toContainEqual(
      expect.objectContaining({
        status: 422,
        code: 'CHECKSUM_MISMATCH',
        reason: expect.stringContaining(id),
      }),
    );

    const retry = (await create(id, recording.length)).headers.location as string;
    expect((await patch(retry, 0, recording)).statusCode).toBe(204);
    expect((await submission(id)).status).toBe('submitted');
  });

  it('refuses creation with another length than the manifest’s, above the limit, or for an unknown submission', async () => {
    const recording = recordingBytes(1000);
    const id = await submitWith(recording);
    const mismatch = await create(id, 999);
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json().error.message).toContain('1000');

    // A manifest declaring more than the limit is refused before any upload (input-hardening.test.ts);
    // an Upload-Length over the limit is refused too, whatever the manifest says.
    expect((await create(id, MAX_BYTES + 1)).statusCode).toBe(413);
    expect((await create('6b1c1c9e-0000-4000-8000-000000000000', 1000)).statusCode).toBe(404);

    const missingMetadata = await send(
      server.app,
      'POST',
      '/api/uploads/',
      world.partner.deviceToken,
      undefined,
      {
        'tus-resumable': '1.0.0',
        'upload-length': '1000',
      },
    );
    expect(missingMetadata.statusCode).toBe(400);
    const anonymous = await send(
      server.app,
      'POST',
      '/api/uploads/',
      undefined,
      undefined,
      tusCreationHeaders(id, 1000),
    );
    expect(anonymous.statusCode).toBe(401);

    expect(fs.readdirSync(path.join(server.dataDir, 'uploads'))).toEqual([]);
    expect(refusalsIn(server).map((r) => r.status)).toEqual(expect.arrayContaining([422, 413, 404, 401]));
  });

  it('refuses bytes beyond the declared length', async () => {
    const recording = recordingBytes(1000);
    const id = await submitWith(recording);
    const location = (await create(id, recording.length)).headers.location as string;
    const tooMuch = await patch(location, 0, Buffer.concat([recording, recordingBytes(10)]));
    expect(tooMuch.statusCode).toBe(413);
    expect((await submission(id)).status).toBe('awaiting-recording');
    expect(storedRecordings()).toEqual([]);
  });

  it('resumes after a restart: HEAD gives the offset, the rest completes the upload', async () => {
    const recording = recordingBytes(120_000);
    const id = await submitWith(recording);
    const location = (await create(id, recording.length)).headers.location as string;
    expect((await patch(location, 0, recording.subarray(0, 70_000))).statusCode).toBe(204);

    await server.restart();

    const resumed = await head(location);
    expect(resumed.statusCode).toBe(200);
    expect(resumed.headers['upload-offset']).toBe('70000');
    expect(resumed.headers['upload-length']).toBe('120000');
    expect((await patch(location, 70_000, recording.subarray(70_000))).statusCode).toBe(204);
    expect(await submission(id)).toMatchObject({ status: 'submitted', recordingBytesReceived: 120_000 });
  });
});
