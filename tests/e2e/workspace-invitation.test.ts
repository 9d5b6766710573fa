/**
 * Joining the coach workspace from an invitation link, in Chromium against the real server on
 * 127.0.0.1: the invited coach picks a name and password and lands in the review queue; the same
 * link a second time is refused with a message.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace, CHROMIUM, launchChromium, screenshotDir } from './helpers/app';
import {
  login,
  openTestServer,
  seedUser,
  seedVendor,
  send,
  type TestServer,
} from '../integration/server/harness';

describe.skipIf(!existsSync(CHROMIUM))('accepting an invitation in the workspace', () => {
  let server: TestServer;
  let base: string;
  let browser: Browser;
  let link: string;

  beforeAll(async () => {
    buildWorkspace();
    server = await openTestServer('sqlite');
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    const vendor = await seedVendor(server.db, 'Northwind');
    const admin = await seedUser(server.db, { email: 'ada@northwind.test', role: 'admin', orgId: vendor.id });
    const invited = await send(server.app, 'POST', '/api/invitations', await login(server.app, admin.email), {
      email: 'cora@northwind.test',
      role: 'coach',
      orgId: vendor.id,
    });
    expect(invited.statusCode).toBe(201);
    link = `${base}/workspace/invitation#token=${(invited.json() as { token: string }).token}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('creates the account, signs the coach in, and refuses the same link again', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(link);
    await page.getByRole('heading', { name: 'Join the Rehearse workspace' }).waitFor();
    await page.getByLabel('Your name').fill('Cora Coach');
    await page.getByLabel('Password').fill('a long enough password');
    await page.screenshot({ path: path.join(screenshotDir, 'workspace-invitation.png') });
    await page.getByRole('button', { name: 'Create account and sign in' }).click();
    await page.getByRole('link', { name: 'Review queue' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/workspace/');
    expect(page.url()).not.toContain('token=');
    await page.getByText('Cora Coach (coach)').waitFor();

    // The link works once.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(link);
    await page.getByLabel('Your name').fill('Someone Else');
    await page.getByLabel('Password').fill('another long password');
    await page.getByRole('button', { name: 'Create account and sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/already|used|invalid|expired/i);
    for (const url of requests) expect(new URL(url).hostname).toBe('127.0.0.1');
    await page.close();
  });
});
