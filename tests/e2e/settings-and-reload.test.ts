/**
 * Two things a person does that the main flow does not: open Settings (models, privacy, devices),
 * and reload the window while an analysis is running; the analysis carries on in the core and the
 * screen picks it up again, and Cancel still works.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptSummary } from '../../src/shared/api/types';
import { createDeterministicJudge } from '../../src/main/ai/judges/deterministic';
import type { Transcriber } from '../../src/main/ai/transcriber/transcriber';
import { AppError } from '../../src/shared/errors';
import { importPack } from '../../src/main/core/packs/packs-service';
import { repoRoot } from '../helpers/run-cli';
import { buildApp, CHROMIUM, launchChromium, screenshotDir, startApp } from './helpers/app';

/** A transcriber that reports 40 % and then waits until it is cancelled, like a long recording. */
function stalledTranscriber(): Transcriber {
  return {
    transcribe: (_input, opts) =>
      new Promise((_resolve, reject) => {
        opts?.onProgress?.(0.4);
        opts?.signal?.addEventListener('abort', () =>
          reject(new AppError('CANCELLED', 'Transcription was cancelled')),
        );
      }),
    async dispose() {},
  };
}

describe.skipIf(!existsSync(CHROMIUM))('settings, and reloading during analysis', () => {
  let browser: Browser;
  let work: string;
  beforeAll(async () => {
    buildApp();
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-settings-'));
    await fs.mkdir(screenshotDir, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await fs.rm(work, { recursive: true, force: true });
  });

  it('shows models, privacy (with the data folder), devices and sync settings', async () => {
    const app = await startApp({ dataDir: path.join(work, 'settings') });
    try {
      const page = await browser.newPage();
      await page.goto(app.host.url);
      await page.getByRole('link', { name: 'Settings' }).click();
      for (const name of ['Models', 'Privacy', 'Audio and video', 'Sync server'])
        await page.getByRole('heading', { name, exact: true }).waitFor();
      await expect(page.getByText(app.core.store.dataDir).first().isVisible()).resolves.toBe(true);
      await page.screenshot({ path: path.join(screenshotDir, 'settings.png'), fullPage: true });
      await page.close();
    } finally {
      await app.close();
    }
  });

  it('shows a running analysis again after a reload, and cancels it', async () => {
    const app = await startApp({
      dataDir: path.join(work, 'reload'),
      createPipelineDeps: async (store) => ({
        store,
        transcriber: async () => stalledTranscriber(),
        deterministicJudge: createDeterministicJudge(),
        llmJudge: null,
      }),
    });
    try {
      await importPack(app.core.store, path.join(repoRoot, 'resources/packs/demo'));
      const created = await app.core.dispatch('attempt.create', {
        programId: 'fleetpulse-partner-sales',
        scenarioId: 'pitch-operations-director',
      });
      if (!created.ok) throw new Error(created.error.message);
      const attemptId = (created.value as AttemptSummary).id;
      await app.core.dispatch('capture.append', {
        attemptId,
        kind: 'audio',
        mime: 'audio/L16;rate=16000',
        offset: 0,
        data: new Uint8Array(64_000),
      });
      await app.core.dispatch('capture.finish', { attemptId, durationSeconds: 2 });
      await app.core.dispatch('analysis.start', { attemptId });

      const page = await browser.newPage();
      await page.goto(app.host.url);
      await page.evaluate((id) => (window.location.hash = `#/analysis/${id}`), attemptId);
      const transcribing = page.getByRole('progressbar', { name: 'Transcribing your answer' });
      await page.waitForFunction(
        () => (document.querySelector('progress') as HTMLProgressElement | null)?.value === 0.4,
      );
      await page.reload();
      await transcribing.waitFor();
      await page.waitForFunction(
        () => (document.querySelector('progress') as HTMLProgressElement | null)?.value === 0.4,
      );
      await page.screenshot({ path: path.join(screenshotDir, 'analysis-after-reload.png') });
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByText(/The analysis was cancelled/).waitFor();
      await page.getByRole('button', { name: 'Continue' }).waitFor();
      await page.close();
    } finally {
      await app.close();
    }
  });
});
