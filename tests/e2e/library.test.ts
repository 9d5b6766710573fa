/**
 * The real renderer bundle in Debian's Chromium, talking to the real core through the API
 * dispatcher over HTTP on 127.0.0.1 (the shape `rehearse serve` will have): the library lists an
 * imported pack, shows its empty state without one, and nothing leaves the machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/core/api/dispatcher';
import { createHandlers } from '../../src/main/core/api/handlers';
import { importPack } from '../../src/main/core/services/packs-service';
import { openStore, type Store } from '../../src/main/core/store';
import { repoRoot } from '../helpers/run-cli';

const CHROMIUM = '/usr/bin/chromium';
const rendererDir = path.join(repoRoot, 'out/renderer');
const screenshots = path.join(repoRoot, 'test-results/e2e');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

/** Static renderer files plus POST /api/<method>, guarded by a per-launch token. */
async function startHost(store: Store, token: string): Promise<{ url: string; close(): Promise<void> }> {
  const dispatch = createDispatcher(createHandlers({ store, version: 'test', transport: 'loopback' }));
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'POST' && url.pathname.startsWith('/api/')) {
      if (req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401).end();
      let body = '';
      for await (const chunk of req) body += chunk;
      const result = await dispatch(decodeURIComponent(url.pathname.slice(5)), JSON.parse(body || '{}'));
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    }
    const file = path.resolve(rendererDir, `.${url.pathname === '/' ? '/index.html' : url.pathname}`);
    if (!file.startsWith(rendererDir + path.sep) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(await fs.readFile(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(!existsSync(CHROMIUM))('library screen in Chromium', () => {
  let browser: Browser;
  let work: string;

  beforeAll(async () => {
    const build = spawnSync(
      process.execPath,
      [path.join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
      {
        cwd: repoRoot,
        encoding: 'utf8',
      },
    );
    if (build.status !== 0) throw new Error(`electron-vite build failed:\n${build.stderr}`);
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-e2e-'));
    await fs.mkdir(screenshots, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await fs.rm(work, { recursive: true, force: true });
  });

  async function show(store: Store, name: string) {
    const host = await startHost(store, `token-${name}`);
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(host.url);
    return { page, requests, close: async () => (await page.close(), await host.close()) };
  }

  it('lists the imported demo program and its scenarios, with no request leaving 127.0.0.1', async () => {
    const store = await openStore({ dataDir: path.join(work, 'with-pack') });
    try {
      await importPack(store, path.join(repoRoot, 'resources/packs/demo'));
      const { page, requests, close } = await show(store, 'pack');
      await page.getByRole('heading', { name: /FleetPulse Certified Partner/ }).waitFor();
      const items = await page.getByRole('listitem').allTextContents();
      expect(items).toHaveLength(5);
      expect(items.join('\n')).toMatch(
        /Discovery call with a cold-chain distributor — discovery, 2 min 30 s, pass mark 65/,
      );
      await page.screenshot({ path: path.join(screenshots, 'library.png'), fullPage: true });
      expect(requests.length).toBeGreaterThan(0);
      for (const url of requests) expect(new URL(url).hostname).toBe('127.0.0.1');
      await close();
    } finally {
      await store.close();
    }
  });

  it('shows the empty state, with the command to import the demo pack, when nothing is imported', async () => {
    const store = await openStore({ dataDir: path.join(work, 'empty') });
    try {
      const { page, close } = await show(store, 'empty');
      await page.getByRole('heading', { name: 'No scenario packs yet' }).waitFor();
      expect(await page.locator('code').textContent()).toBe('npx rehearse packs import resources/packs/demo');
      await page.screenshot({ path: path.join(screenshots, 'library-empty.png') });
      await close();
    } finally {
      await store.close();
    }
  });
});
