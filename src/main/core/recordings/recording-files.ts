/** File names and path confinement for the recordings folder. */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { RECORDING_MEDIA_TYPES } from '../../../shared/sync/protocol';
import type { RecordingKind } from '../db/schema';
import { errorCode } from '../data-dir/storage-errors';

/**
 * What the app records and imports (the shared list the server also accepts), plus the raw PCM the
 * capture writes before it is wrapped as WAV.
 */
const EXTENSIONS: Readonly<Record<string, string>> = {
  ...RECORDING_MEDIA_TYPES,
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

type PathApi = Pick<typeof path, 'relative' | 'isAbsolute' | 'resolve' | 'sep'>;

/**
 * Whether `candidate` is strictly inside `folder` (not the folder itself). Both should already be
 * real paths (symbolic links resolved) when the question is about the file system. On Windows pass
 * `path.win32`: a path on another drive is never inside.
 */
export function isInsideFolder(folder: string, candidate: string, api: PathApi = path): boolean {
  const rel = api.relative(api.resolve(folder), api.resolve(candidate));
  if (rel === '' || api.isAbsolute(rel)) return false;
  return rel !== '..' && !rel.startsWith(`..${api.sep}`);
}

/** A recording file opened for reading; the caller closes `handle` (a read stream from it does). */
export interface OpenedFile {
  handle: fsp.FileHandle;
  size: number;
}

/**
 * O_NOFOLLOW: a symbolic link as the last component fails with ELOOP instead of being followed.
 * O_NONBLOCK: a FIFO planted in the folder cannot make the open hang (regular files ignore it).
 * Both are 0 (absent) on Windows, where the fstat checks below still apply.
 */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

/** Where an open descriptor really points, when the OS says (Linux: /proc/self/fd). */
async function descriptorPath(fd: number): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  try {
    return await fsp.readlink(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

const notFound = (relativePath: string) => new AppError('NOT_FOUND', `No recording file at ${relativePath}`);

/**
 * Opens `relativePath` under `root` once, for reading, so that what is checked is what is sent (no
 * check-then-open race): the parent folder's real path must lie inside the real root, the file is
 * opened with O_NOFOLLOW relative to that real parent, and the open descriptor must be a regular
 * file that (where the OS can say) lies inside the root. A symbolic link, a folder, a FIFO or a
 * missing file is NOT_FOUND; a path that leads out of the folder is FORBIDDEN.
 */
export async function openFileInside(root: string, relativePath: string): Promise<OpenedFile> {
  if (relativePath.includes('\0') || path.isAbsolute(relativePath) || /^[a-zA-Z]:/.test(relativePath))
    throw escapeError(relativePath);
  const lexical = path.resolve(root, relativePath);
  if (outside(root, lexical)) throw escapeError(relativePath);
  let realRoot: string;
  let realParent: string;
  try {
    realRoot = await fsp.realpath(root);
    realParent = await fsp.realpath(path.dirname(lexical));
  } catch {
    throw notFound(relativePath);
  }
  if (realParent !== realRoot && !isInsideFolder(realRoot, realParent)) throw escapeError(relativePath);
  const file = path.join(realParent, path.basename(lexical));
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, OPEN_FLAGS);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ELOOP' || code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'ENXIO')
      throw notFound(relativePath);
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw notFound(relativePath);
    const opened = await descriptorPath(handle.fd);
    if (opened !== undefined) {
      if (!isInsideFolder(realRoot, opened)) throw escapeError(relativePath);
    } else {
      // No OS answer: the path must still name this very file, in the same real folder.
      const now = await fsp.lstat(file);
      if (now.dev !== stat.dev || now.ino !== stat.ino || (await fsp.realpath(realParent)) !== realParent)
        throw notFound(relativePath);
    }
    return { handle, size: stat.size };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}
