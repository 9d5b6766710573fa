/**
 * Word error rate per clip of ../shared/eval/01_asr/asr_manifest.tsv, and filler recall on a
 * synthetic disfluent clip (espeak-ng reading a text with "um"/"uh"), with and without the filler
 * prompt, for every real whisper model in REHEARSE_MODELS_DIR. Without one it prints a skip line:
 * the fixture model has no weights and would score 100 % WER.
 *
 *   REHEARSE_MODELS_DIR=~/models node bin/run-ts.js bench/asr-wer.ts
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transcriptText } from '../src/shared/transcript/transcript';
import { createWhisperCliTranscriber } from '../src/main/ai/transcriber/whisper-cli-transcriber';
import { normalizeForWer, wordErrorRate } from '../src/main/ai/transcriber/wer';
import { realWhisperModels } from './transcribe';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const asrDir = path.resolve(repoRoot, '../shared/eval/01_asr');
const vadModel = path.resolve(repoRoot, '../shared/fixtures/models/for-tests-silero-v6.2.0-ggml.bin');
const FILLERS = new Set(['um', 'uh', 'umm', 'uhm', 'hmm', 'er', 'ah', 'mm']);
const DISFLUENT_TEXT =
  'Um, so, our software, uh, sends reminders by text. And, um, it fills empty slots from a waiting list. Uh, customers usually, um, see fewer no shows.';

function fillerCount(text: string): number {
  return normalizeForWer(text).filter((w) => FILLERS.has(w)).length;
}

async function main(): Promise<void> {
  const models = realWhisperModels();
  if (models.length === 0) {
    console.log('no real whisper model in REHEARSE_MODELS_DIR: skipped');
    return;
  }
  const manifest = path.join(asrDir, 'asr_manifest.tsv');
  if (!fs.existsSync(manifest)) {
    console.log(`${manifest} not found: skipped`);
    return;
  }
  const rows = fs
    .readFileSync(manifest, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'))
    .map(([audio, reference]) => ({ audio: audio!, reference: reference! }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-bench-wer-'));
  try {
    for (const model of models) {
      console.log(`\n# ${path.basename(model)}: WER per clip`);
      const transcriber = createWhisperCliTranscriber({
        modelPath: model,
        vadModelPath: fs.existsSync(vadModel) ? vadModel : undefined,
        tempDir: dir,
      });
      let errors = 0;
      let words = 0;
      for (const row of rows) {
        const t = await transcriber.transcribe({ wavPath: path.join(asrDir, row.audio) });
        const r = wordErrorRate(row.reference, transcriptText(t));
        errors += r.substitutions + r.deletions + r.insertions;
        words += r.referenceWords;
        console.log(`${(r.wer * 100).toFixed(1).padStart(6)} %  ${row.audio}`);
      }
      console.log(
        `${((errors / Math.max(1, words)) * 100).toFixed(1).padStart(6)} %  all clips (${words} words)`,
      );
      await transcriber.dispose();

      const espeak = spawnSync('espeak-ng', [
        '-v',
        'en-us',
        '-s',
        '150',
        '-w',
        path.join(dir, 'raw.wav'),
        DISFLUENT_TEXT,
      ]);
      if (espeak.status !== 0) {
        console.log('espeak-ng not available: filler recall skipped');
        continue;
      }
      const expected = fillerCount(DISFLUENT_TEXT);
      for (const prompt of [true, false]) {
        const t = createWhisperCliTranscriber({
          modelPath: model,
          tempDir: dir,
          fillerPrompt: prompt ? undefined : false,
        });
        const text = transcriptText(await t.transcribe({ wavPath: path.join(dir, 'raw.wav') }));
        const found = Math.min(expected, fillerCount(text));
        console.log(
          `filler recall ${prompt ? 'with   ' : 'without'} prompt: ${found}/${expected}  "${text}"`,
        );
        await t.dispose();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
