import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiEventName } from '../../../../../src/shared/api/contract';
import type { AttemptSync } from '../../../../../src/shared/api/types';
import { isAppError } from '../../../../../src/shared/errors';
import { submissionManifestSchema, type PublishedResult } from '../../../../../src/shared/sync/protocol';
import { getAttempt } from '../../../../../src/main/core/db/repositories/attempts';
import { getOutboxEntry } from '../../../../../src/main/core/db/repositories/sync';
import { getAttemptDetail } from '../../../../../src/main/core/attempts/attempts-service';
import { deleteAllPractice } from '../../../../../src/main/core/settings/settings-service';
import { createSyncClient, type SyncClient } from '../../../../../src/main/core/sync/sync-client';
import { openStore, type Store } from '../../../../../src/main/core/store';
import { deviceTokenPath } from '../../../../../src/main/core/sync/device-token';
import { postSubmission } from '../../../../../src/main/core/sync/server-api';
import type { SecretSealer } from '../../../../../src/main/core/sync/secret-sealer';
import { makeTempDir } from '../store/helpers';
import { analysedAttempt, importSamplePack } from './fixtures';
import { PAIRING_CODE, startFakeSyncServer, type FakeSyncServer } from './fake-sync-server';
import { rejection } from '../../../../helpers/rejection';

const CHUNK = 64 * 1024;

let dir: string;
let store: Store;
let server: FakeSyncServer;
let events: AttemptSync[];
const clients: SyncClient[] = [];

function client(options: { fetch?: typeof fetch; sealer?: SecretSealer } = {}): SyncClient {
  const c = createSyncClient({
    store,
    emit: (event: ApiEventName, payload: unknown) => {
      if (event === 'sync.changed') events.push(payload as AttemptSync);
    },
    backoff: { baseMs: 40, maxMs: 200 },
    pollIntervalMs: 60_000,
    uploadChunkSize: CHUNK,
    progressThrottleMs: 0,
    ...options,
  });
  clients.push(c);
  return c;
}

/** Polls `probe` until it gives a value: generous limits, so a busy machine is slow, not red. */
function until<T>(what: string, probe: () => Promise<T | undefined | null | false>): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await probe();
      if (!value) throw new Error(`still waiting for ${what}`);
      return value;
    },
    { timeout: 60_000, interval: 50 },
  );
}

const pair = (c: SyncClient) =>
  c.pair({ serverUrl: `${server.url}/`, code: PAIRING_CODE, deviceName: 'Rehearse on Linux' });

const stateOf = async (id: string) => (await getOutboxEntry(store.db, id))?.state;

