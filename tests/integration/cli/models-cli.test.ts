import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { repoRoot, runCli, type CliResult } from '../../helpers/run-cli';
import {
  makeData,
  startModelServer,
  type FileSpec,
  type ModelServer,
} from '../main/core/models/model-server';

const KB = 1024;

describe('rehearse models', () => {
  let work: string;
  let dataDir: string;
  let modelsDir: string;
  let catalogFile: string;
  let server: ModelServer | undefined;

  beforeEach(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-models-cli-'));
    dataDir = path.join(work, 'data');
    modelsDir = path.join(work, 'models');
    catalogFile = path.join(work, 'catalog.json');
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await fs.rm(work, { recursive: true, force: true });
  });

  /** Writes a replacing catalog whose entries point at the test server. */
  async function writeCatalog(models: Array<Record<string, unknown>>): Promise<void> {
    await fs.writeFile(catalogFile, JSON.stringify({ replace: true, models }));
  }

  function cli(args: string[]): Promise<CliResult> {
    return runCli(args, {
      dataDir,
      env: { REHEARSE_MODELS_DIR: modelsDir, REHEARSE_MODEL_CATALOG: catalogFile },
    });
  }

  function entry(id: string, fileName: string, data: { data: Buffer; sha256: string } | null, url: string) {
    return {
      id,
      name: `Test ${id}`,
      stage: 'transcribe',
      fileName,
      bytes: data?.data.length ?? null,
      sha256: data?.sha256 ?? null,
      licence: 'MIT',
      url,
    };
  }

  it('installs, lists, verifies, detects corruption and removes a model', async () => {
    const model = makeData(300 * KB);
    const vad = makeData(20 * KB);
    server = await startModelServer({
      '/tiny.bin': { data: model.data, behaviour: { kind: 'normal' } },
      '/vad.bin': { data: vad.data, behaviour: { kind: 'normal' } },
    });
    await writeCatalog([
      { ...entry('tiny', 'tiny.bin', model, server.url('/tiny.bin')), recommended: true },
      { ...entry('vad', 'vad.bin', vad, server.url('/vad.bin')), stage: 'vad' },
    ]);

    const before = await cli(['--json', 'models', 'list']);
    expect(before.code).toBe(0);
    const listed = JSON.parse(before.stdout) as { modelsDir: string; models: Array<{ status: string }> };
    expect(listed.modelsDir).toBe(modelsDir);
    expect(listed.models.map((m) => m.status)).toEqual(['missing', 'missing']);

    const installed = await cli(['--json', 'models', 'install', 'tiny']);
    expect(installed.stderr).not.toMatch(/rehearse:/);
    expect(installed.code).toBe(0);
    const result = (JSON.parse(installed.stdout) as { installed: Array<Record<string, unknown>> }).installed;
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({
      id: 'tiny',
      sha256: model.sha256,
      bytes: model.data.length,
      pinned: true,
    });
    expect(await fs.readFile(path.join(modelsDir, 'tiny.bin'))).toEqual(model.data);

    // An unknown file in the folder is listed as extra and counted in the disk use.
    await fs.writeFile(path.join(modelsDir, 'notes.txt'), 'mine');
    const after = await cli(['--json', 'models', 'list']);
    const afterList = JSON.parse(after.stdout) as {
      models: Array<{ entry: { id: string }; status: string }>;
      extraFiles: Array<{ fileName: string }>;
      totalBytes: number;
    };
    expect(afterList.models.map((m) => [m.entry.id, m.status])).toEqual([
      ['tiny', 'installed'],
      ['vad', 'missing'],
    ]);
    expect(afterList.extraFiles.map((f) => f.fileName)).toEqual(['notes.txt']);
    expect(afterList.totalBytes).toBeGreaterThanOrEqual(model.data.length + 4);

    const text = await cli(['models', 'list']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^tiny\s+transcribe\s+300 KiB\s+installed\s+yes\s+MIT$/m);
    expect(text.stdout).toMatch(/^vad\s+vad\s+20 KiB\s+missing\s+MIT$/m);
    expect(text.stdout).toMatch(/notes\.txt/);
    expect(text.stdout).toContain(`Folder: ${modelsDir}`);

    const ok = await cli(['--json', 'models', 'verify']);
    expect(ok.code).toBe(0);
    const verified = (JSON.parse(ok.stdout) as { verified: Array<{ id: string; outcome: string }> }).verified;
    expect(verified).toEqual([expect.objectContaining({ id: 'tiny', outcome: 'ok' })]);

    // Flip one byte in the middle, keeping the size: only a re-hash can tell.
    const file = path.join(modelsDir, 'tiny.bin');
    const corrupted = Buffer.from(model.data);
    corrupted[1000] = (corrupted[1000] ?? 0) ^ 0xff;
    await fs.writeFile(file, corrupted);
    const bad = await cli(['models', 'verify', 'tiny']);
    expect(bad.code).toBe(6);
    expect(bad.stdout).toMatch(/✗ tiny/);
    expect(bad.stderr).toContain(file);
    expect(bad.stderr).toMatch(/rehearse models install tiny/);
    // The mismatch is now recorded, so list reports it without re-hashing.
    const listedBad = await cli(['models', 'list']);
    expect(listedBad.stdout).toMatch(/^tiny\s+\S+\s+300 KiB\s+corrupt/m);

    const removed = await cli(['--json', 'models', 'remove', 'tiny']);
    expect(removed.code).toBe(0);
    expect(JSON.parse(removed.stdout)).toEqual({
      removed: [{ id: 'tiny', removedBytes: model.data.length }],
    });
    await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    const gone = await cli(['--json', 'models', 'list']);
    expect((JSON.parse(gone.stdout) as { models: Array<{ status: string }> }).models[0]?.status).toBe(
      'missing',
    );
  });

  it('install --recommended installs every recommended entry and nothing else', async () => {
    const a = makeData(10 * KB);
    const b = makeData(12 * KB);
    const c = makeData(14 * KB);
    server = await startModelServer({
      '/a.bin': { data: a.data, behaviour: { kind: 'normal' } },
      '/b.bin': { data: b.data, behaviour: { kind: 'normal' } },
      '/c.bin': { data: c.data, behaviour: { kind: 'normal' } },
    });
    await writeCatalog([
      { ...entry('a', 'a.bin', a, server.url('/a.bin')), recommended: true },
      { ...entry('b', 'b.bin', b, server.url('/b.bin')), recommended: false },
      { ...entry('c', 'c.bin', c, server.url('/c.bin')), stage: 'judge', recommended: true },
    ]);
    const result = await cli(['models', 'install', '--recommended']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ a: installed/);
    expect(result.stdout).toMatch(/✓ c: installed/);
    expect((await fs.readdir(modelsDir)).sort()).toEqual(['.rehearse-models.json', 'a.bin', 'c.bin']);

    const again = await cli(['--json', 'models', 'install', 'a']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).installed[0].alreadyInstalled).toBe(true);
  });

  it('an unknown id exits 4 before anything is downloaded', async () => {
    const a = makeData(10 * KB);
    server = await startModelServer({ '/a.bin': { data: a.data, behaviour: { kind: 'normal' } } });
    await writeCatalog([entry('a', 'a.bin', a, server.url('/a.bin'))]);
    const result = await cli(['models', 'install', 'a', 'no-such-model']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/No model "no-such-model" in the catalog — Known models: a/);
    expect(server.requests).toHaveLength(0);

    const json = await cli(['--json', 'models', 'verify', 'no-such-model']);
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stderr).error.code).toBe('NOT_FOUND');
  });

  it('a server answering 500 exits 7 with the status in the message, after retrying', async () => {
    const a = makeData(10 * KB);
    server = await startModelServer({
      '/a.bin': { data: a.data, behaviour: { kind: 'status', status: 500 } },
    });
    await writeCatalog([entry('a', 'a.bin', a, server.url('/a.bin'))]);
    const result = await cli(['--json', 'models', 'install', 'a', '--retries', '1']);
    expect(result.code).toBe(7);
    const error = (
      JSON.parse(result.stderr.trim().split('\n').at(-1) ?? '{}') as { error: Record<string, string> }
    ).error;
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toMatch(/HTTP 500/);
    expect(server.requests).toHaveLength(2);
    await expect(fs.stat(path.join(modelsDir, 'a.bin'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a download that does not match its pin exits 7 and keeps nothing', async () => {
    const served = makeData(10 * KB);
    const pinned = makeData(10 * KB);
    server = await startModelServer({ '/a.bin': { data: served.data, behaviour: { kind: 'normal' } } });
    await writeCatalog([entry('a', 'a.bin', pinned, server.url('/a.bin'))]);
    const result = await cli(['models', 'install', 'a']);
    expect(result.code).toBe(7);
    expect(result.stderr).toMatch(/does not match its pin/);
    expect(await fs.readdir(modelsDir)).not.toContain('a.bin.part');
  });

  it('refuses an unpinned entry (exit 2) unless --allow-unpinned, then records its hash', async () => {
    const a = makeData(10 * KB);
    server = await startModelServer({ '/a.bin': { data: a.data, behaviour: { kind: 'normal' } } });
    await writeCatalog([entry('a', 'a.bin', null, server.url('/a.bin'))]);

    const refused = await cli(['models', 'install', 'a']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--allow-unpinned/);
    expect(server.requests).toHaveLength(0);

    const allowed = await cli(['--json', 'models', 'install', 'a', '--allow-unpinned']);
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout).installed[0]).toMatchObject({ pinned: false, sha256: a.sha256 });

    const text = await cli(['models', 'list']);
    expect(text.stdout).toMatch(/^a\s+\S+\s+10 KiB\s+installed \(unpinned\)/m);
    const ok = await cli(['--json', 'models', 'verify', 'a']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).verified[0]).toMatchObject({ outcome: 'ok', expectedSha256: a.sha256 });
  });

  it('Ctrl-C keeps the partial file, says how to resume, and the same command resumes', async () => {
    const a = makeData(512 * KB);
    const held = 200 * KB;
    const spec: FileSpec = { data: a.data, behaviour: { kind: 'hold', bytes: held } };
    server = await startModelServer({ '/a.bin': spec });
    await writeCatalog([entry('a', 'a.bin', a, server.url('/a.bin'))]);

    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'bin/rehearse.js'), 'models', 'install', 'a'],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          REHEARSE_DATA_DIR: dataDir,
          REHEARSE_LOG: 'silent',
          REHEARSE_MODELS_DIR: modelsDir,
          REHEARSE_MODEL_CATALOG: catalogFile,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = once(child, 'close') as Promise<[number | null]>;
    await server.holding();
    // The server has sent its bytes; wait until they reached the part file on disk.
    const part = path.join(modelsDir, 'a.bin.part');
    await vi.waitFor(
      async () => expect((await fs.stat(part).catch(() => null))?.size ?? 0).toBeGreaterThanOrEqual(held),
      { timeout: 60_000, interval: 50 },
    );
    child.kill('SIGINT');
    const [code] = await closed;
    expect(code).toBe(130);
    expect(stderr).toMatch(/cancelled \(200 KiB kept\) — Run the same command again to resume/);
    expect((await fs.stat(part)).size).toBe(held);

    const listed = await cli(['models', 'list']);
    expect(listed.stdout).toMatch(/^a\s+\S+\s+512 KiB\s+partial 39%/m);

    // The same command resumes with a Range request from where it stopped.
    spec.behaviour = { kind: 'normal' };
    const resumed = await cli(['--json', 'models', 'install', 'a']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout).installed[0]).toMatchObject({ resumedFrom: held, sha256: a.sha256 });
    expect(server.requests.at(-1)?.range).toBe(`bytes=${held}-`);
  });
});
