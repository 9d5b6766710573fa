/**
 * `rehearse serve` as a user runs it: prints its 127.0.0.1 address with a token, serves the
 * renderer and the API, holds the data folder, refuses a busy port, and stops cleanly on Ctrl-C.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../../helpers/run-cli';
import { closedByServer, rawRequest, upgradeHeaders } from '../main/serve/helpers';

function startServe(dataDir: string, args: string[] = []) {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/rehearse.js'), 'serve', ...args], {
    cwd: repoRoot,
    env: { ...process.env, REHEARSE_DATA_DIR: dataDir, REHEARSE_LOG: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /running at (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

describe('rehearse serve', () => {
  let work: string;
  beforeAll(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-serve-'));
    if (!existsSync(path.join(repoRoot, 'out/renderer/index.html'))) {
      const build = spawnSync(
        process.execPath,
        [path.join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
        { cwd: repoRoot },
      );
      if (build.status !== 0) throw new Error('electron-vite build failed');
    }
  });
  afterAll(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  it('serves the app and the API on 127.0.0.1 with a token, and stops cleanly on Ctrl-C', async () => {
    const dataDir = path.join(work, 'a');
    const serve = startServe(dataDir);
    const url = new URL(await serve.url);
    expect(url.hostname).toBe('127.0.0.1');
    const token = new URLSearchParams(url.hash.slice(1)).get('token')!;
    expect(token.length).toBeGreaterThanOrEqual(40);

    const page = await fetch(url.origin);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");

    const api = (method: string, body: unknown, auth = `Bearer ${token}`) =>
      fetch(`${url.origin}/api/${method}`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await api('app.info', {}, 'Bearer nope')).status).toBe(401);
    expect(await (await api('app.info', {})).json()).toMatchObject({
      ok: true,
      value: { transport: 'loopback', dataDir },
    });
    expect(
      await (await api('packs.import', { path: path.join(repoRoot, 'resources/packs/demo') })).json(),
    ).toMatchObject({
      ok: true,
      value: { outcome: 'created', scenarioCount: 5 },
    });
    expect(await (await api('no.such', {})).json()).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });

    // The data folder is held: the CLI says so instead of corrupting it.
    const second = await runCli(['packs', 'list'], { dataDir });
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/already (in use|open)|another Rehearse/i);

    serve.child.kill('SIGINT');
    expect(await serve.exited).toBe(0);
    const after = await runCli(['packs', 'list', '--json'], { dataDir });
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout).programs).toHaveLength(1);
  });

  it('stops within a few seconds on Ctrl-C with a browser still connected, and frees the data folder', async () => {
    const dataDir = path.join(work, 'd');
    const serve = startServe(dataDir);
    const url = new URL(await serve.url);
    const token = new URLSearchParams(url.hash.slice(1)).get('token')!;
    const port = Number(url.port);
    const host = `127.0.0.1:${port}`;
    const held: net.Socket[] = [];
    const keep = (socket: net.Socket) => held.push(socket);
    // What an open tab holds: the event WebSocket and a keep-alive connection for its requests.
    const ws = await rawRequest(
      port,
      `GET /api/events?token=${token} HTTP/1.1\r\n${upgradeHeaders(host, url.origin)}`,
      '',
      { keep },
    );
    expect(ws.status).toBe(101);
    const page = await rawRequest(port, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive`, '', {
      keep,
    });
    expect(page.status).toBe(200);
    expect(held).toHaveLength(2);
    const lock = path.join(dataDir, 'rehearse.lock');
    expect(existsSync(lock)).toBe(true);

    const started = Date.now();
    serve.child.kill('SIGINT');
    expect(await serve.exited).toBe(0);
    // The requirement is 2 s; the bound is generous so a busy machine does not fail the test.
    expect(Date.now() - started).toBeLessThan(15_000);
    await Promise.all(held.map((socket) => closedByServer(socket)));
    expect(existsSync(lock)).toBe(false);
    const after = await runCli(['packs', 'list', '--json'], { dataDir });
    expect(after.code).toBe(0);
  });

  it('says clearly when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const result = await runCli(['serve', '--port', String(port)], { dataDir: path.join(work, 'b') });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(`Port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('refuses a port that is not a number', async () => {
    const result = await runCli(['serve', '--port', 'eighty'], { dataDir: path.join(work, 'c') });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--port must be a whole number');
  });
});
