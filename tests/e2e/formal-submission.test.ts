/**
 * The formal-submission loop as people do it, in one Chromium with two pages: the partner in the
 * desktop app (the real core and loopback host of `rehearse serve`, Chromium's fake camera and a
 * spoken WAV as the microphone, the scripted transcriber of rehearse-flow.test.ts) and the coach in
 * the workspace served by the real sync server (SQLite) on 127.0.0.1.
 *
 * The partner records an answer and gets feedback, pairs the app in Settings → Sync server with a
 * code they get by signing in to the server's web pages, and submits the attempt with its recording from the review screen. The coach signs
 * in, opens it from the queue, scores it, pins a comment, and publishes "needs work". The partner
 * presses Retry now (the poll is every few minutes) and the review screen shows the decision and the
 * comment. The partner's page talks to nothing but the app's loopback host: the app's core, not the
 * page, talks to the server. Screenshots go to test-results/e2e/formal-*.png.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptDetail } from '../../src/shared/api/types';
import { createDeterministicJudge } from '../../src/main/ai/judges/deterministic';
import { loadPack } from '../../src/main/core/packs/pack-loader';
import { repoRoot } from '../helpers/run-cli';
import {
  login,
  openTestServer,
  PASSWORD,
  seedPartnerOrg,
  seedUser,
  seedVendor,
  send,
  type TestServer,
} from '../integration/server/harness';
import {
  buildApp,
  buildWorkspace,
  CHROMIUM,
  haveSpeechTools,
  launchChromium,
  screenshotDir,
  speak,
  startApp,
} from './helpers/app';
import { createScriptedTranscriber } from './helpers/scripted-transcriber';

const demo = path.join(repoRoot, 'resources/packs/demo');
const SCENARIO = 'Two-minute pitch to an operations director';
const COMMENT = 'Slow down here and name the pilot size.';
const NOTE = 'Say what the pilot costs before asking for the meeting.';

const SCRIPT = [
  'Hi Claire, thanks for the two minutes.',
  'You would see every one of your vehicles on one live map, updated every thirty seconds.',
  'I would suggest a thirty day pilot on ten vehicles from one depot.',
].join(' ');

describe.skipIf(!existsSync(CHROMIUM) || !haveSpeechTools)(
  'formal submission: partner app to coach and back',
  () => {
    let work: string;
    let server: TestServer;
    let serverUrl: string;
    let app: Awaited<ReturnType<typeof startApp>>;
    let browser: Browser;
    let partnerPage: Page;
    let coachPage: Page;
    let attemptId: string;
    let commentClock: string;
    const people = {
      partner: { email: 'sam@harbour.test', name: 'Sam Partner' },
      coach: { email: 'cora@northwind.test', name: 'Cora Coach' },
    };
    const partnerRequests: string[] = [];
    const coachRequests: string[] = [];
    const coachProblems: string[] = [];
    const shot = (page: Page, name: string) =>
      page.screenshot({ path: path.join(screenshotDir, `formal-${name}.png`), fullPage: true });

    beforeAll(async () => {
      buildApp();
      buildWorkspace();
      work = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-formal-'));
      await fs.mkdir(screenshotDir, { recursive: true });

      // (1) The server, set up by the vendor with the demo program and the same pack the partner has.
      server = await openTestServer('sqlite');
      const vendor = await seedVendor(server.db, 'Northwind Telematics');
      const partnerOrg = await seedPartnerOrg(server.db, vendor.id, 'Harbour IT');
      await seedUser(server.db, { ...people.partner, role: 'partner', orgId: partnerOrg.id });
      const coach = await seedUser(server.db, { ...people.coach, role: 'coach', orgId: vendor.id });
      const admin = await seedUser(server.db, {
        email: 'ada@northwind.test',
        role: 'admin',
        orgId: vendor.id,
      });
      const adminCookie = await login(server.app, admin.email);
      const { pack } = await loadPack(demo);
      const programs = `/api/programs/${pack.program.id}`;
      expect(
        (
          await send(server.app, 'POST', '/api/programs', adminCookie, {
            id: pack.program.id,
            title: pack.program.title,
          })
        ).statusCode,
      ).toBe(201);
      expect((await send(server.app, 'POST', `${programs}/packs`, adminCookie, { pack })).statusCode).toBe(
        201,
      );
      expect(
        (await send(server.app, 'PUT', `${programs}/partners/${partnerOrg.id}`, adminCookie)).statusCode,
      ).toBeLessThan(300);
      expect(
        (await send(server.app, 'PUT', `${programs}/coaches/${coach.id}`, adminCookie)).statusCode,
      ).toBeLessThan(300);
      await server.app.listen({ host: '127.0.0.1', port: 0 });
      serverUrl = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;

      // (2) The desktop app as `rehearse serve` starts it.
      const { wav, seconds } = speak(work, SCRIPT, { wordsPerMinute: 175, silenceAfter: 2 });
      app = await startApp({
        dataDir: path.join(work, 'data'),
        createPipelineDeps: async (store) => ({
          store,
          transcriber: async () => createScriptedTranscriber(SCRIPT, seconds),
          deterministicJudge: createDeterministicJudge(),
          llmJudge: null,
          llmUnavailableReason: 'no language model is installed',
        }),
      });

      browser = await launchChromium({ fakeAudioWav: wav });
      const partnerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      partnerContext.on('request', (r) => partnerRequests.push(r.url()));
      partnerPage = await partnerContext.newPage();
      partnerPage.on('websocket', (ws) => partnerRequests.push(ws.url()));
      const coachContext = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      coachContext.on('request', (r) => coachRequests.push(r.url()));
      coachPage = await coachContext.newPage();
      // Said when a step fails: what the coach's page could not load, and what it logged.
      coachPage.on('response', (r) => {
        if (r.status() >= 400) coachProblems.push(`${r.status()} ${r.url()}`);
      });
      coachPage.on('console', (m) => {
        if (m.type() === 'error') coachProblems.push(m.text());
      });
    });

    afterAll(async () => {
      await browser?.close();
      await app?.close();
      await server?.close();
      if (work) await fs.rm(work, { recursive: true, force: true });
    });

    async function detail(): Promise<AttemptDetail> {
      const result = await app.core.dispatch('attempt.get', { attemptId });
      if (!result.ok) throw new Error(result.error.message);
      return result.value as AttemptDetail;
    }

    it('the partner imports the demo pack, records an 8-second answer and gets feedback', async () => {
      const page = partnerPage;
      await page.goto(app.host.url);
      await page.getByRole('button', { name: 'Import the demo pack' }).click();
      await page.getByRole('heading', { name: /FleetPulse Certified Partner/ }).waitFor();
      await page.getByRole('button', { name: `Rehearse: ${SCENARIO}` }).click();
      await page.getByRole('heading', { name: SCENARIO }).waitFor();
      await page.waitForFunction(
        () => ((document.querySelector('video.preview') as HTMLVideoElement | null)?.videoWidth ?? 0) > 0,
      );
      await page.getByRole('button', { name: /then record|Start recording/ }).click();
      await page.getByRole('button', { name: 'Start now' }).click();
      await page.getByRole('button', { name: 'Stop' }).waitFor();
      await page.waitForFunction(
        () => {
          const m = /^(\d+):(\d+)/.exec(document.querySelector('.timer')?.textContent ?? '');
          return m !== null && Number(m[1]) * 60 + Number(m[2]) >= 8;
        },
        null,
        { timeout: 30_000, polling: 250 },
      );
      await page.getByRole('button', { name: 'Stop' }).click();
      await page.getByRole('button', { name: 'Get feedback' }).waitFor();
      const attempts = await app.core.dispatch('attempts.list', {});
      if (!attempts.ok) throw new Error(attempts.error.message);
      attemptId = (attempts.value as Array<{ id: string }>)[0]!.id;

      await page.getByRole('button', { name: 'Get feedback' }).click();
      await page.getByRole('region', { name: 'Result' }).waitFor({ timeout: 60_000 });
      const panel = page.getByRole('region', { name: 'Certification' });
      await panel.getByRole('button', { name: 'Submit for certification…' }).waitFor();
      await shot(page, 'feedback');
      const attempt = await detail();
      expect(attempt.durationSeconds).toBeGreaterThan(7.5);
      expect(attempt.feedback).not.toBeNull();
      expect(attempt.mode).toBe('practice');
    });

    it('the partner gets a code on the server’s web page and pairs the app in Settings → Sync server', async () => {
      // The partner signs in to the server's web pages in their browser and gets a pairing code.
      const web = await (await browser.newContext()).newPage();
      await web.goto(`${serverUrl}/workspace/`);
      await web.getByLabel('Email').fill(people.partner.email);
      await web.getByLabel('Password').fill(PASSWORD);
      await web.getByRole('button', { name: 'Sign in' }).click();
      await web.getByRole('heading', { name: 'Pair the Rehearse desktop app' }).waitFor();
      await web.getByRole('button', { name: 'Get a pairing code' }).click();
      const code = (await web.getByLabel('Pairing code').textContent())?.trim() ?? '';
      expect(code).toMatch(/^[A-Z0-9]{4}-?[A-Z0-9]{4}$/);
      await shot(web, 'pairing-code');

      const page = partnerPage;
      await page.getByRole('link', { name: 'Settings' }).click();
      const sync = page.getByRole('region', { name: 'Sync server' });
      await sync.getByLabel('Server address').fill(serverUrl);
      await sync.getByLabel('Pairing code').fill(code);
      await sync.getByLabel('Device name').fill('Sam’s laptop');
      await sync.getByRole('button', { name: 'Pair' }).click();
      await sync.getByText(serverUrl, { exact: true }).waitFor();
      await sync.getByText('Sam’s laptop', { exact: true }).waitFor();
      await sync.scrollIntoViewIfNeeded();
      await shot(page, 'paired');
      // The server's page now lists the paired device, which the partner could revoke there.
      await web.reload();
      await web.getByRole('cell', { name: 'Sam’s laptop' }).waitFor();
      await web.getByRole('button', { name: 'Revoke' }).waitFor();
      await web.context().close();
    });

    it('the partner submits the attempt with its recording and sees it sent', async () => {
      const page = partnerPage;
      await page.goBack();
      const panel = page.getByRole('region', { name: 'Certification' });
      await panel.getByRole('button', { name: 'Submit for certification…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Submit for certification' });
      await dialog.getByText(`(${serverUrl})`).waitFor();
      const include = dialog.getByLabel('Include the recording');
      await expect(include.isChecked()).resolves.toBe(true);
      await shot(page, 'submit-dialog');
      await dialog.getByRole('button', { name: 'Submit', exact: true }).click();
      await panel.getByText('Sent to the coach server').waitFor({ timeout: 60_000 });
      await panel.scrollIntoViewIfNeeded();
      await shot(page, 'submitted');
      const attempt = await detail();
      expect(attempt.mode).toBe('formal');
      expect(attempt.sync).toMatchObject({ state: 'uploaded', includeRecording: true });
    });

    it('the coach signs in, scores the submission, pins a comment and publishes needs work', async () => {
      const page = coachPage;
      await page.goto(`${serverUrl}/workspace/`);
      await page.getByLabel('Email').fill(people.coach.email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Review queue' }).waitFor();
      const row = page.locator(`tr[data-submission="${attemptId}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain(people.partner.email);
      await shot(page, 'queue');
      await row.getByRole('link').click();
      await page.getByRole('heading', { name: /pitch-operations-director/ }).waitFor();
      await page.getByText('Nothing is sent to the partner until you publish').waitFor();
      // The recording arrived and plays.
      await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 1, null, {
        timeout: 30_000,
      });

      // Every criterion scored: checks met or not, ratings a number; one note.
      const criteria = page.locator('[data-criterion]');
      const count = await criteria.count();
      expect(count).toBeGreaterThan(3);
      for (let i = 0; i < count; i++) {
        const criterion = criteria.nth(i);
        const id = await criterion.getAttribute('data-criterion');
        const rating = criterion.getByLabel('Your score (0–100)');
        if (await rating.count()) await rating.fill('55');
        else await criterion.getByLabel(id === 'next-step' ? 'not met' : 'met', { exact: true }).check();
        if (id === 'next-step') await criterion.getByLabel(/Note for the partner/).fill(NOTE);
      }
      await page.getByRole('button', { name: 'Save scores' }).click();
      await page.getByText('Saved. Not sent to the partner.').waitFor();

      // Move the player by clicking a word, then pin the comment at the player's current time.
      await page.locator('.word').nth(12).click();
      await expect
        .poll(() => page.evaluate(() => document.querySelector('video')!.currentTime))
        .toBeGreaterThan(0.5);
      await page.getByLabel('New comment').fill(COMMENT);
      const pin = page.getByLabel(/^Pin to \d+:\d\d/);
      commentClock = /Pin to (\d+:\d\d)/.exec((await pin.locator('..').textContent()) ?? '')?.[1] ?? '';
      expect(commentClock).toMatch(/^\d+:\d\d$/);
      await pin.check();
      await page.getByRole('button', { name: 'Add comment' }).click();
      await page
        .locator('.comment', { hasText: COMMENT })
        .getByRole('button', { name: `Play from ${commentClock}` })
        .waitFor();
      await shot(page, 'review');

      await page.getByLabel('Needs work').check();
      await page.getByRole('button', { name: 'Publish…' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('This cannot be undone.').waitFor();
      await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
      await page.getByRole('heading', { name: 'Published: Needs work' }).waitFor();
      await shot(page, 'published');
    });

    it('the partner presses Retry now and the review screen shows the decision and comment', async () => {
      const page = partnerPage;
      await page.getByRole('link', { name: 'Settings' }).click();
      const sync = page.getByRole('region', { name: 'Sync server' });
      await sync.getByText('1 sent · 0 waiting · 0 not sent yet').waitFor();
      await sync.getByRole('button', { name: 'Retry now' }).click();
      await expect
        .poll(async () => (await detail()).result?.decision, { timeout: 30_000 })
        .toBe('needs-work');

      await page.goBack();
      const panel = page.getByRole('region', { name: 'Certification' });
      await panel.getByRole('heading', { name: /Coach's decision: Needs work/ }).waitFor({ timeout: 30_000 });
      await panel.getByText('result published').waitFor();
      const comment = panel.getByRole('listitem').filter({ hasText: COMMENT });
      await comment.waitFor();
      expect(await comment.textContent()).toMatch(/Cora Coach|cora@northwind\.test/);
      await comment.getByRole('button', { name: commentClock }).waitFor();
      expect(await panel.getByRole('row').filter({ hasText: NOTE }).count()).toBe(1);
      await panel.scrollIntoViewIfNeeded();
      await shot(page, 'result');

      // The comment seeks the partner's own recording.
      await comment.getByRole('button', { name: commentClock }).click();
      const [m, s] = commentClock.split(':').map(Number) as [number, number];
      await expect
        .poll(() =>
          page.evaluate(
            () => (document.querySelector('video[aria-label="Recording"]') as HTMLVideoElement).currentTime,
          ),
        )
        .toBeGreaterThanOrEqual(m * 60 + s);
    });

    it('the partner page talked only to the app; the coach page only to the server', () => {
      const appOrigin = new URL(app.host.url).origin;
      const serverOrigin = new URL(serverUrl).origin;
      const local = (url: string) => url.startsWith('blob:') || url.startsWith('data:');
      expect(partnerRequests.length).toBeGreaterThan(10);
      expect(coachRequests.length).toBeGreaterThan(5);
      const loopback = [appOrigin, serverOrigin].map((o) => [o, o.replace(/^http/, 'ws')]).flat();
      const elsewhere = [...partnerRequests, ...coachRequests].filter(
        (url) => !local(url) && !loopback.includes(new URL(url).origin),
      );
      expect(elsewhere).toEqual([]);
      expect(partnerRequests.filter((url) => !local(url) && new URL(url).hostname !== '127.0.0.1')).toEqual(
        [],
      );
    });
  },
);
