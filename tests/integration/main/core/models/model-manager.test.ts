import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogEntrySchema, type CatalogEntry } from '../../../../../src/main/core/models/catalog';
import type { DownloadProgress } from '../../../../../src/main/core/models/download';
import {
  createModelManager,
  defaultModelsDir,
  type ModelManager,
} from '../../../../../src/main/core/models/model-manager';
import { setLogSink } from '../../../../../src/main/core/util/logger';
import { isAppError } from '../../../../../src/shared/errors';
import { makeData, startModelServer, type FileSpec, type ModelServer } from './model-server';

const MB = 1024 * 1024;

let dir: string;
let server: ModelServer | undefined;
let logs: { level: string; message: string }[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rehearse-models-'));
  logs = [];
  setLogSink((line) => logs.push(line));
});

afterAll(() => setLogSink((line) => process.stderr.write(`${JSON.stringify(line)}\n`)));

afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

function entry(
  overrides: Partial<CatalogEntry> & Pick<CatalogEntry, 'id' | 'url' | 'fileName'>,
): CatalogEntry {
  return catalogEntrySchema.parse({
    name: `Test model ${overrides.id}`,
    stage: 'judge',
    licence: 'test',
    ...overrides,
  });
}

function manager(catalog: CatalogEntry[], modelsDir = join(dir, 'models')): ModelManager {
  return createModelManager({
    modelsDir,
    catalog,
    retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 20 },
    progressIntervalMs: 0,
  });
}

async function caught(promise: Promise<unknown>): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message, hint: error.hint };
    throw error;
  }
  throw new Error('expected a rejection');
}

