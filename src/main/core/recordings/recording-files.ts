/** File names and path confinement for the recordings folder. */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import type { RecordingKind } from '../db/schema';

const EXTENSIONS: Readonly<Record<string, string>> = {
  'video/webm': 'webm',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/x-matroska': 'mkv',
  'audio/webm': 'webm',
  'audio/ogg': 'ogg',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/flac': 'flac',
  'audio/pcm': 'pcm',
  'audio/l16': 'pcm',
};

/** File extension for a MIME type, parameters (`;codecs=…`) ignored; `bin` when unknown. */
export function extensionForMime(mime: string): string {
  const base = mime.split(';')[0]?.trim().toLowerCase() ?? '';
  return EXTENSIONS[base] ?? 'bin';
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;

/** `<attemptId>/<kind>.<ext>`, always "/"-separated (it is stored in the database). */
export function recordingRelativePath(attemptId: string, kind: RecordingKind, mime: string): string {
  if (!SAFE_ID.test(attemptId)) throw new AppError('INVALID_INPUT', `Not a valid attempt id: ${attemptId}`);
  return `${attemptId}/${kind}.${extensionForMime(mime)}`;
}

export function attemptFolderName(attemptId: string): string | undefined {
  return SAFE_ID.test(attemptId) ? attemptId : undefined;
}

function outside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel);
}

function escapeError(relativePath: string): AppError {
  return new AppError(
    'FORBIDDEN',
    `Refusing a recording path outside the recordings folder: ${relativePath}`,
  );
}

/**
 * The absolute path of a file inside `root`. Rejects absolute paths, "..", NUL bytes and (when the
 * file exists) symbolic links that lead out of the folder.
 */
export function resolveInside(root: string, relativePath: string): string {
  if (relativePath.includes('\0') || path.isAbsolute(relativePath) || /^[a-zA-Z]:/.test(relativePath))
    throw escapeError(relativePath);
  const resolved = path.resolve(root, relativePath);
  if (outside(root, resolved)) throw escapeError(relativePath);
  let real: string;
  try {
    real = fs.realpathSync(resolved);
  } catch {
    return resolved; // does not exist (yet): nothing to follow
  }
  if (outside(fs.realpathSync(root), real)) throw escapeError(relativePath);
  return resolved;
}
