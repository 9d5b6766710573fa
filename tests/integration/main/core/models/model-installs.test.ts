import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogEntrySchema, type CatalogEntry } from '../../../../../src/main/core/models/catalog';
import { createModelManager } from '../../../../../src/main/core/models/model-manager';
import { createModelInstalls, type ModelInstalls } from '../../../../../src/main/core/models/model-installs';
import { setLogSink } from '../../../../../src/main/core/util/logger';
import type { ApiEventName, ApiEvents, EmitEvent } from '../../../../../src/shared/api/contract';
import { makeData, startModelServer, type FileSpec, type ModelServer } from './model-server';
import { makeTempDir } from '../store/helpers';
import { rejection } from '../../../../helpers/rejection';

const MB = 1024 * 1024;

type Recorded = { [E in ApiEventName]: { event: E; payload: ApiEvents[E]; at: number } }[ApiEventName];

/** Every event emitted, with a way to wait for the next one that matches. */
function eventLog() {
  const events: Recorded[] = [];
  const waiters: Array<{ match: (e: Recorded) => boolean; resolve: (e: Recorded) => void }> = [];
  const emit: EmitEvent = (event, payload) => {
    const recorded = { event, payload, at: Date.now() } as Recorded;
    events.push(recorded);
    for (const waiter of [...waiters])
      if (waiter.match(recorded)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(recorded);
      }
  };
  const finished = (modelId: string) =>
    new Promise<ApiEvents['model.finished']>((resolve) =>
      waiters.push({
        match: (e) => e.event === 'model.finished' && e.payload.modelId === modelId,
        resolve: (e) => resolve(e.payload as ApiEvents['model.finished']),
      }),
    );
  const progressed = (modelId: string) =>
    new Promise<ApiEvents['model.progressed']>((resolve) =>
      waiters.push({
        match: (e) => e.event === 'model.progressed' && e.payload.modelId === modelId,
        resolve: (e) => resolve(e.payload as ApiEvents['model.progressed']),
      }),
    );
  const progressOf = (modelId: string) =>
    events.flatMap((e) =>
      e.event === 'model.progressed' && e.payload.modelId === modelId ? [{ ...e.payload, at: e.at }] : [],
    );
  return { events, emit, finished, progressed, progressOf };
}

let dir: string;
let server: ModelServer | undefined;
let installs: ModelInstalls | undefined;

beforeEach(() => {
  dir = makeTempDir('rehearse-model-installs-');
  setLogSink(() => undefined);
});

