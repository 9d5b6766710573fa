/** Starts what `rehearse serve` starts (the real core and loopback host) and a Chromium to drive it. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { openCore, type OpenCoreOptions } from '../../../src/main/core/core';
import { startLoopbackHost } from '../../../src/main/serve/loopback-host';
import { repoRoot } from '../../helpers/run-cli';

export const CHROMIUM = '/usr/bin/chromium';
export const rendererDir = path.join(repoRoot, 'out/renderer');
export const screenshotDir = path.join(repoRoot, 'test-results/e2e');

/** electron-vite build: the same renderer bundle the Electron window loads. */
export function buildApp(): void {
  const build = spawnSync(
    process.execPath,
    [path.join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: repoRoot,
      encoding: 'utf8',
    },
  );
  if (build.status !== 0) throw new Error(`electron-vite build failed:\n${build.stderr}`);
}

/** Headless Chromium as this machine needs it; `fakeAudioWav` feeds a WAV file in as the microphone. */
export function launchChromium(
  options: { fakeAudioWav?: string; grantMedia?: boolean } = {},
): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
      ...(options.fakeAudioWav
        ? [
            // Without the fake UI the permission prompt cannot be answered headless: access is denied.
            ...(options.grantMedia === false
              ? ['--deny-permission-prompts']
              : ['--use-fake-ui-for-media-stream']),
            '--use-fake-device-for-media-stream',
            `--use-file-for-fake-audio-capture=${options.fakeAudioWav}`,
          ]
        : []),
    ],
  });
}

export async function startApp(
  options: { dataDir: string } & Omit<OpenCoreOptions, 'transport' | 'dataDir'>,
) {
  const core = await openCore({ ...options, transport: 'loopback' });
  const host = await startLoopbackHost({ core, rendererDir });
  return {
    core,
    host,
    async close() {
      await host.close();
      await core.close();
    },
  };
}
