/**
 * The coach workspace end to end: a seeded server (a vendor, a partner with a paired device, a coach
 * of the program, a pack, a submission whose real WebM recording arrived over tus) listening on
 * 127.0.0.1, the workspace built with `vite build -c workspace.vite.config.ts`, and Chromium driving
 * it: sign-in (wrong password, then 429 with the wait), the queue and its filters, the review page
 * (evidence and words seek the video), scores, a pinned comment, publishing "needs work"; then the
 * partner's device sees the result. No request may leave 127.0.0.1, and the CSP must hold.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_CSP } from '../../src/server/routes/workspace-static';
import type { SubmissionManifest } from '../../src/shared/sync/protocol';
import { buildWorkspace, launchChromium, screenshotDir } from './helpers/app';
import {
  openTestServer,
  PASSWORD,
  sampleManifest,
  samplePack,
  seedWorld,
  send,
  type TestServer,
  uploadRecording,
  type World,
} from '../integration/server/harness';

const WORDS = ['It', 'saves', 'you', 'hours', 'every', 'single', 'week', 'honestly'];
const EVIDENCE_AT = 3.5;

/** 8 s of VP8 test pattern: a recording Chromium can really play and seek. */
function makeWebm(dir: string): Buffer {
  const file = path.join(dir, 'recording.webm');
  const made = spawnSync(
    'ffmpeg',
    [
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=160x120:rate=10',
      '-t',
      '8',
      '-c:v',
      'libvpx',
      '-b:v',
      '80k',
      '-an',
      '-y',
      file,
    ],
    {
      encoding: 'utf8',
    },
  );
  if (made.status !== 0) throw new Error(`ffmpeg failed: ${made.stderr}`);
  return fs.readFileSync(file);
}

function manifestWith(programId: string, recording: Buffer): SubmissionManifest {
  const base = sampleManifest(programId, { recording });
  return {
    ...base,
    durationSeconds: 8,
    transcript: {
      language: 'en',
      durationSeconds: 8,
      source: 'import',
      segments: [
        {
          start: 0.5,
          end: 7.5,
          text: WORDS.join(' '),
          words: WORDS.map((text, i) => ({ text, start: 0.5 + i * 0.9, end: 0.5 + i * 0.9 + 0.7 })),
        },
      ],
    },
    ai: {
      score: 72,
      passed: true,
      judgedBy: ['deterministic', 'llm'],
      criteria: [
        {
          criterionId: 'value',
          met: true,
          level: null,
          score: 1,
          rationale: 'Says it saves hours.',
          evidence: [{ quote: 'hours every week', start: EVIDENCE_AT, end: 5.5 }],
          judge: 'deterministic',
        },
        {
          criterionId: 'clarity',
          met: null,
          level: 4,
          score: 0.75,
          rationale: 'Clear and short.',
          evidence: [{ quote: 'It saves you', start: 0.5, end: 2.5 }],
          judge: 'llm',
        },
      ],
    },
  };
}

