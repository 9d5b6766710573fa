/**
 * The whole formal-submission loop across the real pieces: the desktop app's core (openCore, the
 * same dispatcher as the UI) and the real sync server listening on 127.0.0.1. A partner pairs the
 * app with a code from the server, submits an analysed attempt with its recording (tus upload),
 * a coach scores, comments and publishes through the review API, and the result comes back to the
 * attempt in the app. Nothing reaches the partner before publish.
 */
import fs from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEventName, ApiOutputs, ApiResult } from '../../../../../src/shared/api/contract';
import type { AttemptSync } from '../../../../../src/shared/api/types';
import { createDeterministicJudge } from '../../../../../src/main/ai/judges/deterministic';
import { openCore, type Core } from '../../../../../src/main/core/core';
import { loadPack } from '../../../../../src/main/core/packs/pack-loader';
import { analyzeAttempt } from '../../../../../src/main/core/pipeline/analysis-pipeline';
import { importPack } from '../../../../../src/main/core/packs/packs-service';
import { createAttemptFromFile } from '../../../../../src/main/core/capture/attempt-from-file';
import { repoRoot } from '../../../../helpers/run-cli';
import {
  backends,
  login,
  openTestServer,
  seedPartnerOrg,
  seedUser,
  seedVendor,
  send,
  type TestServer,
  unavailable,
} from '../../../server/harness';

const demo = path.join(repoRoot, 'resources/packs/demo');

async function ok<T>(promise: Promise<ApiResult<unknown>>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

/** Resolves with the first `sync.changed` for the attempt that satisfies `done`. */
function waitForSync(core: Core, attemptId: string, done: (s: AttemptSync) => boolean, timeoutMs = 30_000) {
  return new Promise<AttemptSync>((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error('timed out waiting for sync'))), timeoutMs);
    const off = core.onEvent((event: ApiEventName, payload: unknown) => {
      const s = payload as AttemptSync;
      if (event === 'sync.changed' && s.attemptId === attemptId && done(s)) {
        clearTimeout(timer);
        off();
        resolve(s);
      }
    });
  });
}