afterEach(async () => {
  installs?.cancelAll();
  installs = undefined;
  await server?.close();
  server = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

afterAll(() => setLogSink((line) => process.stderr.write(`${JSON.stringify(line)}\n`)));

function entry(
  overrides: Partial<CatalogEntry> & Pick<CatalogEntry, 'id' | 'url' | 'fileName'>,
): CatalogEntry {
  return catalogEntrySchema.parse({
    name: `Model ${overrides.id}`,
    stage: 'transcribe',
    licence: 'MIT',
    ...overrides,
  });
}

async function setUp(
  files: Record<string, FileSpec>,
  catalog: (server: ModelServer) => CatalogEntry[],
  options: { fetch?: typeof fetch; progressIntervalMs?: number } = {},
) {
  server = await startModelServer(files);
  const log = eventLog();
  const manager = createModelManager({
    dataDir: dir,
    modelsDir: path.join(dir, 'models'),
    catalog: catalog(server),
    retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 10 },
    progressIntervalMs: 0,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  installs = await createModelInstalls({
    store: { dataDir: dir },
    emit: log.emit,
    manager,
    ...(options.progressIntervalMs === undefined ? {} : { progressIntervalMs: options.progressIntervalMs }),
  });
  return { log, installs, server };
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('model installs through a local server', () => {
  it('installs in the background with progress, a finished event, and the model listed as installed', async () => {
    const model = makeData(3 * MB + 17);
    const { log, installs } = await setUp(
      { '/m.bin': { data: model.data, behaviour: { kind: 'normal' } } },
      (s) => [
        entry({
          id: 'm',
          fileName: 'm.bin',
          url: s.url('/m.bin'),
          bytes: model.data.length,
          sha256: model.sha256,
        }),
      ],
    );

    const before = await installs.list();
    expect(before).toEqual([
      {
        id: 'm',
        name: 'Model m',
        stage: 'transcribe',
        bytes: model.data.length,
        licence: 'MIT',
        status: 'missing',
        path: null,
        installing: false,
      },
    ]);

    const finished = log.finished('m');
    expect(await installs.install('m')).toBe(true);
    expect(await installs.install('m')).toBe(false); // already running
    expect((await installs.list())[0]?.installing).toBe(true);
    expect(await finished).toEqual({ modelId: 'm', ok: true });

    const progress = log.progressOf('m');
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) expect(p.bytesTotal).toBe(model.data.length);
    const done = progress.map((p) => p.bytesDone);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    // Nothing comes after the finished event.
    expect(log.events.at(-1)?.event).toBe('model.finished');

    const [after] = await installs.list();
    const file = path.join(dir, 'models', 'm.bin');
    expect(after).toMatchObject({ status: 'installed', installing: false, path: file });
    expect(sha256(file)).toBe(model.sha256);
    expect(installs.modelsDir).toBe(path.join(dir, 'models'));
  });

  it('sends at most four progress events a second, the newest figure last', async () => {
    const model = makeData(4 * MB);
    // Slices the body into 64 KiB pieces 15 ms apart, so the manager reports far more often than 4/s.
    const slowFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const body = response.body;
      if (!body) return response;
      const reader = body.getReader();
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done) return controller.close();
          for (let i = 0; i < value.length; i += 64 * 1024) {
            controller.enqueue(value.subarray(i, i + 64 * 1024));
            await sleep(15);
          }
        },
        cancel: (reason) => reader.cancel(reason),
      });
      return new Response(stream, { status: response.status, headers: response.headers });
    };
    const { log, installs } = await setUp(
      { '/slow.bin': { data: model.data, behaviour: { kind: 'normal' } } },
      (s) => [
        entry({
          id: 'slow',
          fileName: 'slow.bin',
          url: s.url('/slow.bin'),
          bytes: model.data.length,
          sha256: model.sha256,
        }),
      ],
      { fetch: slowFetch },
    );
    const finished = log.finished('slow');
    const started = Date.now();
    await installs.install('slow');
    expect((await finished).ok).toBe(true);
    const elapsed = Date.now() - started;

    const progress = log.progressOf('slow');
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 1);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i]!.at - progress[i - 1]!.at).toBeGreaterThanOrEqual(245);
    expect(progress[0]?.phase).toBe('download');
  });

  it('cancels, keeps the partial download, refuses removal while installing, and resumes later', async () => {
    const model = makeData(2 * MB);
    const spec: FileSpec = { data: model.data, behaviour: { kind: 'hold', bytes: 512 * 1024 } };
    const { log, installs, server } = await setUp({ '/h.bin': spec }, (s) => [
      entry({
        id: 'h',
        fileName: 'h.bin',
        url: s.url('/h.bin'),
        bytes: model.data.length,
        sha256: model.sha256,
      }),
    ]);

    const cancelled = log.finished('h');
    const firstBytes = log.progressed('h');
    await installs.install('h');
    await server.holding();
    // The first bytes have reached the disk once they are reported.
    expect((await firstBytes).bytesDone).toBeGreaterThan(0);
    expect(await rejection(installs.remove('h'))).toMatchObject({ code: 'CONFLICT' });
    expect(installs.cancel('h')).toBe(true);
    expect(installs.cancel('h')).toBe(false); // already cancelling
    const outcome = await cancelled;
    expect(outcome).toMatchObject({ modelId: 'h', ok: false, error: { code: 'CANCELLED' } });
    expect(installs.cancel('h')).toBe(false);

    const [partial] = await installs.list();
    expect(partial).toMatchObject({ status: 'partial', installing: false, path: null });
    const part = path.join(dir, 'models', 'h.bin.part');
    expect(fs.statSync(part).size).toBeGreaterThan(0);

    spec.behaviour = { kind: 'normal' };
    const resumed = log.finished('h');
    expect(await installs.install('h')).toBe(true);
    expect(await resumed).toEqual({ modelId: 'h', ok: true });
    expect(server.requests.at(-1)?.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(sha256(path.join(dir, 'models', 'h.bin'))).toBe(model.sha256);

    expect(await installs.remove('h')).toEqual({ removed: true });
    expect(fs.existsSync(path.join(dir, 'models', 'h.bin'))).toBe(false);
    expect((await installs.list())[0]).toMatchObject({ status: 'missing', path: null });
    expect(await installs.remove('h')).toEqual({ removed: false });
  });

  it('cancelAll stops every running install', async () => {
    const a = makeData(MB);
    const { log, installs, server } = await setUp(
      { '/a.bin': { data: a.data, behaviour: { kind: 'hold', bytes: 1024 } } },
      (s) => [
        entry({ id: 'a', fileName: 'a.bin', url: s.url('/a.bin'), bytes: a.data.length, sha256: a.sha256 }),
      ],
    );
    const finished = log.finished('a');
    await installs.install('a');
    await server.holding();
    installs.cancelAll();
    expect(await finished).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });

  it('reports failures in the finished event and keeps the model listed as not installed', async () => {
    const good = makeData(256 * 1024);
    const { log, installs } = await setUp(
      {
        '/gone.bin': { data: good.data, behaviour: { kind: 'status', status: 404 } },
        '/wrong.bin': { data: good.data, behaviour: { kind: 'normal' } },
      },
      (s) => [
        entry({
          id: 'gone',
          fileName: 'gone.bin',
          url: s.url('/gone.bin'),
          bytes: good.data.length,
          sha256: good.sha256,
        }),
        entry({
          id: 'wrong',
          fileName: 'wrong.bin',
          url: s.url('/wrong.bin'),
          bytes: good.data.length,
          sha256: 'f'.repeat(64),
        }),
      ],
    );
    const gone = log.finished('gone');
    const wrong = log.finished('wrong');
    await installs.install('gone');
    await installs.install('wrong');
    expect(await gone).toMatchObject({ ok: false, error: { code: 'DOWNLOAD_FAILED' } });
    expect(await wrong).toMatchObject({ ok: false, error: { code: 'CHECKSUM_MISMATCH' } });
    const statuses = Object.fromEntries((await installs.list()).map((m) => [m.id, m.status]));
    expect(statuses).toEqual({ gone: 'missing', wrong: 'missing' });
  });

  it('refuses at once a model it does not know or cannot check, without starting anything', async () => {
    const { log, installs } = await setUp({}, (s) => [
      entry({ id: 'unpinned', fileName: 'u.bin', url: s.url('/u.bin') }),
    ]);
    expect(await rejection(installs.install('nope'))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await rejection(installs.install('unpinned'))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await rejection(installs.remove('nope'))).toMatchObject({ code: 'NOT_FOUND' });
    expect(installs.cancel('unpinned')).toBe(false);
    expect(log.events).toEqual([]);
  });
});