beforeEach(async () => {
  dir = makeTempDir('rehearse-sync-');
  store = await openStore({ dataDir: dir });
  await importSamplePack(store);
  server = await startFakeSyncServer();
  events = [];
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.stop();
  await server.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('pairing', () => {
  it('stores the server, the device name and a 0600 token file', async () => {
    const c = client();
    const status = await pair(c);
    expect(status).toMatchObject({ serverUrl: server.url, deviceName: 'Rehearse on Linux', lastError: null });
    expect(status.pairedAt).not.toBeNull();
    const file = deviceTokenPath(dir);
    expect(path.relative(dir, file)).toBe(path.join('sync', 'device-token'));
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^rhd_/);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['device-token']);

    const unpaired = await c.unpair();
    expect(unpaired.serverUrl).toBeNull();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('with a sealer keeps a sealed envelope; without it, the status says to pair again', async () => {
    const sealer: SecretSealer = {
      kind: 'test-keychain',
      seal: (plain) => Promise.resolve(new Uint8Array(Buffer.from(plain, 'utf8').reverse())),
      open: (sealed) => Promise.resolve(Buffer.from(sealed).reverse().toString('utf8')),
    };
    const sealed = client({ sealer });
    await pair(sealed);
    const text = fs.readFileSync(deviceTokenPath(dir), 'utf8');
    expect(text).not.toMatch(/rhd_/);
    expect(JSON.parse(text)).toMatchObject({ v: 1, sealer: 'test-keychain' });
    if (process.platform !== 'win32') expect(fs.statSync(deviceTokenPath(dir)).mode & 0o777).toBe(0o600);
    await sealed.stop();

    const plain = client();
    plain.start();
    const status = await until('the token error in the status', async () => {
      const s = await plain.status();
      return s.lastError ? s : undefined;
    });
    expect(status.lastError).toContain('sealed with test-keychain, which is not available here');
    expect(status.lastError).toContain('Pair this device again');
  });

  it('says clearly when the code is wrong, the server unreachable, or not a Rehearse server', async () => {
    const c = client();
    const wrong = await rejection(c.pair({ serverUrl: server.url, code: 'WXYZ-0000', deviceName: 'd' }));
    expect(wrong).toMatchObject({ code: 'UNAUTHORIZED', message: 'The pairing code was not accepted' });

    const offline = client({ fetch: () => Promise.reject(new TypeError('fetch failed')) });
    const unreachable = await rejection(
      offline.pair({ serverUrl: server.url, code: PAIRING_CODE, deviceName: 'd' }),
    );
    expect(unreachable.message).toContain(`Could not reach ${server.url}`);

    const html = client({
      fetch: () => Promise.resolve(new Response('<html>hello</html>', { status: 200 })),
    });
    const foreign = await rejection(
      html.pair({ serverUrl: 'https://example.com', code: PAIRING_CODE, deviceName: 'd' }),
    );
    expect(foreign.message).toBe('https://example.com does not look like a Rehearse server');

    expect((await c.status()).serverUrl).toBeNull();
    expect(fs.existsSync(deviceTokenPath(dir))).toBe(false);
  });
});

describe('submitting', () => {
  it('builds a valid manifest and queues it, formal, before any network', async () => {
    const { id, data } = await analysedAttempt(store, 200_000);
    const c = client(); // not started: nothing may touch the network
    const sync = await c.submit(id, { includeRecording: true });
    expect(sync).toMatchObject({ attemptId: id, state: 'queued', includeRecording: true, progress: 0 });
    expect(events.at(-1)).toEqual(sync);
    expect(server.counters.posts).toBe(0);

    const row = await getOutboxEntry(store.db, id);
    const manifest = submissionManifestSchema.parse(JSON.parse(row?.manifestJson ?? 'null'));
    expect(manifest).toMatchObject({
      id,
      programId: 'acme-cert',
      scenarioId: 'elevator-pitch',
      packVersion: '1.0.0',
      recording: { kind: 'video', mime: 'video/webm', bytes: data.length },
      ai: { passed: expect.any(Boolean) as boolean, judgedBy: ['deterministic'] },
    });
    expect(manifest.ai.criteria[0]?.evidence[0]).toEqual({ quote: 'saves you hours', start: 0.8, end: 1.9 });
    expect(manifest.transcript.segments[0]?.text).toBe('This saves you hours every week.');
    expect((await getAttempt(store.db, id))?.mode).toBe('formal');

    // Formal attempts survive "delete all practice data".
    await deleteAllPractice(store);
    expect(await getAttempt(store.db, id)).toBeDefined();
    expect((await getAttemptDetail(store, id)).sync?.state).toBe('queued');
  });

  it('refuses an attempt that is not analysed', async () => {
    const { id } = await analysedAttempt(store, 0);
    await store.db.updateTable('attempts').set({ status: 'recorded' }).where('id', '=', id).execute();
    const refused = await rejection(client().submit(id, { includeRecording: false }));
    expect(refused).toMatchObject({ code: 'CONFLICT' });
    expect(await getOutboxEntry(store.db, id)).toBeUndefined();
  });

  it('uploads the recording with tus and ends uploaded, the server holding the exact bytes', async () => {
    const { id, data } = await analysedAttempt(store, 300_000);
    const c = client();
    await pair(c);
    c.start();
    await c.submit(id, { includeRecording: true });
    await until('uploaded', async () => (await stateOf(id)) === 'uploaded');
    expect(server.receivedBytes(id).equals(data)).toBe(true);
    expect(server.submissions.get(id)?.submission.status).toBe('submitted');
    const detail = await getAttemptDetail(store, id);
    expect(detail.sync).toMatchObject({ state: 'uploaded', progress: 1, lastError: null });
    expect(events.some((e) => e.state === 'uploading' && e.progress > 0 && e.progress < 1)).toBe(true);
    expect((await c.status()).outbox).toEqual({ queued: 0, uploading: 0, failed: 0, uploaded: 1 });
  });

  it('sends a transcript-only submission without any upload', async () => {
    const { id } = await analysedAttempt(store, 50_000);
    const c = client();
    await pair(c);
    c.start();
    const sync = await c.submit(id, { includeRecording: false });
    expect(sync.progress).toBe(1);
    await until('uploaded', async () => (await stateOf(id)) === 'uploaded');
    expect(server.submissions.get(id)?.manifest.recording).toBeNull();
    expect(server.counters.uploadsCreated).toBe(0);
    expect(server.counters.patchBytes).toBe(0);
  });
});

describe('offline, restarts and refusals', () => {
  it('backs off while the network fails, then succeeds once it is back', async () => {
    const { id } = await analysedAttempt(store, 0);
    await client().pair({ serverUrl: server.url, code: PAIRING_CODE, deviceName: 'd' });
    let online = false;
    let failures = 0;
    const flaky: typeof fetch = (input, init) => {
      if (!online) {
        failures++;
        return Promise.reject(new TypeError('fetch failed'));
      }
      return fetch(input, init);
    };
    const c = client({ fetch: flaky });
    c.start();
    await c.submit(id, { includeRecording: false });
    const failed = await until('failed with backoff', async () => {
      const row = await getOutboxEntry(store.db, id);
      return row && row.state === 'failed' && row.tries >= 2 ? row : undefined;
    });
    expect(failed.lastError).toMatch(/Could not reach the server/);
    expect(failed.nextAttemptAt).not.toBeNull();
    expect((await c.status()).lastError).toMatch(/Could not reach the server/);
    // Backoff, not a busy loop: a few tries in this time, not hundreds.
    expect(failures).toBeLessThan(20);

    online = true;
    await until('uploaded', async () => (await stateOf(id)) === 'uploaded');
    const status = await c.status();
    expect(status.lastError).toBeNull();
    expect(status.lastContactAt).not.toBeNull();
  });

  it('resumes an upload stopped mid-way from the stored upload URL without re-sending it', async () => {
    const size = 1024 * 1024;
    const { id, data } = await analysedAttempt(store, size);
    server.patchDelayMs = 25;
    const first = client();
    await pair(first);
    first.start();
    await first.submit(id, { includeRecording: true });
    await until('some bytes on the server', async () => server.counters.patchBytes >= 4 * CHUNK);
    await first.stop(); // the app quits mid-upload

    const stopped = await getOutboxEntry(store.db, id);
    expect(stopped?.state).toBe('uploading');
    expect(stopped?.uploadUrl).toMatch(new RegExp(`^${server.url}/api/uploads/`));
    const sentBefore = server.counters.patchBytes;
    expect(sentBefore).toBeLessThan(size);

    server.patchDelayMs = 0;
    const second = client(); // the next start
    second.start();
    await until('uploaded', async () => (await stateOf(id)) === 'uploaded');
    expect(server.counters.uploadsCreated).toBe(1);
    expect(server.counters.heads).toBeGreaterThanOrEqual(1);
    expect(server.receivedBytes(id).equals(data)).toBe(true);
    // Only the rest went the second time (a chunk cut short by the stop may be sent again).
    expect(server.counters.patchBytes).toBeLessThanOrEqual(size + CHUNK);
  });

  it('fails with a clear message once the server revokes the device (401), until paired again', async () => {
    const { id } = await analysedAttempt(store, 0);
    const c = client();
    await pair(c);
    server.revokeTokens();
    c.start();
    await c.submit(id, { includeRecording: false });
    const failed = await until('failed', async () => {
      const row = await getOutboxEntry(store.db, id);
      return row?.state === 'failed' ? row : undefined;
    });
    expect(failed.lastError).toMatch(/no longer paired/);
    expect(failed.nextAttemptAt).toBeNull();
    expect((await c.status()).lastError).toMatch(/no longer paired/);

    await pair(c); // a fresh token re-queues what failed
    await until('uploaded', async () => (await stateOf(id)) === 'uploaded');
  });

  it('fails with the server message when a different manifest already holds the id (409)', async () => {
    const { id } = await analysedAttempt(store, 0);
    const c = client();
    await pair(c);
    await c.submit(id, { includeRecording: false });
    const row = await getOutboxEntry(store.db, id);
    const manifest = submissionManifestSchema.parse(JSON.parse(row?.manifestJson ?? 'null'));
    // Someone else's manifest under this id, already on the server.
    const other = { ...manifest, durationSeconds: manifest.durationSeconds + 1 };
    server.submissions.set(id, {
      manifestJson: JSON.stringify(other),
      manifest: other,
      submission: {
        id,
        status: 'submitted',
        programId: other.programId,
        scenarioId: other.scenarioId,
        packVersion: other.packVersion,
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
        recordingBytesReceived: null,
        result: null,
      },
    });
    c.start();
    const failed = await until('failed', async () => {
      const r = await getOutboxEntry(store.db, id);
      return r?.state === 'failed' ? r : undefined;
    });
    expect(failed.lastError).toContain('A different submission already has this id');
  });
});

describe('results', () => {
  it('pulls the published result and shows it in attempt.get', async () => {
    const { id } = await analysedAttempt(store, 0);
    const c = client();
    await pair(c);
    c.start();
    await c.submit(id, { includeRecording: false });
    await until('uploaded', async () => (await stateOf(id)) === 'uploaded');
    await until('polled once', async () => (await getOutboxEntry(store.db, id))?.lastPolledAt);
    expect((await getAttemptDetail(store, id)).result).toBeNull();

    const result: PublishedResult = {
      decision: 'pass',
      criteria: [{ criterionId: 'value', aiScore: 1, coachScore: 0.75, note: 'Name the number of hours.' }],
      overallScore: 75,
      comments: [
        { id: 'c1', at: 1.2, text: 'Good hook.', author: 'Coach Kim', createdAt: new Date().toISOString() },
      ],
      publishedAt: new Date().toISOString(),
      coach: 'Coach Kim',
    };
    server.publish(id, result);
    await c.retry(); // polls now instead of in a few minutes
    const detail = await until('result', async () => {
      const d = await getAttemptDetail(store, id);
      return d.result ? d : undefined;
    });
    expect(detail.result).toEqual(result);
    expect(detail.sync?.remoteStatus).toBe('published');
    expect(events.some((e) => e.attemptId === id && e.remoteStatus === 'published')).toBe(true);
  });
});

/** A 127.0.0.1 address that refuses connections: a port that was just listened on, then closed. */
async function refusingUrl(): Promise<string> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const isPostSubmission = (input: Parameters<typeof fetch>[0], init?: RequestInit) =>
  String(input).endsWith('/api/submissions') && init?.method === 'POST';

const tooMany = () =>
  new Response(JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'Slow down' } }), {
    status: 429,
    headers: { 'content-type': 'application/json', 'retry-after': '1' },
  });

