/**
 * What a hostile client sends the server: control characters and lone surrogates in text, a
 * recording declared as HTML, a manifest nested thousands deep or larger than the server accepts,
 * cookie-authenticated writes from another origin. Each is refused at validation (400, 403, 413),
 * never a 500, and every answer carries headers that stop a browser from running what it serves.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_CSP } from '../../../src/server/http/response-headers';
import { METRICS_MAX_DEPTH } from '../../../src/shared/sync/protocol';
import {
  backends,
  errorOf,
  openTestServer,
  recordingBytes,
  sampleManifest,
  seedWorld,
  send,
  type TestServer,
  unavailable,
  uploadPack,
  uploadRecording,
  type World,
} from './harness';

const MAX_RECORDING_BYTES = 1024 * 1024;

/** A manifest whose metrics are `depth` objects deep, as JSON text (too deep for a recursive stringify). */
function manifestWithNestedMetrics(programId: string, depth: number): string {
  const metrics = '{"inner":'.repeat(depth - 1) + '{"leaf":1}' + '}'.repeat(depth - 1);
  return JSON.stringify({ ...sampleManifest(programId), metrics: 'METRICS' }).replace('"METRICS"', metrics);
}

describe.each(backends)('input hardening (%s)', (backend) => {
  beforeEach((ctx) => {
    if (unavailable(backend))
      ctx.skip('no PostgreSQL here: set REHEARSE_TEST_DATABASE_URL (.ci/run starts one)');
  });
  let server: TestServer;
  let world: World;

  beforeEach(async () => {
    server = await openTestServer(backend, { maxRecordingBytes: MAX_RECORDING_BYTES });
    world = await seedWorld(server);
    await uploadPack(server, world);
  });
  afterEach(() => server.close());

  const submit = (manifest: object) =>
    send(server.app, 'POST', '/api/submissions', world.partner.deviceToken, manifest);

  describe('text', () => {
    it('refuses NUL, controls and lone surrogates in every kind of text field with 400', async () => {
      const cases: [string, string, string, string | undefined, object | undefined][] = [
        ['org name with NUL', 'POST', '/api/organisations', world.admin.cookie, { name: 'Acme\u0000' }],
        [
          'program title with lone surrogate',
          'POST',
          '/api/programs',
          world.admin.cookie,
          { title: 'P\ud800' },
        ],
        [
          'login email with NUL (unauthenticated)',
          'POST',
          '/api/auth/login',
          undefined,
          { email: 'a\u0000@b.test', password: 'x' },
        ],
        [
          'device name with NUL',
          'POST',
          '/api/devices/pair',
          undefined,
          { code: 'ABCD-EFGH', deviceName: 'PC\u0000' },
        ],
        [
          'invitation name with a control',
          'POST',
          '/api/invitations/accept',
          undefined,
          { token: 't', name: 'Zo\u0007e', password: 'x'.repeat(12) },
        ],
        ['path parameter with NUL', 'DELETE', '/api/devices/%00', world.partner.cookie, undefined],
        [
          'single-line name with a line break',
          'POST',
          '/api/organisations',
          world.admin.cookie,
          { name: 'Two\nlines' },
        ],
        [
          'manifest program id with NUL',
          'POST',
          '/api/submissions',
          world.partner.deviceToken,
          sampleManifest(`${world.programId}\u0000`),
        ],
      ];
      const outcomes = [];
      for (const [label, method, url, auth, body] of cases) {
        const response = await send(server.app, method, url, auth, body);
        outcomes.push({ label, status: response.statusCode, code: errorOf(response).code });
      }
      expect(outcomes).toEqual(cases.map(([label]) => ({ label, status: 400, code: 'INVALID_INPUT' })));
    });

    it('refuses unsafe text in comments, notes and transcripts, and keeps line breaks in comments', async () => {
      const manifest = sampleManifest(world.programId);
      const broken = structuredClone(manifest);
      broken.transcript.segments[0]!.text = 'It saves \u0000 hours.';
      const refused = await submit(broken);
      expect(refused.statusCode).toBe(400);
      expect(errorOf(refused).message).toMatch(/transcript\.segments\.0\.text/);
      expect((await submit(manifest)).statusCode).toBe(201);
      const base = `/api/review/submissions/${manifest.id}`;
      for (const body of [
        { at: null, text: 'bad \ud800 text' },
        { at: null, text: 'bad \u0000 text' },
      ])
        expect(
          (await send(server.app, 'POST', `${base}/comments`, world.coach.cookie, body)).statusCode,
        ).toBe(400);
      const note = await send(server.app, 'PUT', `${base}/scores`, world.coach.cookie, {
        criteria: [{ criterionId: 'value', coachScore: 1, note: 'x\u0000' }],
      });
      expect(note.statusCode).toBe(400);
      const ok = await send(server.app, 'POST', `${base}/comments`, world.coach.cookie, {
        at: 1,
        text: 'First line\n\tSecond line',
      });
      expect(ok.statusCode).toBe(201);
      expect(ok.json().text).toBe('First line\n\tSecond line');
    });

    it('stores text NFC-normalised', async () => {
      const created = await send(server.app, 'POST', '/api/organisations', world.admin.cookie, {
        name: 'Zoe\u0308 GmbH',
      });
      expect(created.statusCode).toBe(201);
      expect(created.json().name).toBe('Zo\u00eb GmbH');
    });
  });

  describe('recording media type', () => {
    it('refuses a recording declared as HTML, SVG, script or with a CRLF, and accepts what the app sends', async () => {
      const recording = recordingBytes(2000);
      for (const mime of [
        'text/html',
        'image/svg+xml',
        'application/javascript',
        'video/webm\r\nX-Injected: 1',
        'video/webm; charset=utf-8',
        'text/html;codecs=vp8',
      ]) {
        const response = await submit(sampleManifest(world.programId, { recording, mime }));
        expect({ mime, status: response.statusCode }).toEqual({ mime, status: 400 });
      }
      for (const mime of [
        'video/webm;codecs=vp8,opus',
        'video/webm; codecs="vp9,opus"',
        'audio/wav',
        'video/mp4',
      ])
        expect((await submit(sampleManifest(world.programId, { recording, mime }))).statusCode).toBe(201);
    });

    it('serves the recording with nosniff, a sandboxing CSP and an inline disposition with a safe name', async () => {
      const recording = recordingBytes(3000);
      const manifest = sampleManifest(world.programId, { recording, mime: 'video/webm;codecs=vp8,opus' });
      expect((await submit(manifest)).statusCode).toBe(201);
      await uploadRecording(server.app, world.partner.deviceToken, manifest.id, recording);
      const served = await send(
        server.app,
        'GET',
        `/api/review/submissions/${manifest.id}/recording`,
        world.coach.cookie,
      );
      expect(served.statusCode).toBe(200);
      expect(served.headers).toMatchObject({
        'content-type': 'video/webm;codecs=vp8,opus',
        'x-content-type-options': 'nosniff',
        'content-security-policy': API_CSP,
        'content-disposition': `inline; filename="recording-${manifest.id}.webm"`,
      });
    });

    it('serves a stored type outside the allow-list (written before it existed) as application/octet-stream', async () => {
      const recording = recordingBytes(1000);
      const manifest = sampleManifest(world.programId, { recording });
      expect((await submit(manifest)).statusCode).toBe(201);
      await uploadRecording(server.app, world.partner.deviceToken, manifest.id, recording);
      await server.db
        .updateTable('submissions')
        .set({ recording_mime: 'text/html' })
        .where('id', '=', manifest.id)
        .execute();
      const served = await send(
        server.app,
        'GET',
        `/api/review/submissions/${manifest.id}/recording`,
        world.coach.cookie,
      );
      expect(served.headers['content-type']).toBe('application/octet-stream');
    });
  });

  describe('manifest bounds', () => {
    it('refuses metrics nested deeper than the limit with 400, not 500', async () => {
      const submitText = (payload: string) =>
        server.app.inject({
          method: 'POST',
          url: '/api/submissions',
          headers: {
            authorization: `Bearer ${world.partner.deviceToken}`,
            'content-type': 'application/json',
          },
          payload,
        });
      for (const depth of [5000, METRICS_MAX_DEPTH + 1]) {
        const response = await submitText(manifestWithNestedMetrics(world.programId, depth));
        expect({ depth, status: response.statusCode }).toEqual({ depth, status: 400 });
        expect(errorOf(response).message).toMatch(/metrics.*nested at most 32 levels/);
      }
      const atLimit = await submitText(manifestWithNestedMetrics(world.programId, METRICS_MAX_DEPTH));
      expect(atLimit.statusCode).toBe(201);
    });

    it('refuses a manifest declaring a recording over the server’s limit with 413 naming the limit', async () => {
      const manifest = sampleManifest(world.programId, { recording: recordingBytes(10) });
      manifest.recording!.bytes = MAX_RECORDING_BYTES + 1;
      const response = await submit(manifest);
      expect(response.statusCode).toBe(413);
      expect(errorOf(response).message).toContain(String(MAX_RECORDING_BYTES));
      const stored = await server.db.selectFrom('submissions').select('id').execute();
      expect(stored).toEqual([]);
    });
  });

  describe('responses and origins', () => {
    it('sends nosniff and the sandboxing CSP on JSON, error and tus answers; tus grants no CORS', async () => {
      const me = await send(server.app, 'GET', '/api/me', world.partner.cookie);
      const missing = await send(server.app, 'GET', '/api/nothing-here', undefined);
      const options = await server.app.inject({
        method: 'OPTIONS',
        url: '/api/uploads/',
        headers: { origin: 'https://evil.test', 'access-control-request-method': 'POST' },
      });
      for (const response of [me, missing, options])
        expect(response.headers).toMatchObject({
          'x-content-type-options': 'nosniff',
          'content-security-policy': API_CSP,
        });
      expect(options.headers['access-control-allow-origin']).toBeUndefined();
      expect(options.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('refuses cookie-authenticated writes from another origin, and lets same-origin, non-browser and device calls through', async () => {
      const host = 'localhost:80';
      const write = (url: string, headers: Record<string, string>, auth = world.partner.cookie) =>
        send(server.app, 'POST', url, auth, undefined, headers);
      const refused = [
        await write('/api/auth/logout', { origin: 'https://evil.test' }),
        await write('/api/devices/pairing-codes', { origin: 'https://evil.test' }),
        await write('/api/devices/pairing-codes', { origin: 'null' }),
        await write('/api/devices/pairing-codes', { referer: 'https://evil.test/page' }),
        await write('/api/devices/pairing-codes', { origin: `http://${host}.evil.test` }),
      ];
      expect(refused.map((r) => [r.statusCode, errorOf(r).code])).toEqual(
        refused.map(() => [403, 'FORBIDDEN']),
      );
      // the session survived the forged logout
      expect((await send(server.app, 'GET', '/api/me', world.partner.cookie)).statusCode).toBe(200);
      expect((await write('/api/devices/pairing-codes', { origin: `http://${host}` })).statusCode).toBe(201);
      expect(
        (await write('/api/devices/pairing-codes', { referer: `http://${host}/workspace/` })).statusCode,
      ).toBe(201);
      expect((await write('/api/devices/pairing-codes', {})).statusCode).toBe(201);
      // a device token, no cookie: not a browser's request, not checked
      const manifest = sampleManifest(world.programId);
      expect(
        (
          await send(server.app, 'POST', '/api/submissions', world.partner.deviceToken, manifest, {
            origin: 'https://evil.test',
          })
        ).statusCode,
      ).toBe(201);
    });
  });
});
