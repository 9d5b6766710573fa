/**
 * What a partner does, in Debian's Chromium against the real core and loopback host of
 * `rehearse serve`, with Chromium's fake camera and a WAV of a spoken pitch (espeak-ng) as the
 * microphone: import the demo pack, pick a scenario, record a 20-second answer, watch the analysis
 * finish, open the feedback, click an improvement and see the video seek, record a second attempt
 * and compare the two. Every request must stay on 127.0.0.1. Screenshots go to test-results/e2e.
 *
 * Transcription uses a scripted transcriber (see helpers/scripted-transcriber.ts): no speech model
 * with weights can be downloaded here. Everything else is the app's own code path.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptReview } from '../../src/shared/api/types';
import { createDeterministicJudge } from '../../src/main/ai/judges/deterministic';
import {
  buildApp,
  CHROMIUM,
  haveSpeechTools,
  launchChromium,
  screenshotDir,
  speak,
  startApp,
} from './helpers/app';
import { watchCspViolations } from './helpers/csp';
import { createScriptedTranscriber } from './helpers/scripted-transcriber';

/** A pitch built from the demo pack's own phrasings, with one forbidden promise in it. */
const SCRIPT = [
  'Hi Claire, thanks for the two minutes.',
  'You would see every one of your vehicles on one live map, updated every thirty seconds.',
  'FleetPulse shows you exactly where vehicles are idling, so you can go after that wasted fuel.',
  'Drivers do their walkaround checks on the app, and defects reach the workshop straight away.',
  'I would suggest a thirty day pilot on ten vehicles from one depot.',
].join(' ');