describe('error codes (src/shared/errors.ts)', () => {
  it('429 is RATE_LIMITED with its Retry-After, for a request and for pairing', async () => {
    const refused = await postSubmission(() => Promise.resolve(tooMany()), server.url, 'token', '{}').catch(
      (error: unknown) => error,
    );
    expect(isAppError(refused) && refused.code).toBe('RATE_LIMITED');
    expect(isAppError(refused) && refused.retryAfterSeconds).toBe(1);

    const c = client({ fetch: () => Promise.resolve(tooMany()) });
    const pairing = await c
      .pair({ serverUrl: server.url, code: PAIRING_CODE, deviceName: 'd' })
      .catch((error: unknown) => error);
    expect(isAppError(pairing) && pairing.code).toBe('RATE_LIMITED');
    expect(isAppError(pairing) && pairing.retryAfterSeconds).toBe(1);
  });

  it('a 429 submission waits the Retry-After before it is sent again, then goes', async () => {
    const { id } = await analysedAttempt(store, 0);
    await pair(client());
    const posts: number[] = [];
    const limited: typeof fetch = (input, init) => {
      if (!isPostSubmission(input, init)) return fetch(input, init);
      posts.push(Date.now());
      return posts.length === 1 ? Promise.resolve(tooMany()) : fetch(input, init);
    };
    const c = client({ fetch: limited }); // backoff alone would retry after 40 ms
    c.start();
    await c.submit(id, { includeRecording: false });
    const failed = await until('rate limited', async () => {
      const row = await getOutboxEntry(store.db, id);
      return row?.state === 'failed' ? row : undefined;
    });
    expect(failed.lastError).toContain('Slow down');
    expect(Date.parse(failed.nextAttemptAt ?? '') - (posts[0] ?? 0)).toBeGreaterThanOrEqual(1000);
    await until('uploaded', async () => (await stateOf(id)) === 'uploaded');
    expect(posts).toHaveLength(2);
    expect((posts[1] ?? 0) - (posts[0] ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('a refused connection is UNAVAILABLE: pairing says so, and a submission is retried', async () => {
    const refusing = await refusingUrl();
    const direct = await postSubmission(fetch, refusing, 'token', '{}').catch((error: unknown) => error);
    expect(isAppError(direct) && direct.code).toBe('UNAVAILABLE');

    const pairing = await client()
      .pair({ serverUrl: refusing, code: PAIRING_CODE, deviceName: 'd' })
      .catch((error: unknown) => error);
    expect(isAppError(pairing) && pairing.code).toBe('UNAVAILABLE');
    expect(isAppError(pairing) && pairing.message).toContain(`Could not reach ${refusing}`);

    const { id } = await analysedAttempt(store, 0);
    await pair(client());
    let down = true;
    const outage: typeof fetch = (input, init) =>
      fetch(down ? String(input).replace(server.url, refusing) : input, init);
    const c = client({ fetch: outage });
    c.start();
    await c.submit(id, { includeRecording: false });
    const failed = await until('retried after refused connections', async () => {
      const row = await getOutboxEntry(store.db, id);
      return row?.state === 'failed' && row.tries >= 2 ? row : undefined;
    });
    expect(failed.lastError).toMatch(/Could not reach the server/);
    expect(failed.nextAttemptAt).not.toBeNull();
    down = false;
    await until('uploaded', async () => (await stateOf(id)) === 'uploaded');
  });
});
