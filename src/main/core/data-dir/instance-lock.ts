/**
 * One Rehearse instance per data folder. The lock is a file created with O_EXCL that records who
 * holds it: pid, host name, boot id and the process's start time (where the OS tells them), the
 * command, and a random nonce. A crash or SIGKILL leaves the file behind, so staleness is judged by
 * its holder, not by the file's presence: the lock is stale when its pid no longer runs, when the
 * machine has rebooted since (another boot id), or when the pid now belongs to a process that
 * started at another time (the pid was reused). A lock from another host cannot be judged and is
 * treated as held. Older lock files holding only a pid are still read.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { createLogger } from '../util/logger';
import { errorCode } from './storage-errors';

const log = createLogger('data-dir');

/** A lock file with no readable holder younger than this may be mid-creation by another process. */
const UNREADABLE_GRACE_MS = 5_000;

/** Lock files held by this process, with the nonce each was written with. */
const heldByThisProcess = new Map<string, string>();

export interface InstanceLock {
  readonly file: string;
  /** Removes the lock file (if it is still ours). Safe to call twice. */
  release(): void;
}

/** What a lock file says about its holder. Fields other than pid are absent in older lock files. */
export interface LockHolder {
  pid: number;
  host?: string;
  /** The kernel's boot id (Linux); another one means the machine rebooted since. */
  boot?: string;
  /** When the process started, as the OS reports it (opaque; compared for equality only). */
  started?: string;
  command?: string;
  /** ISO time the lock was taken. */
  since?: string;
  nonce?: string;
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

let bootIdCache: string | null | undefined;

/** Linux's boot id, else undefined. */
export function currentBootId(): string | undefined {
  if (bootIdCache === undefined) {
    try {
      bootIdCache = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      bootIdCache = null;
    }
  }
  return bootIdCache ?? undefined;
}

/**
 * When process `pid` started, as an opaque string, or undefined when the OS does not say (Windows,
 * or the process is gone). Linux: clock ticks after boot from /proc/<pid>/stat; elsewhere `ps`.
 */
export function processStartTime(pid: number): string | undefined {
  if (process.platform === 'linux') {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return fields[19]; // field 22, starttime
    } catch {
      return undefined;
    }
  }
  if (process.platform === 'win32') return undefined;
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 2_000,
    }).trim();
    return out || undefined;
  } catch {
    return undefined;
  }
}

function describeCommand(): string {
  const script = process.argv[1] ? path.basename(process.argv[1]) : path.basename(process.execPath);
  return [script, process.argv[2]].filter(Boolean).join(' ');
}

function ownRecord(nonce: string): LockHolder {
  const started = processStartTime(process.pid);
  const boot = currentBootId();
  return {
    pid: process.pid,
    host: os.hostname(),
    ...(boot ? { boot } : {}),
    ...(started ? { started } : {}),
    command: describeCommand(),
    since: new Date().toISOString(),
    nonce,
  };
}

function readRaw(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The holder recorded in a lock file's text: JSON, or a bare pid (older versions). */
export function parseLockHolder(text: string | undefined): LockHolder | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  const bare = Number.parseInt(trimmed, 10);
  if (Number.isInteger(bare) && bare > 0 && String(bare) === trimmed) return { pid: bare };
  try {
    const value = JSON.parse(trimmed) as Record<string, unknown>;
    const pid = value.pid;
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
    const holder: LockHolder = { pid };
    for (const key of ['host', 'boot', 'started', 'command', 'since', 'nonce'] as const)
      if (typeof value[key] === 'string') holder[key] = value[key];
    return holder;
  } catch {
    return undefined;
  }
}

/** Who holds the lock file, if it is readable. */
export function readLockHolder(file: string): LockHolder | undefined {
  return parseLockHolder(readRaw(file));
}

