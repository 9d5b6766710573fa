/**
 * The library screen in Debian's Chromium over the real core and loopback host (`rehearse serve`):
 * the empty state, importing the demo pack from it, and nothing leaving 127.0.0.1.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPack } from '../../src/main/core/packs/packs-service';
import { repoRoot } from '../helpers/run-cli';
import { buildApp, CHROMIUM, launchChromium, screenshotDir, startApp } from './helpers/app';
import { watchCspViolations } from './helpers/csp';

describe.skipIf(!existsSync(CHROMIUM))('library screen in Chromium', () => {
  let browser: Browser;
  let work: string;

  beforeAll(async () => {
    buildApp();
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-e2e-'));
    await fs.mkdir(screenshotDir, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await fs.rm(work, { recursive: true, force: true });
  });

  it('lists the imported demo program with each scenario’s status, with no request leaving 127.0.0.1', async () => {
    const app = await startApp({ dataDir: path.join(work, 'with-pack') });
    try {
      await importPack(app.core.store, path.join(repoRoot, 'resources/packs/demo'));
      const page = await browser.newPage();
      const cspViolations = watchCspViolations(page);
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(app.host.url);
      await page.getByRole('heading', { name: /FleetPulse Certified Partner/ }).waitFor();
      const items = await page.locator('.scenario-item').allTextContents();
      expect(items).toHaveLength(5);
      expect(items.join('\n')).toMatch(
        /Discovery call with a cold-chain distributor — discovery, 2 min 30 s, pass mark 65/,
      );
      expect(items.every((t) => t.includes('Not started'))).toBe(true);
      await page.screenshot({ path: path.join(screenshotDir, 'library.png'), fullPage: true });
      expect(requests.length).toBeGreaterThan(0);
      for (const url of requests) expect(new URL(url).hostname).toBe('127.0.0.1');
      expect(cspViolations).toEqual([]);
      await page.close();
    } finally {
      await app.close();
    }
  });

  it('shows the empty state and imports the demo pack from it', async () => {
    const app = await startApp({ dataDir: path.join(work, 'empty') });
    try {
      const page = await browser.newPage();
      const cspViolations = watchCspViolations(page);
      await page.goto(app.host.url);
      await page.getByRole('heading', { name: 'No scenario packs yet' }).waitFor();
      await page.screenshot({ path: path.join(screenshotDir, 'library-empty.png') });
      await page.getByRole('button', { name: 'Import the demo pack' }).click();
      await page.getByRole('heading', { name: /FleetPulse Certified Partner/ }).waitFor();
      await expect(page.getByRole('status').first().textContent()).resolves.toMatch(/Imported “FleetPulse/);
      expect(cspViolations).toEqual([]);
      await page.close();
    } finally {
      await app.close();
    }
  });

  it('refuses the API without the launch token, and pages from another host name', async () => {
    const app = await startApp({ dataDir: path.join(work, 'auth') });
    try {
      const call = (headers: Record<string, string>) =>
        fetch(`${app.host.origin}/api/programs.list`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: '{}',
        });
      expect((await call({})).status).toBe(401);
      expect((await call({ authorization: 'Bearer wrong' })).status).toBe(401);
      const ok = await call({ authorization: `Bearer ${app.host.token}` });
      expect(await ok.json()).toEqual({ ok: true, value: [] });
      // A DNS-rebinding page reaches 127.0.0.1 under its own host name (fetch cannot forge Host).
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          `${app.host.origin}/api/programs.list`,
          {
            method: 'POST',
            headers: {
              host: 'evil.example',
              authorization: `Bearer ${app.host.token}`,
              'content-type': 'application/json',
            },
          },
          (res) => resolve(res.statusCode ?? 0),
        );
        req.on('error', reject);
        req.end('{}');
      });
      expect(status).toBe(403);
    } finally {
      await app.close();
    }
  });
});
