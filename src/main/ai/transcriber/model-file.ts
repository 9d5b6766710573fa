/**
 * Checks a model file before a process is spawned for it: present, readable, and of the right
 * kind. whisper.cpp's legacy ggml files start with the magic 0x67676d6c ("lmgg" on disk); a
 * whisper model then carries its hyper-parameters (vocabulary ~51k, audio context 1500), a Silero
 * VAD model a length-prefixed name ("silero-16k"). GGUF files (LLMs) and anything else are refused.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors';

export type WhisperModelKind = 'whisper' | 'vad';

const GGML_MAGIC = 0x67676d6c;

/** Pure classification of a file's first 32 bytes. */
export function classifyModelHead(head: Uint8Array): WhisperModelKind | 'gguf' | 'ggml-other' | 'unknown' {
  if (head.length < 4) return 'unknown';
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (String.fromCharCode(...head.subarray(0, 4)) === 'GGUF') return 'gguf';
  if (view.getUint32(0, true) !== GGML_MAGIC || head.length < 12) return 'unknown';
  const first = view.getInt32(4, true);
  const second = view.getInt32(8, true);
  if (first >= 50_000 && first <= 60_000 && second === 1500) return 'whisper';
  if (first > 0 && first <= 64 && head.length >= 8 + first) {
    const name = String.fromCharCode(...head.subarray(8, 8 + first));
    if (/^silero/i.test(name)) return 'vad';
  }
  return 'ggml-other';
}

/** Catalogue ids named in install hints when the caller does not say which model it wanted. */
export const DEFAULT_MODEL_ID: Record<WhisperModelKind, string> = {
  whisper: 'whisper-base.en-q5_1',
  vad: 'silero-vad-v6.2.0',
};

const DESCRIPTION: Record<WhisperModelKind, string> = {
  whisper: 'whisper.cpp speech model',
  vad: 'Silero VAD model',
};

/** Throws MODEL_MISSING or MODEL_INVALID unless `file` looks like a model of `kind`. */
export async function checkModelFile(file: string, kind: WhisperModelKind, modelId?: string): Promise<void> {
  const name = path.basename(file);
  const id = modelId ?? DEFAULT_MODEL_ID[kind];
  const installHint = `Run \`rehearse models install ${id}\` to download it`;
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new AppError('MODEL_MISSING', `The ${DESCRIPTION[kind]} is not installed: ${file}`, {
        hint: installHint,
        cause: error,
      });
    }
    throw new AppError(
      'MODEL_INVALID',
      `Cannot read the ${DESCRIPTION[kind]} ${name}: ${code ?? String(error)}`,
      {
        hint: 'Check the file permissions, or reinstall the model',
        cause: error,
      },
    );
  }
  let head: Uint8Array;
  try {
    const stat = await handle.stat();
    const size = stat.size;
    if (!stat.isFile()) throw new AppError('MODEL_INVALID', `${name} is not a file`, { hint: installHint });
    const buffer = Buffer.alloc(Math.min(32, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const found = classifyModelHead(head);
  if (found === kind) return;
  const what =
    found === 'gguf'
      ? 'a GGUF file (a language model?)'
      : found === 'whisper' || found === 'vad'
        ? `a ${DESCRIPTION[found]}`
        : found === 'ggml-other'
          ? 'a ggml file of another kind'
          : 'not a ggml model file (damaged or wrong file)';
  throw new AppError('MODEL_INVALID', `${name} is ${what}, not a ${DESCRIPTION[kind]}`, {
    hint: `Reinstall it with \`rehearse models install ${id}\``,
  });
}