describe.each(backends)('formal submission from the app to the server and back (%s)', (backend) => {
  let work: string;
  let server: TestServer;
  let serverUrl: string;
  let core: Core;
  let partnerCookie: string;
  let coachCookie: string;
  /** How many of the next recording writes into the server's storage fail like a full disk. */
  let failingWrites: number;
  let storageWrites: number;

  beforeEach(async (ctx) => {
    if (unavailable(backend)) return ctx.skip('no PostgreSQL here: set REHEARSE_TEST_DATABASE_URL');
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-submit-'));
    failingWrites = 0;
    storageWrites = 0;
    server = await openTestServer(backend, {
      wrapStorage: (inner) => ({
        ...inner,
        async write(key, source) {
          storageWrites += 1;
          if (failingWrites > 0) {
            failingWrites -= 1;
            if ('destroy' in source) source.destroy();
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          }
          return inner.write(key, source);
        },
      }),
    });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    serverUrl = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;

    // The vendor sets up the demo program on the server with the same pack the partner has.
    const vendor = await seedVendor(server.db, 'Northwind Telematics');
    const partnerOrg = await seedPartnerOrg(server.db, vendor.id, 'Harbour IT');
    const partner = await seedUser(server.db, {
      email: 'sam@harbour.test',
      role: 'partner',
      orgId: partnerOrg.id,
    });
    const coach = await seedUser(server.db, {
      email: 'cora@northwind.test',
      role: 'coach',
      orgId: vendor.id,
    });
    const admin = await seedUser(server.db, { email: 'ada@northwind.test', role: 'admin', orgId: vendor.id });
    const adminCookie = await login(server.app, admin.email);
    const { pack } = await loadPack(demo);
    expect(
      (
        await send(server.app, 'POST', '/api/programs', adminCookie, {
          id: pack.program.id,
          title: pack.program.title,
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await send(server.app, 'POST', `/api/programs/${pack.program.id}/packs`, adminCookie, { pack }))
        .statusCode,
    ).toBe(201);
    await send(server.app, 'PUT', `/api/programs/${pack.program.id}/partners/${partnerOrg.id}`, adminCookie);
    await send(server.app, 'PUT', `/api/programs/${pack.program.id}/coaches/${coach.id}`, adminCookie);
    partnerCookie = await login(server.app, partner.email);
    coachCookie = await login(server.app, coach.email);

    core = await openCore({ dataDir: path.join(work, 'app'), transport: 'loopback', demoPackPath: null });
    await importPack(core.store, demo);
  });
  afterEach(async () => {
    await core?.close();
    await server?.close();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  /** An analysed practice attempt with a (synthetic) video recording, made with the real pipeline. */
  async function analysedAttempt(): Promise<string> {
    const text = path.join(work, 'answer.txt');
    await fs.writeFile(
      text,
      'You would see every one of your vehicles on one live map, updated every thirty seconds.\n' +
        'I would suggest a thirty day pilot on ten vehicles from one depot.\n',
    );
    const { attemptId } = await createAttemptFromFile(core.store, text, 'pitch-operations-director');
    await analyzeAttempt(
      {
        store: core.store,
        transcriber: () => Promise.reject(new Error('not needed: the transcript is stored')),
        deterministicJudge: createDeterministicJudge(),
        llmJudge: null,
      },
      attemptId,
    );
    await core.store.recordings.save({
      attemptId,
      kind: 'video',
      mime: 'video/webm;codecs=vp8,opus',
      data: new Uint8Array(700_000).map((_, i) => (i * 31) % 256),
    });
    return attemptId;
  }

  async function pair() {
    const { code } = (await send(server.app, 'POST', '/api/devices/pairing-codes', partnerCookie)).json() as {
      code: string;
    };
    return ok<ApiOutputs['sync.pair']>(
      core.dispatch('sync.pair', { serverUrl, code, deviceName: 'Sam’s laptop' }),
    );
  }

  it('uploads the recording, keeps the result hidden until publish, then brings it back to the attempt', async () => {
    const attemptId = await analysedAttempt();
    const status = await pair();
    expect(status).toMatchObject({ serverUrl, deviceName: 'Sam’s laptop' });

    const uploaded = waitForSync(core, attemptId, (s) => s.state === 'uploaded');
    const queued = await ok<ApiOutputs['attempt.submit']>(
      core.dispatch('attempt.submit', { attemptId, includeRecording: true }),
    );
    expect(queued.state).toMatch(/queued|uploading/);
    expect((await uploaded).progress).toBe(1);

    // The coach sees it in the queue, with the AI's draft, and the exact recording.
    const queue = (await send(server.app, 'GET', '/api/review/queue', coachCookie)).json() as {
      submissions: Array<{ id: string }>;
    };
    expect(queue.submissions.map((s) => s.id)).toEqual([attemptId]);
    const recording = await send(
      server.app,
      'GET',
      `/api/review/submissions/${attemptId}/recording`,
      coachCookie,
    );
    expect(recording.statusCode).toBe(200);
    expect(
      recording.rawPayload.equals(Buffer.from(new Uint8Array(700_000).map((_, i) => (i * 31) % 256))),
    ).toBe(true);
    const detail = (
      await send(server.app, 'GET', `/api/review/submissions/${attemptId}`, coachCookie)
    ).json() as {
      manifest: { ai: { criteria: Array<{ criterionId: string }> } };
    };
    const criteria = detail.manifest.ai.criteria.map((c) => c.criterionId);
    expect(criteria.length).toBeGreaterThan(3);

    // Scored but not published: the partner's app learns nothing yet.
    expect(
      (
        await send(server.app, 'PUT', `/api/review/submissions/${attemptId}/scores`, coachCookie, {
          criteria: criteria.map((criterionId) => ({ criterionId, coachScore: 0.5, note: null })),
          overallScore: 58,
        })
      ).statusCode,
    ).toBe(200);
    await send(server.app, 'POST', `/api/review/submissions/${attemptId}/comments`, coachCookie, {
      at: 4.2,
      text: 'Name the pilot size before you ask for the meeting.',
    });
    await ok(core.dispatch('sync.retry', {}));
    await waitForSync(core, attemptId, (s) => s.remoteStatus === 'in-review');
    expect(
      (await ok<ApiOutputs['attempt.get']>(core.dispatch('attempt.get', { attemptId }))).result,
    ).toBeNull();

    // Published: it flows back to the attempt on the next poll.
    expect(
      (
        await send(server.app, 'POST', `/api/review/submissions/${attemptId}/publish`, coachCookie, {
          decision: 'needs-work',
        })
      ).statusCode,
    ).toBe(200);
    await ok(core.dispatch('sync.retry', {}));
    await waitForSync(core, attemptId, (s) => s.remoteStatus === 'published');
    const after = await ok<ApiOutputs['attempt.get']>(core.dispatch('attempt.get', { attemptId }));
    expect(after.mode).toBe('formal');
    expect(after.result).toMatchObject({
      decision: 'needs-work',
      overallScore: 58,
      comments: [{ at: 4.2, text: 'Name the pilot size before you ask for the meeting.' }],
    });
  });

  it('marks a recording sent only once the server has accepted it, retrying a failed acceptance', async () => {
    failingWrites = 1;
    const attemptId = await analysedAttempt();
    await pair();
    const states: string[] = [];
    const offState = core.onEvent((event, payload) => {
      const s = payload as AttemptSync;
      if (event === 'sync.changed' && s.attemptId === attemptId && states.at(-1) !== s.state)
        states.push(s.state);
    });
    const uploaded = waitForSync(core, attemptId, (s) => s.state === 'uploaded');
    await ok(core.dispatch('attempt.submit', { attemptId, includeRecording: true }));
    const done = await uploaded;
    offState();

    // Every byte arrived at the first try, but storing it failed once; the app retried acceptance.
    expect(storageWrites).toBe(2);
    expect(states).toContain('failed');
    const row = await server.db
      .selectFrom('submissions')
      .select(['status', 'recording_storage_key'])
      .where('id', '=', attemptId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('submitted');
    expect(row.recording_storage_key).not.toBeNull();
    expect(done.remoteStatus).toBe('submitted');
    const recording = await send(
      server.app,
      'GET',
      `/api/review/submissions/${attemptId}/recording`,
      coachCookie,
    );
    expect(recording.statusCode).toBe(200);
    expect(recording.rawPayload.length).toBe(700_000);
  });

  it('submits transcript and scores without the recording when the partner chooses so', async () => {
    const attemptId = await analysedAttempt();
    await pair();
    const uploaded = waitForSync(core, attemptId, (s) => s.state === 'uploaded');
    await ok(core.dispatch('attempt.submit', { attemptId, includeRecording: false }));
    expect((await uploaded).includeRecording).toBe(false);
    const recording = await send(
      server.app,
      'GET',
      `/api/review/submissions/${attemptId}/recording`,
      coachCookie,
    );
    expect(recording.statusCode).toBe(404);
    const queue = (await send(server.app, 'GET', '/api/review/queue', coachCookie)).json() as {
      submissions: Array<{ id: string }>;
    };
    expect(queue.submissions.map((s) => s.id)).toEqual([attemptId]);
  });
});
