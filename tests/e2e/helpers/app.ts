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

/** The coach workspace bundle (src/workspace) into out/workspace, as `npm run build:workspace` does. */
export function buildWorkspace(): void {
  const build = spawnSync(
    process.execPath,
    [path.join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '-c', 'workspace.vite.config.ts'],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  if (build.status !== 0) throw new Error(`workspace build failed:\n${build.stdout}\n${build.stderr}`);
}

/** espeak-ng and sox, which make the spoken WAV the fake microphone plays. */
export const haveSpeechTools = ['espeak-ng', 'sox'].every(
  (t) => spawnSync(t, ['--version'], { stdio: 'ignore' }).status === 0,
);

/**
 * `script` spoken by espeak-ng at `wordsPerMinute`, as the 48 kHz mono WAV Chromium wants, with
 * `silenceAfter` seconds of silence after it (as a person would leave); `seconds` is the speech alone.
 */
export function speak(
  dir: string,
  script: string,
  options: { wordsPerMinute: number; silenceAfter: number },
): { wav: string; seconds: number } {
  const raw = path.join(dir, 'raw.wav');
  const wav = path.join(dir, 'pitch-48k.wav');
  const say = spawnSync('espeak-ng', [
    '-v',
    'en-us',
    '-s',
    String(options.wordsPerMinute),
    '-w',
    raw,
    script,
  ]);
  if (say.status !== 0) throw new Error(`espeak-ng failed: ${say.stderr}`);
  const sox = spawnSync('sox', [
    raw,
    '-r',
    '48000',
    '-c',
    '1',
    '-b',
    '16',
    wav,
    'pad',
    '0.3',
    String(options.silenceAfter),
  ]);
  if (sox.status !== 0) throw new Error(`sox failed: ${sox.stderr}`);
  const seconds = Number(spawnSync('soxi', ['-D', raw], { encoding: 'utf8' }).stdout.trim());
  return { wav, seconds };
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
