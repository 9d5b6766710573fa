/**
 * One Rehearse instance per data folder. The lock is a file created with O_EXCL that holds the
 * owner's pid; a lock whose pid is no longer running is stale and is taken over. A crash or SIGKILL
 * leaves the file behind, which is why staleness is judged by the pid and not by the file's presence.
 */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { createLogger } from '../util/logger';
import { errorCode } from './storage-errors';

const log = createLogger('data-dir');

/** A lock file with no readable pid younger than this may be mid-creation by another process. */
const UNREADABLE_GRACE_MS = 5_000;

/** Lock files held by this process, so a lock holding our own pid is known to be live or stale. */
const heldByThisProcess = new Set<string>();

export interface InstanceLock {
  readonly file: string;
  /** Removes the lock file (if it is still ours). Safe to call twice. */
  release(): void;
}

/** Whether a process with this pid is running (EPERM means it runs under another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

function readPid(file: string): number | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    const pid = Number.parseInt(text, 10);
    return Number.isInteger(pid) && pid > 0 && String(pid) === text ? pid : undefined;
  } catch {
    return undefined;
  }
}

function tryCreate(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o644);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    fs.writeSync(fd, String(process.pid));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function lockedError(dataDir: string, pid: number | undefined): AppError {
  const who = pid === undefined ? 'Another Rehearse instance' : `Another Rehearse instance (pid ${pid})`;
  return new AppError('DATA_DIR_LOCKED', `${who} is using ${dataDir}`, {
    hint: 'Close the other Rehearse window or command first, or set REHEARSE_DATA_DIR to another folder.',
  });
}

/** Whether the lock file's holder is gone (or the file is an unreadable leftover). */
function isStale(file: string, pid: number | undefined): boolean {
  if (pid === undefined) {
    try {
      return Date.now() - fs.statSync(file).mtimeMs > UNREADABLE_GRACE_MS;
    } catch {
      return true; // vanished meanwhile: just retry
    }
  }
  if (pid === process.pid) return !heldByThisProcess.has(file); // a pid reused after a crash
  return !isProcessAlive(pid);
}

/**
 * Moves a stale lock aside atomically; if another process replaced it in between (its content is no
 * longer the stale pid), puts it back and reports the lock as taken.
 */
function removeStale(file: string, stalePid: number | undefined): boolean {
  const aside = `${file}.stale-${randomUUID()}`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return true;
    throw error;
  }
  const moved = readPid(aside);
  if (moved !== stalePid) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // someone else holds a fresh lock already; theirs wins
    }
    fs.rmSync(aside, { force: true });
    return false;
  }
  fs.rmSync(aside, { force: true });
  log.info('took over a stale lock', { file, stalePid });
  return true;
}

/** Takes the data folder's lock or throws DATA_DIR_LOCKED naming the holder's pid. */
export function acquireInstanceLock(file: string, dataDir: string): InstanceLock {
  for (let tries = 0; ; tries++) {
    if (tryCreate(file)) break;
    const pid = readPid(file);
    if (tries >= 3 || !isStale(file, pid) || !removeStale(file, pid)) throw lockedError(dataDir, pid);
  }
  heldByThisProcess.add(file);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    heldByThisProcess.delete(file);
    if (readPid(file) === process.pid) fs.rmSync(file, { force: true });
  };
  process.on('exit', release);
  return { file, release };
}