function tryCreate(file: string, nonce: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o644);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    fs.writeSync(fd, `${JSON.stringify(ownRecord(nonce))}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function lockedError(dataDir: string, file: string, holder: LockHolder | undefined): AppError {
  const pid = holder?.pid;
  const who = pid === undefined ? 'Another Rehearse instance' : `Another Rehearse instance (pid ${pid})`;
  const otherHost = holder?.host !== undefined && holder.host !== os.hostname();
  const what = [holder?.command ? `"${holder.command}"` : undefined, holder?.since && `since ${holder.since}`]
    .filter(Boolean)
    .join(', ');
  const check =
    pid === undefined
      ? 'no Rehearse window or command is using this folder'
      : otherHost
        ? `no Rehearse is running on ${holder?.host} (pid ${pid})`
        : process.platform === 'win32'
          ? `process ${pid} in Task Manager is not Rehearse`
          : `process ${pid} (\`ps -p ${pid}\`) is not Rehearse`;
  const hint = [
    `Close the other Rehearse window or command${pid === undefined ? '' : ` (pid ${pid}${what ? `, ${what}` : ''})`} first,`,
    'or set REHEARSE_DATA_DIR to another folder.',
    otherHost ? `The lock was taken on another computer (${holder?.host}).` : '',
    `If you are sure ${check}, delete ${file} and start again.`,
  ]
    .filter(Boolean)
    .join(' ');
  return new AppError('DATA_DIR_LOCKED', `${who} is using ${dataDir}`, { hint });
}

/** Whether the lock file's holder is gone (or the file is an unreadable leftover). */
function isStale(file: string, holder: LockHolder | undefined): boolean {
  if (holder === undefined) {
    try {
      return Date.now() - fs.statSync(file).mtimeMs > UNREADABLE_GRACE_MS;
    } catch {
      return true; // vanished meanwhile: just retry
    }
  }
  if (holder.host !== undefined && holder.host !== os.hostname()) return false; // cannot tell: held
  const boot = currentBootId();
  if (holder.boot !== undefined && boot !== undefined && holder.boot !== boot) return true; // rebooted
  if (holder.pid === process.pid) {
    // Ours only if this process wrote it (a legacy file without a nonce: if we hold this file at all).
    const nonce = heldByThisProcess.get(file);
    return nonce === undefined || (holder.nonce !== undefined && holder.nonce !== nonce);
  }
  if (!isProcessAlive(holder.pid)) return true;
  if (holder.started === undefined) return false; // an older lock file: a live pid holds it
  const started = processStartTime(holder.pid);
  return started !== undefined && started !== holder.started; // the pid now belongs to another process
}

/**
 * Moves a stale lock aside atomically; if another process replaced it in between (its content is no
 * longer the stale one), puts it back and reports the lock as taken.
 */
function removeStale(file: string, staleText: string | undefined): boolean {
  const aside = `${file}.stale-${randomUUID()}`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return true;
    throw error;
  }
  if (readRaw(aside) !== staleText) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // someone else holds a fresh lock already; theirs wins
    }
    fs.rmSync(aside, { force: true });
    return false;
  }
  fs.rmSync(aside, { force: true });
  log.info('took over a stale lock', { file, stale: parseLockHolder(staleText) ?? null });
  return true;
}

/** Takes the data folder's lock or throws DATA_DIR_LOCKED naming the holder and what to do. */
export function acquireInstanceLock(file: string, dataDir: string): InstanceLock {
  const nonce = randomUUID();
  for (let tries = 0; ; tries++) {
    if (tryCreate(file, nonce)) break;
    const text = readRaw(file);
    const holder = parseLockHolder(text);
    if (tries >= 3 || !isStale(file, holder) || !removeStale(file, text))
      throw lockedError(dataDir, file, holder);
  }
  heldByThisProcess.set(file, nonce);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    if (heldByThisProcess.get(file) === nonce) heldByThisProcess.delete(file);
    if (readLockHolder(file)?.nonce === nonce) fs.rmSync(file, { force: true });
  };
  process.on('exit', release);
  return { file, release };
}
