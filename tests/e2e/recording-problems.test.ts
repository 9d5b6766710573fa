/**
 * What the partner sees when capture goes wrong, in Chromium against the real core: access denied,
 * no camera (sound only), a microphone unplugged mid-recording (what was captured is kept), and a
 * recording cut off by a closed window (recovered as an interrupted attempt at the next start).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptDetail, AttemptSummary } from '../../src/shared/api/types';
import { importPack } from '../../src/main/core/packs/packs-service';
import { repoRoot } from '../helpers/run-cli';
import { buildApp, CHROMIUM, launchChromium, screenshotDir, startApp } from './helpers/app';

const SCENARIO = 'Rehearse: Two-minute pitch to an operations director';
const haveSox = spawnSync('sox', ['--version'], { stdio: 'ignore' }).status === 0;

/** Keeps every stream the page opens on window.__streams, so a test can end a track as an unplug would. */
const KEEP_STREAMS = `
  window.__streams = [];
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (c) => { const s = await original(c); window.__streams.push(s); return s; };
`;
/** A machine without a camera: video requests fail as Chromium fails them. */
const NO_CAMERA = `
  const original2 = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (c) => {
    if (c && c.video) throw new DOMException('Requested device not found', 'NotFoundError');
    return original2(c);
  };
`;

describe.skipIf(!existsSync(CHROMIUM) || !haveSox)('recording problems', () => {
  let work: string;
  let wav: string;
  let withDevices: Browser;
  let denied: Browser;

  beforeAll(async () => {
    buildApp();
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-problems-'));
    await fs.mkdir(screenshotDir, { recursive: true });
    wav = path.join(work, 'tone.wav');
    // A voice-like warbling tone is enough for the level meter and the recorder.
    const sox = spawnSync('sox', [
      '-n',
      '-r',
      '48000',
      '-c',
      '1',
      '-b',
      '16',
      wav,
      'synth',
      '30',
      'sine',
      '220-440',
      'tremolo',
      '4',
      '60',
    ]);
    if (sox.status !== 0) throw new Error(`sox failed: ${sox.stderr}`);
    withDevices = await launchChromium({ fakeAudioWav: wav });
    denied = await launchChromium({ fakeAudioWav: wav, grantMedia: false });
  });
  afterAll(async () => {
    await withDevices?.close();
    await denied?.close();
    await fs.rm(work, { recursive: true, force: true });
  });

  async function open(browser: Browser, dataDir: string, initScript?: string) {
    const app = await startApp({ dataDir });
    await importPack(app.core.store, path.join(repoRoot, 'resources/packs/demo'));
    const context = await browser.newContext();
    if (initScript) await context.addInitScript(initScript);
    const page = await context.newPage();
    await page.goto(app.host.url);
    await page.getByRole('button', { name: SCENARIO }).click();
    return { app, page, close: async () => (await context.close(), await app.close()) };
  }

  const attempts = async (app: Awaited<ReturnType<typeof startApp>>) => {
    const r = await app.core.dispatch('attempts.list', {});
    if (!r.ok) throw new Error(r.error.message);
    return r.value as AttemptSummary[];
  };

  async function startRecording(page: Page) {
    await page.getByRole('button', { name: /then record|Start recording/ }).click();
    await page.getByRole('button', { name: 'Start now' }).click();
    await page.getByRole('button', { name: 'Stop' }).waitFor();
  }

  it('says how to allow access when camera and microphone are denied', async () => {
    const { page, close } = await open(denied, path.join(work, 'denied'));
    try {
      const alert = page.getByRole('alert').filter({ hasText: 'not allowed' });
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(
        /not allowed to use the camera and microphone — Allow camera and microphone access/,
      );
      expect(await page.getByRole('button', { name: /then record|Start recording/ }).isDisabled()).toBe(true);
      await page.screenshot({ path: path.join(screenshotDir, 'rehearse-denied.png') });
    } finally {
      await close();
    }
  });

  it('records sound only when there is no camera', async () => {
    const { app, page, close } = await open(withDevices, path.join(work, 'no-camera'), NO_CAMERA);
    try {
      await page.getByText(/Recording sound only\. No camera was found/).waitFor();
      await startRecording(page);
      await page.waitForFunction(() => /0:0[3-9]/.test(document.querySelector('.timer')?.textContent ?? ''));
      await page.getByRole('button', { name: 'Stop' }).click();
      await page.getByRole('button', { name: 'Get feedback' }).waitFor();
      const [attempt] = await attempts(app);
      const detail = await app.core.dispatch('attempt.get', { attemptId: attempt!.id });
      if (!detail.ok) throw new Error(detail.error.message);
      const recordings = (detail.value as AttemptDetail).recordings;
      expect(recordings.map((r) => r.kind)).toEqual(['audio']);
      expect(await page.getByLabel('Your recording').evaluate((el) => el.tagName)).toBe('AUDIO');
    } finally {
      await close();
    }
  });

  it('keeps what was captured when the microphone is unplugged mid-recording', async () => {
    const { app, page, close } = await open(withDevices, path.join(work, 'unplugged'), KEEP_STREAMS);
    try {
      await startRecording(page);
      await page.waitForFunction(() => /0:0[3-9]/.test(document.querySelector('.timer')?.textContent ?? ''));
      // What the browser does when a device goes away: the track ends.
      await page.evaluate(() => {
        const streams = (window as unknown as { __streams: MediaStream[] }).__streams;
        const track = streams.at(-1)!.getAudioTracks()[0]!;
        track.stop();
        track.dispatchEvent(new Event('ended'));
      });
      await page.getByRole('button', { name: 'Get feedback' }).waitFor();
      await page.getByText(/A device was disconnected/).waitFor();
      const [attempt] = await attempts(app);
      expect(attempt!.status).toBe('recorded');
      expect(attempt!.durationSeconds).toBeGreaterThanOrEqual(3);
    } finally {
      await close();
    }
  });

  it('recovers a recording cut off by closing the window, at the next start', async () => {
    const dataDir = path.join(work, 'closed');
    const { app, page, close } = await open(withDevices, dataDir);
    await startRecording(page);
    await page.waitForFunction(() => /0:0[4-9]/.test(document.querySelector('.timer')?.textContent ?? ''));
    await page.close({ runBeforeUnload: false }); // the window goes away mid-recording
    const [cut] = await attempts(app);
    await close();

    const again = await startApp({ dataDir });
    try {
      const detail = await again.core.dispatch('attempt.get', { attemptId: cut!.id });
      if (!detail.ok) throw new Error(detail.error.message);
      const value = detail.value as AttemptDetail;
      expect(value.interrupted).toBe(true);
      expect(value.recordings.map((r) => r.kind).sort()).toEqual(['audio', 'video']);
      expect(value.durationSeconds).toBeGreaterThanOrEqual(3);
    } finally {
      await again.close();
    }
  });
});
