/**
 * Turns a file into a practice attempt ready for analysis: a recording (WAV or anything ffmpeg
 * reads), a transcript JSON (the Transcript schema), or plain text (timings estimated).
 */
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  ESTIMATED_TIMINGS_SOURCE,
  transcriptSchema,
  type Transcript,
} from '../../../shared/transcript/transcript';
import { AppError } from '../../../shared/errors';
import { saveTranscript, setStage } from '../db/repositories/analysis';
import { createAttempt, deleteAttempt } from '../db/repositories/attempts';
import type { Store } from '../store';
import { findScenario, parseScenarioRef } from '../packs/packs-service';

/** Words per second assumed when a plain-text transcript has no timings (150 words per minute). */
const ESTIMATED_WORDS_PER_SECOND = 2.5;
const MAX_TEXT_BYTES = 2 * 1024 * 1024;

const AUDIO_MIME: Record<string, string> = {
  '.wav': 'audio/wav',
  '.webm': 'audio/webm',
  '.ogg': 'audio/ogg',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.mp4': 'video/mp4',
  '.flac': 'audio/flac',
};

/** A transcript from plain text, one segment per line, words spaced evenly at 150 wpm. */
export function transcriptFromText(text: string): Transcript {
  let t = 0;
  const segments = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const start = t;
      const words = line.split(/\s+/).map((w) => {
        const word = { text: w, start: t, end: t + 1 / ESTIMATED_WORDS_PER_SECOND };
        t = word.end;
        return word;
      });
      return { start, end: t, text: line, words };
    });
  return { language: 'en', durationSeconds: t, segments, source: ESTIMATED_TIMINGS_SOURCE };
}

async function readTranscriptFile(file: string): Promise<Transcript> {
  const stat = await fs.stat(file);
  if (stat.size > MAX_TEXT_BYTES)
    throw new AppError(
      'INVALID_INPUT',
      `${file} is larger than ${MAX_TEXT_BYTES / 1024 / 1024} MiB; that is not a transcript`,
    );
  const text = await fs.readFile(file, 'utf8');
  if (path.extname(file).toLowerCase() === '.txt') {
    const t = transcriptFromText(text);
    if (t.segments.length === 0) throw new AppError('INVALID_INPUT', `${file} has no words in it`);
    return t;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError('INVALID_INPUT', `${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = transcriptSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'INVALID_INPUT',
      `${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid transcript'}`,
      {
        hint: 'A transcript.json has durationSeconds and segments[{start,end,text,words[{text,start,end}]}] (see docs/transcription.md).',
      },
    );
  }
  return parsed.data;
}

/** Creates a practice attempt from a file; on any failure nothing is left behind. */
export async function createAttemptFromFile(
  store: Store,
  file: string,
  scenarioRef: string,
): Promise<{ attemptId: string }> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) throw new AppError('NOT_FOUND', `No file at ${file}`);
  const { programId, scenario } = await findScenario(store, parseScenarioRef(scenarioRef));
  const ext = path.extname(file).toLowerCase();
  const isText = ext === '.json' || ext === '.txt';
  // Validate a transcript before creating anything.
  const transcript = isText ? await readTranscriptFile(file) : undefined;
  if (!isText && stat.size === 0)
    throw new AppError('MEDIA_INVALID', `${file} is empty (0 bytes)`, { hint: 'Record the answer again.' });

  const attempt = await createAttempt(store.db, { programId, scenarioId: scenario.id, mode: 'practice' });
  try {
    if (transcript) {
      await saveTranscript(store.db, attempt.id, transcript);
      await setStage(store.db, attempt.id, 'transcribe', 'done');
    } else {
      await store.recordings.save({
        attemptId: attempt.id,
        kind: 'audio',
        mime: AUDIO_MIME[ext] ?? 'application/octet-stream',
        data: createReadStream(file),
      });
    }
    return { attemptId: attempt.id };
  } catch (error) {
    await store.recordings.deleteAttempt(attempt.id).catch(() => deleteAttempt(store.db, attempt.id));
    throw error;
  }
}