describe('coach workspace', () => {
  let server: TestServer;
  let world: World;
  let browser: Browser;
  let page: Page;
  let base: string;
  let submissionId: string;
  const requested: string[] = [];
  const cspViolations: string[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-workspace-e2e-'));

  beforeAll(async () => {
    buildWorkspace();
    const recording = makeWebm(tmp);
    server = await openTestServer('sqlite');
    world = await seedWorld(server);
    // The sample pack plus a rating criterion, so one criterion is met / not met and one is 0–100.
    const pack = samplePack(world.programId);
    const scenario = pack.scenarios[0]!;
    scenario.rubric.push({
      id: 'clarity',
      type: 'rating',
      title: 'Clarity',
      description: 'Speaks clearly.',
      weight: 1,
      required: false,
      passLevel: 3,
      levels: { 1: 'Unclear', 2: 'Hard to follow', 3: 'Mostly clear', 4: 'Clear', 5: 'Crisp' },
    });
    expect(
      (await send(server.app, 'POST', `/api/programs/${world.programId}/packs`, world.admin.cookie, { pack }))
        .statusCode,
    ).toBe(201);
    const manifest = manifestWith(world.programId, recording);
    submissionId = manifest.id;
    expect(
      (await send(server.app, 'POST', '/api/submissions', world.partner.deviceToken, manifest)).statusCode,
    ).toBe(201);
    await uploadRecording(server.app, world.partner.deviceToken, submissionId, recording);

    await server.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    context.on('request', (r) => requested.push(r.url()));
    // Anything not for our server is refused (and recorded above, so the test fails on it).
    await context.route('**/*', (route) =>
      route.request().url().startsWith(`${base}/`) ? route.continue() : route.abort(),
    );
    page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    fs.mkdirSync(screenshotDir, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('serves the app at /workspace/ with a strict CSP, falling back to index.html for app routes', async () => {
    const index = await fetch(`${base}/workspace/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(WORKSPACE_CSP);
    expect(index.headers.get('content-security-policy')).not.toMatch(/unsafe/);
    const html = await index.text();
    expect(html).toContain('<div id="root">');
    const deep = await fetch(`${base}/workspace/submissions/${submissionId}`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toBe(html);
    expect((await fetch(`${base}/workspace/assets/missing.js`)).status).toBe(404);
    const redirect = await fetch(`${base}/workspace`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/workspace/');
    // The API keeps its own sandboxing policy, not the workspace's.
    const apiPolicy = (await fetch(`${base}/health`)).headers.get('content-security-policy');
    expect(apiPolicy).toContain("default-src 'none'; sandbox");
    expect(apiPolicy).not.toBe(WORKSPACE_CSP);
  });

  it('signs in: a wrong password is said, the rate limit shows the wait', async () => {
    await page.goto(`${base}/workspace/`);
    const email = page.getByLabel('Email');
    const password = page.getByLabel('Password');
    await email.fill(world.coach.email);
    await password.fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Email or password is wrong');
    for (let i = 0; i < 4; i++) {
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForTimeout(150);
    }
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/Too many failed sign-ins\. Wait \d+ minutes?/);
    await page.screenshot({ path: path.join(screenshotDir, 'workspace-login-429.png') });
    // The window passes (the server's clock moves on); the right password now works.
    server.clock.advance(16 * 60 * 1000);
    await password.fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
  });

  it('lists the submission in the queue, filters it away and back', async () => {
    const row = page.locator(`tr[data-submission="${submissionId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(world.partner.email);
    expect(await row.textContent()).toContain('Program a');
    await page.screenshot({ path: path.join(screenshotDir, 'workspace-queue.png') });
    await page.getByLabel('Waiting').selectOption('1d');
    await page.getByText('No submission matches these filters.').waitFor();
    await page.screenshot({ path: path.join(screenshotDir, 'workspace-queue-empty.png') });
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.getByLabel('Partner company').selectOption({ index: 1 });
    await page.getByLabel('Scenario').selectOption('elevator-pitch');
    await row.waitFor();
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: /elevator-pitch/ }).waitFor();
    expect(page.url()).toBe(`${base}/workspace/submissions/${submissionId}`);
  });

  it('plays the recording in step with the transcript; evidence and words seek', async () => {
    await page.getByText('Nothing is sent to the partner until you publish').waitFor();
    await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 1);
    const duration = await page.evaluate(() => document.querySelector('video')!.duration);
    expect(duration).toBeGreaterThan(7);

    await page.getByRole('button', { name: /Play evidence at 0:03: hours every week/ }).click();
    await expect
      .poll(() => page.evaluate(() => document.querySelector('video')!.currentTime))
      .toBeCloseTo(EVIDENCE_AT, 1);
    // 3.5 s falls in "hours" (starts 3.2).
    await expect.poll(() => page.locator('.word[aria-current="true"]').textContent()).toBe('hours');

    await page.locator('.word', { hasText: 'you' }).click();
    await expect
      .poll(() => page.evaluate(() => document.querySelector('video')!.currentTime))
      .toBeCloseTo(2.3, 1);
    await expect.poll(() => page.locator('.word[aria-current="true"]').textContent()).toBe('you');
  });

  it('scores each criterion beside the AI, comments at a time and publishes needs work', async () => {
    const value = page.locator('[data-criterion="value"]');
    const clarity = page.locator('[data-criterion="clarity"]');
    expect(await value.locator('.ai-value').textContent()).toBe('met');
    expect(await clarity.locator('.ai-value').textContent()).toBe('75 / 100 (level 4 of 5)');
    await value.getByLabel('not met').check();
    await value.getByLabel(/Note for the partner/).fill('Name the hours saved with a number.');
    await clarity.getByLabel('Your score (0–100)').fill('40');
    // The AI's value stays visible beside the coach's.
    expect(await value.locator('.ai-value').textContent()).toBe('met');
    await page.getByRole('button', { name: 'Save scores' }).click();
    await page.getByText('Saved. Not sent to the partner.').waitFor();

    // The player is at 2.3 s ("you"): the comment is pinned there.
    await page.getByLabel('New comment').fill('Slow down here.');
    await page.getByLabel(/Pin to 0:02/).check();
    await page.getByRole('button', { name: 'Add comment' }).click();
    await page
      .locator('.comment', { hasText: 'Slow down here.' })
      .getByRole('button', { name: 'Play from 0:02' })
      .waitFor();

    // Before publishing, the partner sees no result.
    const before = (
      await send(server.app, 'GET', `/api/submissions/${submissionId}`, world.partner.deviceToken)
    ).json();
    expect(before).toMatchObject({ status: 'in-review', result: null });

    await page.screenshot({ path: path.join(screenshotDir, 'workspace-review.png'), fullPage: true });
    await page.getByLabel('Needs work').check();
    await page.getByRole('button', { name: 'Publish…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('This cannot be undone.').waitFor();
    await page.screenshot({ path: path.join(screenshotDir, 'workspace-publish-confirm.png') });
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByRole('heading', { name: 'Published: Needs work' }).waitFor();
    await page.screenshot({ path: path.join(screenshotDir, 'workspace-published.png'), fullPage: true });
  });

  it('shows the result to the partner’s device, and nothing left 127.0.0.1', async () => {
    const response = await send(
      server.app,
      'GET',
      `/api/submissions/${submissionId}`,
      world.partner.deviceToken,
    );
    expect(response.statusCode).toBe(200);
    const submission = response.json();
    expect(submission.status).toBe('published');
    expect(submission.result).toMatchObject({
      decision: 'needs-work',
      coach: world.coach.email,
      criteria: expect.arrayContaining([
        { criterionId: 'value', aiScore: 1, coachScore: 0, note: 'Name the hours saved with a number.' },
        { criterionId: 'clarity', aiScore: 0.75, coachScore: 0.4, note: null },
      ]),
      comments: [expect.objectContaining({ text: 'Slow down here.', at: 2.3 })],
    });

    expect(requested.length).toBeGreaterThan(5);
    expect(requested.filter((url) => !url.startsWith(`${base}/`))).toEqual([]);
    expect(requested.some((url) => url.includes(`/api/review/submissions/${submissionId}/recording`))).toBe(
      true,
    );
    expect(cspViolations).toEqual([]);
  });
});