describe('model installs with a broken catalog', () => {
  it('still starts, and every models call reports the catalog problem', async () => {
    const catalogFile = path.join(dir, 'catalog.json');
    fs.writeFileSync(catalogFile, '{ not json');
    const previous = process.env.REHEARSE_MODEL_CATALOG;
    const previousDir = process.env.REHEARSE_MODELS_DIR;
    process.env.REHEARSE_MODEL_CATALOG = catalogFile;
    delete process.env.REHEARSE_MODELS_DIR;
    try {
      const log = eventLog();
      installs = await createModelInstalls({ store: { dataDir: dir }, emit: log.emit });
      expect(installs.modelsDir).toBe(path.join(dir, 'models'));
      expect(await rejection(installs.list())).toMatchObject({ code: 'INVALID_INPUT' });
      expect(await rejection(installs.install('whisper-base.en-q5_1'))).toMatchObject({
        code: 'INVALID_INPUT',
      });
      expect(installs.cancel('whisper-base.en-q5_1')).toBe(false);
    } finally {
      if (previous === undefined) delete process.env.REHEARSE_MODEL_CATALOG;
      else process.env.REHEARSE_MODEL_CATALOG = previous;
      if (previousDir !== undefined) process.env.REHEARSE_MODELS_DIR = previousDir;
    }
  });
});