async function sha256Of(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

describe('model manager against a real HTTP server', () => {
  it('downloads a file with monotonic progress ending at the total and a verified sha256', async () => {
    const { data, sha256 } = makeData(12 * MB);
    server = await startModelServer({ '/m.bin': { data, behaviour: { kind: 'normal' } } });
    const models = manager([
      entry({ id: 'm', fileName: 'm.bin', url: server.url('/m.bin'), bytes: data.length, sha256 }),
    ]);
    const events: DownloadProgress[] = [];

    const result = await models.install('m', { onProgress: (p) => events.push(p) });

    expect(result).toMatchObject({
      id: 'm',
      bytes: data.length,
      sha256,
      alreadyInstalled: false,
      resumedFrom: 0,
    });
    expect(await sha256Of(result.path)).toBe(sha256);
    expect(existsSync(`${result.path}.part`)).toBe(false);
    expect(events.length).toBeGreaterThan(2);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.receivedBytes).toBeGreaterThanOrEqual(events[i - 1]!.receivedBytes);
    }
    expect(events.at(-1)).toMatchObject({ receivedBytes: data.length, totalBytes: data.length });
    expect(events.every((e) => e.bytesPerSecond >= 0)).toBe(true);

    const listing = await models.list();
    expect(listing.models[0]).toMatchObject({
      status: 'installed',
      bytesOnDisk: data.length,
      hashChecked: true,
    });
    expect(await models.resolve('judge')).toBe(result.path);
    expect(await models.diskUsage()).toBeGreaterThanOrEqual(data.length);

    // A second install finds the file in place and downloads nothing.
    const again = await models.install('m');
    expect(again.alreadyInstalled).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('resumes with a Range request after the server drops the connection', async () => {
    const { data, sha256 } = makeData(10 * MB);
    const cutAt = 3_000_017;
    server = await startModelServer({ '/cut.bin': { data, behaviour: { kind: 'cut-first', bytes: cutAt } } });
    const models = manager([
      entry({ id: 'cut', fileName: 'cut.bin', url: server.url('/cut.bin'), bytes: data.length, sha256 }),
    ]);

    const events: DownloadProgress[] = [];
    const result = await models.install('cut', { onProgress: (p) => events.push(p) });

    // Bytes the client had received but not yet written when the socket died are lost, so the
    // resume point is what reached the disk: at most the cut, and exactly what the retry asked for.
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]!.range).toBeUndefined();
    expect(result.resumedFrom).toBeGreaterThan(0);
    expect(result.resumedFrom).toBeLessThanOrEqual(cutAt);
    expect(server.requests[1]!.range).toBe(`bytes=${result.resumedFrom}-`);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.receivedBytes).toBeGreaterThanOrEqual(events[i - 1]!.receivedBytes);
    }
    expect(await sha256Of(result.path)).toBe(sha256);
  });

  it('keeps the .part when cancelled and resumes from it on the next install', async () => {
    const { data, sha256 } = makeData(8 * MB);
    const spec: FileSpec = { data, behaviour: { kind: 'hold', bytes: 4 * MB } };
    server = await startModelServer({ '/c.bin': spec });
    const models = manager([
      entry({ id: 'c', fileName: 'c.bin', url: server.url('/c.bin'), bytes: data.length, sha256 }),
    ]);
    const controller = new AbortController();

    const failure = await caught(
      models.install('c', {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.receivedBytes >= MB) controller.abort();
        },
      }),
    );

    expect(failure.code).toBe('CANCELLED');
    const partPath = join(models.modelsDir, 'c.bin.part');
    const partBytes = (await stat(partPath)).size;
    expect(partBytes).toBeGreaterThan(0);
    expect(partBytes).toBeLessThan(data.length);
    expect(existsSync(join(models.modelsDir, 'c.bin'))).toBe(false);
    expect((await models.list()).models[0]).toMatchObject({ status: 'partial', partBytes });

    spec.behaviour = { kind: 'normal' };
    const result = await models.install('c');

    expect(server.requests.at(-1)!.range).toBe(`bytes=${partBytes}-`);
    expect(result.resumedFrom).toBe(partBytes);
    expect(await sha256Of(result.path)).toBe(sha256);
  });

  it('starts over when the server ignores Range, and still verifies', async () => {
    const { data, sha256 } = makeData(6 * MB);
    server = await startModelServer({ '/i.bin': { data, behaviour: { kind: 'ignore-range' } } });
    const models = manager([
      entry({ id: 'i', fileName: 'i.bin', url: server.url('/i.bin'), bytes: data.length, sha256 }),
    ]);
    expect((await models.list()).models[0]!.status).toBe('missing'); // no folder yet
    await mkdir(models.modelsDir, { recursive: true });
    await writeFile(join(models.modelsDir, 'i.bin.part'), data.subarray(0, 2 * MB));

    const result = await models.install('i');

    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.range).toBe(`bytes=${2 * MB}-`);
    expect(result.resumedFrom).toBe(0);
    expect(await sha256Of(result.path)).toBe(sha256);
  });

  it('treats a complete .part answered with 416 as finished', async () => {
    const { data, sha256 } = makeData(2 * MB);
    server = await startModelServer({ '/done.bin': { data, behaviour: { kind: 'normal' } } });
    // bytes unknown to the catalog, so the manager has to ask the server
    const models = manager([
      entry({ id: 'done', fileName: 'done.bin', url: server.url('/done.bin'), sha256 }),
    ]);
    await mkdir(models.modelsDir, { recursive: true });
    await writeFile(join(models.modelsDir, 'done.bin.part'), data);

    const result = await models.install('done');

    expect(server.requests[0]!.range).toBe(`bytes=${data.length}-`);
    expect(result.sha256).toBe(sha256);
    expect(await sha256Of(result.path)).toBe(sha256);
  });

  it('rejects a checksum mismatch and leaves no file behind', async () => {
    const { data } = makeData(3 * MB);
    const wrong = createHash('sha256').update('something else').digest('hex');
    server = await startModelServer({ '/bad.bin': { data, behaviour: { kind: 'normal' } } });
    const models = manager([
      entry({
        id: 'bad',
        fileName: 'bad.bin',
        url: server.url('/bad.bin'),
        bytes: data.length,
        sha256: wrong,
      }),
    ]);

    const failure = await caught(models.install('bad'));

    expect(failure.code).toBe('CHECKSUM_MISMATCH');
    expect(failure.message).toContain(wrong);
    expect(existsSync(join(models.modelsDir, 'bad.bin'))).toBe(false);
    expect(existsSync(join(models.modelsDir, 'bad.bin.part'))).toBe(false);
    expect(await models.resolve('bad')).toBeNull();
  });

  it('refuses a server that offers another size than the pinned one', async () => {
    const { data, sha256 } = makeData(MB);
    server = await startModelServer({ '/size.bin': { data, behaviour: { kind: 'normal' } } });
    const models = manager([
      entry({
        id: 'size',
        fileName: 'size.bin',
        url: server.url('/size.bin'),
        bytes: data.length + 1,
        sha256,
      }),
    ]);

    const failure = await caught(models.install('size'));

    expect(failure.code).toBe('CHECKSUM_MISMATCH');
    expect(failure.message).toContain(String(data.length));
    expect(existsSync(join(models.modelsDir, 'size.bin'))).toBe(false);
  });

  it.each([404, 500])('fails with DOWNLOAD_FAILED naming HTTP %i', async (status) => {
    const { data, sha256 } = makeData(1024);
    server = await startModelServer({ '/e.bin': { data, behaviour: { kind: 'status', status } } });
    const models = manager([
      entry({ id: 'e', fileName: 'e.bin', url: server.url('/e.bin'), bytes: data.length, sha256 }),
    ]);

    const failure = await caught(models.install('e'));

    expect(failure.code).toBe('DOWNLOAD_FAILED');
    expect(failure.message).toContain(`HTTP ${status}`);
    expect(failure.hint).toContain(models.modelsDir);
    // 404 is final; 500 is retried (3 retries configured) before giving up
    expect(server.requests).toHaveLength(status === 404 ? 1 : 4);
    expect(logs.filter((l) => l.message.includes('retrying'))).toHaveLength(status === 404 ? 0 : 3);
    expect(existsSync(join(models.modelsDir, 'e.bin'))).toBe(false);
  });

  it('fails with DOWNLOAD_FAILED and the cause when nothing listens', async () => {
    server = await startModelServer({});
    const url = server.url('/gone.bin');
    await server.close();
    server = undefined;
    const models = manager([
      entry({ id: 'gone', fileName: 'gone.bin', url, bytes: 10, sha256: 'a'.repeat(64) }),
    ]);

    const failure = await caught(models.install('gone'));

    expect(failure.code).toBe('DOWNLOAD_FAILED');
    expect(failure.message).toMatch(/ECONNREFUSED/);
  });

  it('refuses an unpinned entry unless allowUnpinned, then records the hash it got', async () => {
    const { data, sha256 } = makeData(MB);
    server = await startModelServer({ '/u.bin': { data, behaviour: { kind: 'normal' } } });
    const unpinned = entry({ id: 'u', fileName: 'u.bin', url: server.url('/u.bin') });
    expect(unpinned.verified).toBe(false);
    const models = manager([unpinned]);

    const refusal = await caught(models.install('u'));
    expect(refusal.code).toBe('INVALID_INPUT');
    expect(refusal.hint).toContain('--allow-unpinned');
    expect(server.requests).toHaveLength(0);

    const result = await models.install('u', { allowUnpinned: true });
    expect(result).toMatchObject({ pinned: false, sha256 });
    const check = await models.verify('u');
    expect(check).toMatchObject({ outcome: 'ok', expectedSha256: sha256 });

    await writeFile(result.path, Buffer.concat([data.subarray(1), Buffer.from([0])]));
    expect((await models.verify('u')).outcome).toBe('mismatch');
  });

  it.skipIf(!existsSync('/dev/full'))('maps ENOSPC to DISK_FULL and keeps the .part', async () => {
    const { data, sha256 } = makeData(MB);
    server = await startModelServer({ '/full.bin': { data, behaviour: { kind: 'normal' } } });
    const models = manager([
      entry({ id: 'full', fileName: 'full.bin', url: server.url('/full.bin'), bytes: data.length, sha256 }),
    ]);
    await mkdir(models.modelsDir, { recursive: true });
    // Writes to /dev/full fail with ENOSPC, like a full disk.
    const partPath = join(models.modelsDir, 'full.bin.part');
    await symlink('/dev/full', partPath);

    const failure = await caught(models.install('full'));

    expect(failure.code).toBe('DISK_FULL');
    expect(failure.hint).toMatch(/resume/);
    expect(existsSync(partPath)).toBe(true);
    expect(existsSync(join(models.modelsDir, 'full.bin'))).toBe(false);
  });

  it('drops a stalled connection and fails after its retries', async () => {
    const { data, sha256 } = makeData(MB);
    server = await startModelServer({ '/stall.bin': { data, behaviour: { kind: 'hold', bytes: 1024 } } });
    const models = createModelManager({
      modelsDir: join(dir, 'models'),
      catalog: [
        entry({
          id: 'stall',
          fileName: 'stall.bin',
          url: server.url('/stall.bin'),
          bytes: data.length,
          sha256,
        }),
      ],
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1 },
      idleTimeoutMs: 150,
    });

    const failure = await caught(models.install('stall'));

    expect(failure.code).toBe('DOWNLOAD_FAILED');
    expect(failure.message).toMatch(/after 2 attempts: no data/);
    expect(server.requests.map((r) => r.range)).toEqual([undefined, 'bytes=1024-']);
  });

  it('allows only one install of a model at a time', async () => {
    const { data, sha256 } = makeData(2 * MB);
    const spec: FileSpec = { data, behaviour: { kind: 'hold', bytes: MB } };
    server = await startModelServer({ '/l.bin': spec });
    const models = manager([
      entry({ id: 'l', fileName: 'l.bin', url: server.url('/l.bin'), bytes: data.length, sha256 }),
    ]);

    const first = models.install('l');
    const second = await caught(models.install('l'));
    expect(second.code).toBe('CONFLICT');
    await server.holding();
    server.release();
    expect((await first).sha256).toBe(sha256);
  });
});

