/**
 * The desktop app's renderer, measured in Debian's Chromium against `rehearse serve`'s host:
 *   - bundle size (raw and gzip) of the renderer build;
 *   - first paint and time to a usable library, fresh browser context each run;
 *   - pressing Stop on a 60-second recording to the feedback on screen, through the real UI with
 *     Chromium's fake camera and a spoken pitch as the microphone. Transcription runs whisper.cpp
 *     with the fixture tiny.en model (real encoder/decoder compute, but no weights, so it hears no
 *     words); the words are then taken from the script espeak-ng spoke, timed from the recorded audio.
 *
 *   node bin/run-ts.js bench/desktop-app.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createDeterministicJudge } from '../src/main/ai/judges/deterministic';
import type { Transcriber } from '../src/main/ai/transcriber/transcriber';
import { createWhisperCliTranscriber } from '../src/main/ai/transcriber/whisper-cli-transcriber';
import { importPack } from '../src/main/core/packs/packs-service';
import { buildApp, CHROMIUM, launchChromium, rendererDir, startApp } from '../tests/e2e/helpers/app';
import { createScriptedTranscriber } from '../tests/e2e/helpers/scripted-transcriber';
import { repoRoot } from '../tests/helpers/run-cli';

const fixtures = path.resolve(repoRoot, '../shared/fixtures');
const whisperModel = path.join(fixtures, 'models/for-tests-ggml-tiny.en.bin');
const vadModel = path.join(fixtures, 'models/for-tests-silero-v6.2.0-ggml.bin');
const pitchWav = path.join(fixtures, 'audio/espeak-sales-pitch.wav');
const pitchText = path.join(fixtures, 'audio/espeak-sales-pitch.txt');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

if (!existsSync(CHROMIUM)) {
  console.log(`skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  process.exit(0);
}

buildApp();
let raw = 0;
let gz = 0;
const assets = await fs.readdir(path.join(rendererDir, 'assets'));
for (const name of assets.filter((n) => /\.(js|css)$/.test(n))) {
  const bytes = await fs.readFile(path.join(rendererDir, 'assets', name));
  raw += bytes.length;
  gz += gzipSync(bytes).length;
}
console.log(`renderer bundle: ${kib(raw)} (${kib(gz)} gzip) in ${assets.length} files`);

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-bench-app-'));
try {
  // First paint and a usable library (5 fresh contexts, the demo pack imported).
  {
    const app = await startApp({ dataDir: path.join(work, 'paint') });
    await importPack(app.core.store, path.join(repoRoot, 'resources/packs/demo'));
    const browser = await launchChromium();
    const paints: number[] = [];
    const ready: number[] = [];
    for (let i = 0; i < 5; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const t0 = Date.now();
      await page.goto(app.host.url);
      await page.locator('.scenario-item').first().waitFor();
      ready.push(Date.now() - t0);
      paints.push(
        await page.evaluate(
          () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
        ),
      );
      await context.close();
    }
    await browser.close();
    await app.close();
    console.log(
      `first contentful paint: median ${median(paints).toFixed(0)} ms; library listed: median ${median(ready).toFixed(0)} ms (5 runs)`,
    );
  }

  // Stop → feedback on screen for a 60-second recording.
  if (!existsSync(whisperModel) || !existsSync(pitchWav)) {
    console.log('stop→feedback: skipped (../shared/fixtures missing)');
  } else {
    const wav48 = path.join(work, 'pitch-48k.wav');
    const sox = spawnSync('sox', [pitchWav, '-r', '48000', '-c', '1', wav48, 'pad', '0', '3']);
    if (sox.status !== 0) throw new Error('sox is needed (apt-get install sox)');
    const script = (await fs.readFile(pitchText, 'utf8')).trim();
    let whisperMs = 0;
    const app = await startApp({
      dataDir: path.join(work, 'stop'),
      createPipelineDeps: async (store) => {
        const whisper = createWhisperCliTranscriber({ modelPath: whisperModel, vadModelPath: vadModel });
        const scripted = createScriptedTranscriber(script, 22.3);
        const transcriber: Transcriber = {
          async transcribe(input, opts) {
            const t0 = performance.now();
            const heard = await whisper.transcribe(input, opts);
            whisperMs = performance.now() - t0;
            return heard.segments.length > 0 ? heard : scripted.transcribe(input);
          },
          dispose: () => whisper.dispose(),
        };
        return {
          store,
          transcriber: async () => transcriber,
          deterministicJudge: createDeterministicJudge(),
          llmJudge: null,
        };
      },
    });
    await importPack(app.core.store, path.join(repoRoot, 'resources/packs/demo'));
    const browser = await launchChromium({ fakeAudioWav: wav48 });
    const page = await browser.newPage();
    await page.goto(app.host.url);
    await page.getByRole('button', { name: 'Rehearse: Two-minute pitch to an operations director' }).click();
    await page.getByRole('button', { name: /then record|Start recording/ }).click();
    await page.getByRole('button', { name: 'Start now' }).click();
    await page.waitForTimeout(60_000);
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByRole('button', { name: 'Get feedback' }).waitFor();
    const saved = Date.now() - t0;
    await page.getByRole('button', { name: 'Get feedback' }).click();
    await page.getByRole('region', { name: 'Result' }).waitFor({ timeout: 300_000 });
    const total = Date.now() - t0;
    await browser.close();
    await app.close();
    console.log(
      `60 s recording, Stop → saved: ${saved} ms; Stop → feedback on screen: ${(total / 1000).toFixed(1)} s ` +
        `(of which whisper.cpp tiny.en fixture compute ${(whisperMs / 1000).toFixed(1)} s; the Get feedback click is immediate in the script)`,
    );
  }
} finally {
  await fs.rm(work, { recursive: true, force: true });
}