describe.skipIf(!existsSync(CHROMIUM) || !haveSpeechTools)('rehearse, record, feedback, compare', () => {
  let browser: Browser;
  let work: string;
  let app: Awaited<ReturnType<typeof startApp>>;
  let page: Page;
  const requests: string[] = [];
  let cspViolations: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    buildApp();
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-flow-'));
    await fs.mkdir(screenshotDir, { recursive: true });
    const { wav, seconds } = speak(work, SCRIPT, { wordsPerMinute: 165, silenceAfter: 4 });
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
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    cspViolations = watchCspViolations(page);
    page.on('request', (r) => requests.push(r.url()));
    page.on('websocket', (ws) => requests.push(ws.url()));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  async function recordAnswer(seconds: number, name?: string): Promise<string> {
    await page.getByRole('button', { name: /then record|Start recording/ }).click();
    await page.getByRole('button', { name: 'Start now' }).click();
    await page.getByRole('button', { name: 'Stop' }).waitFor();
    await page.waitForFunction(
      (s) =>
        /^(\d+):(\d+)/.test(document.querySelector('.timer')?.textContent ?? '') &&
        (() => {
          const [, m, sec] = /^(\d+):(\d+)/.exec(document.querySelector('.timer')!.textContent!)!;
          return Number(m) * 60 + Number(sec) >= s;
        })(),
      seconds,
      { timeout: (seconds + 20) * 1000, polling: 250 },
    );
    if (name) await shot(name);
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByRole('button', { name: 'Get feedback' }).waitFor();
    const attemptsBefore = await app.core.dispatch('attempts.list', {});
    if (!attemptsBefore.ok) throw new Error(attemptsBefore.error.message);
    return (attemptsBefore.value as Array<{ id: string }>)[0]!.id;
  }

  async function review(attemptId: string): Promise<AttemptReview> {
    const result = await app.core.dispatch('attempt.review', { attemptId });
    if (!result.ok) throw new Error(result.error.message);
    return result.value as AttemptReview;
  }

  it('imports the demo pack and opens a scenario with its brief and a live preview', async () => {
    await page.goto(app.host.url);
    await page.getByRole('button', { name: 'Import the demo pack' }).click();
    await page.getByRole('heading', { name: /FleetPulse Certified Partner/ }).waitFor();
    await page.getByRole('button', { name: 'Rehearse: Two-minute pitch to an operations director' }).click();
    await page.getByRole('heading', { name: 'Two-minute pitch to an operations director' }).waitFor();
    await expect(page.getByLabel('The customer says').textContent()).resolves.toMatch(/what is FleetPulse/);
    // The fake camera plays in the preview and the WAV moves the level meter.
    await page.waitForFunction(
      () => (document.querySelector('video.preview') as HTMLVideoElement | null)?.videoWidth ?? 0 > 0,
    );
    await page.waitForFunction(
      () => Number(document.querySelector('[role=meter]')?.getAttribute('aria-valuenow')) > 0,
      null,
      {
        timeout: 120_000,
      },
    );
    await shot('rehearse');
  });

  let first: string;
  it('records a 20-second answer that streams to the core as 16 kHz audio and WebM video', async () => {
    first = await recordAnswer(20, 'recording');
    await shot('recorded');
    const detail = (await review(first)).attempt;
    expect(detail.durationSeconds).toBeGreaterThanOrEqual(20);
    const audio = detail.recordings.find((r) => r.kind === 'audio')!;
    const video = detail.recordings.find((r) => r.kind === 'video')!;
    expect(audio.mime).toBe('audio/wav');
    // 16 kHz × 2 bytes × ~20 s, give or take the last block.
    expect(audio.bytes).toBeGreaterThan(16_000 * 2 * 19);
    expect(video.mime).toMatch(/^video\/webm/);
    expect(video.bytes).toBeGreaterThan(10_000);
  });

  it('analyses it with progress and shows the feedback', async () => {
    const stages: string[] = [];
    const off = app.core.onEvent((event, payload) => {
      const p = payload as { attemptId: string; stage: string; status: string };
      if (event === 'analysis.progressed' && p.attemptId === first && p.status === 'done')
        stages.push(p.stage);
    });
    await page.getByRole('button', { name: 'Get feedback' }).click();
    // The analysis screen shows the stages; it may already be done by the time it renders (then it
    // moves straight on to the feedback), so its screenshot is taken in settings-and-reload.test.ts.
    await page.getByRole('region', { name: 'Result' }).waitFor({ timeout: 60_000 });
    off();
    expect(stages).toEqual(['transcribe', 'measure', 'judge', 'feedback']);
    await page.getByRole('list', { name: 'Top improvements' }).waitFor();
    await shot('feedback');
    const { feedback, transcript } = await review(first);
    expect(feedback?.score).not.toBeNull();
    expect(transcript?.segments.length).toBeGreaterThan(0);
    // Key messages the partner said are found, with evidence.
    const said = feedback!.criteria.filter((c) => c.evidence.some((e) => e.quote));
    expect(said.length).toBeGreaterThan(0);
  });

  it('seeks the video to the moment of an improvement when it is clicked', async () => {
    const { feedback } = await review(first);
    const target = feedback!.improvements.find((i) => i.moment.at > 1)!;
    expect(target).toBeDefined();
    await page
      .getByRole('list', { name: 'Top improvements' })
      .getByRole('button')
      .nth(feedback!.improvements.indexOf(target))
      .click();
    await page.waitForFunction(
      (at) =>
        Math.abs(
          (document.querySelector('video[aria-label="Recording"]') as HTMLVideoElement).currentTime - at,
        ) < 1.5,
      target.moment.at,
      { timeout: 120_000 },
    );
    await shot('feedback-seek');
  });

  let second: string;
  it('records a second attempt and compares the two side by side', async () => {
    await page.getByRole('button', { name: /Practise again/ }).click();
    await page.getByRole('heading', { name: 'Two-minute pitch to an operations director' }).waitFor();
    await page.waitForFunction(
      () => (document.querySelector('video.preview') as HTMLVideoElement | null)?.videoWidth ?? 0 > 0,
    );
    second = await recordAnswer(10);
    expect(second).not.toBe(first);
    await page.getByRole('button', { name: 'Get feedback' }).click();
    await page.getByRole('region', { name: 'Result' }).waitFor({ timeout: 60_000 });

    await page.getByRole('link', { name: 'Progress' }).click();
    await page.getByRole('img').first().waitFor();
    await shot('progress');
    const boxes = page.getByRole('checkbox');
    await expect(boxes.count()).resolves.toBeGreaterThanOrEqual(2);
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole('button', { name: /Compare/ }).click();
    const table = page.getByRole('table', { name: 'Comparison' });
    await table.waitFor();
    await shot('compare');
    const text = (await table.textContent()) ?? '';
    expect(text).toMatch(/Score/);
  });

  it('sent nothing anywhere but 127.0.0.1', () => {
    expect(requests.length).toBeGreaterThan(20);
    const elsewhere = requests.filter(
      (url) => !url.startsWith('blob:') && !url.startsWith('data:') && new URL(url).hostname !== '127.0.0.1',
    );
    expect(elsewhere).toEqual([]);
  });

  it('ran the whole flow under the strict CSP without a single violation', () => {
    // The WebSocket to /api/events opened (connect-src 'self' covers same-origin ws: in CSP 3).
    expect(requests.some((url) => url.startsWith('ws://127.0.0.1:'))).toBe(true);
    expect(cspViolations).toEqual([]);
  });
});