describe('models placed by hand (REHEARSE_MODELS_DIR)', () => {
  it('lists an existing file as installed, verifies it, resolves it and removes it', async () => {
    const { data, sha256 } = makeData(2 * MB);
    const userDir = join(dir, 'my-models');
    await mkdir(userDir);
    await writeFile(join(userDir, 'ggml-test.bin'), data);
    await writeFile(join(userDir, 'notes.txt'), 'mine');
    const modelsDir = defaultModelsDir(join(dir, 'data'), { REHEARSE_MODELS_DIR: userDir });
    expect(modelsDir).toBe(userDir);
    const catalog = [
      entry({
        id: 'vad',
        stage: 'vad',
        fileName: 'ggml-test.bin',
        url: 'http://127.0.0.1:9/x',
        bytes: data.length,
        sha256,
      }),
      entry({
        id: 'other',
        stage: 'vad',
        fileName: 'absent.bin',
        url: 'http://127.0.0.1:9/y',
        bytes: 5,
        sha256,
        recommended: true,
      }),
    ];
    const models = manager(catalog, modelsDir);

    const listing = await models.list();
    expect(listing.models.map((m) => [m.entry.id, m.status])).toEqual([
      ['vad', 'installed'],
      ['other', 'missing'],
    ]);
    expect(listing.models[0]!.hashChecked).toBe(false);
    expect(listing.extraFiles.map((f) => f.fileName)).toEqual(['notes.txt']);
    expect(await models.resolve('vad')).toBe(join(userDir, 'ggml-test.bin'));

    const hashed: number[] = [];
    const check = await models.verify('vad', { onProgress: (p) => hashed.push(p.hashedBytes) });
    expect(check).toMatchObject({ outcome: 'ok', sha256, bytes: data.length });
    expect(hashed.at(-1)).toBe(data.length);
    expect((await models.list()).models[0]!.hashChecked).toBe(true);

    const removed = await models.remove('vad');
    expect(removed.removedBytes).toBe(data.length);
    expect(existsSync(join(userDir, 'ggml-test.bin'))).toBe(false);
    expect(await models.resolve('vad')).toBeNull();
    expect(existsSync(join(userDir, 'notes.txt'))).toBe(true);
  });

  it('reports a file of the wrong size, or with a bad hash, as corrupt and does not resolve it', async () => {
    const { data, sha256 } = makeData(MB);
    const modelsDir = join(dir, 'models');
    await mkdir(modelsDir);
    const models = manager(
      [
        entry({
          id: 'short',
          stage: 'transcribe',
          fileName: 'short.bin',
          url: 'http://127.0.0.1:9/s',
          bytes: data.length,
          sha256,
        }),
        entry({
          id: 'flipped',
          stage: 'transcribe',
          fileName: 'flipped.bin',
          url: 'http://127.0.0.1:9/f',
          bytes: data.length,
          sha256,
        }),
      ],
      modelsDir,
    );
    await writeFile(join(modelsDir, 'short.bin'), data.subarray(0, 100));
    const flipped = Buffer.from(data);
    flipped[0] = flipped[0]! ^ 0xff;
    await writeFile(join(modelsDir, 'flipped.bin'), flipped);

    expect((await models.verify('flipped')).outcome).toBe('mismatch');
    const listing = await models.list();
    expect(listing.models.map((m) => m.status)).toEqual(['corrupt', 'corrupt']);
    expect(listing.models[0]!.problem).toContain('size');
    expect(listing.models[1]!.problem).toContain('SHA-256');
    expect(await models.resolve('transcribe')).toBeNull();
    expect((await caught(models.verify('missing-id'))).code).toBe('NOT_FOUND');
  });

  it('says MODEL_MISSING when verifying a model that is not there', async () => {
    const models = manager([
      entry({ id: 'x', fileName: 'x.bin', url: 'http://127.0.0.1:9/x', bytes: 1, sha256: 'b'.repeat(64) }),
    ]);
    expect((await caught(models.verify('x'))).code).toBe('MODEL_MISSING');
    expect(await models.diskUsage()).toBe(0);
  });
});
