/**
 * The data folder's lock judges its holder, not just a pid: a pid that now belongs to another live
 * process (reused after a crash or a reboot) does not keep the folder locked, a real holder does,
 * and the DATA_DIR_LOCKED hint says which process and which file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acquireInstanceLock,
  processStartTime,
  readLockHolder,
} from '../../../../../src/main/core/data-dir/instance-lock';
import { openStore } from '../../../../../src/main/core/store';
import { dataPaths } from '../../../../../src/main/core/paths';
import { makeTempDir, spawnStoreChild, type Child } from './helpers';

let dir: string;
let lock: string;
const children: ChildProcess[] = [];
let holder: Child | undefined;

beforeEach(() => {
  dir = makeTempDir('rehearse-lock-');
  lock = dataPaths(dir).lock;
});
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  if (holder && holder.process.exitCode === null && holder.process.signalCode === null) {
    holder.process.kill('SIGKILL');
    await holder.exited;
  }
  holder = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A live process that is not Rehearse (as when a pid is reused), and its pid. */
async function liveStranger(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60000); console.log("up")'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  children.push(child);
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return child.pid!;
}

const writeLock = (record: Record<string, unknown>) => fs.writeFileSync(lock, JSON.stringify(record));

describe('the data folder lock', () => {
  it('records pid, host, start time and a nonce', () => {
    const taken = acquireInstanceLock(lock, dir);
    try {
      const record = readLockHolder(lock);
      expect(record).toMatchObject({ pid: process.pid, host: os.hostname() });
      expect(record?.nonce).toMatch(/^[0-9a-f-]{36}$/);
      if (process.platform !== 'win32') expect(record?.started).toBe(processStartTime(process.pid));
    } finally {
      taken.release();
    }
    expect(fs.existsSync(lock)).toBe(false);
  });

  it.skipIf(process.platform === 'win32')(
    'takes over a lock whose pid now belongs to another live process',
    async () => {
      const pid = await liveStranger();
      expect(processStartTime(pid)).toBeDefined();
      writeLock({ pid, host: os.hostname(), started: 'not-when-it-started', nonce: 'old' });
      const store = await openStore({ dataDir: dir });
      expect(readLockHolder(lock)?.pid).toBe(process.pid);
      await store.close();
    },
  );

  it.skipIf(process.platform !== 'linux')('takes over a lock written before the last reboot', async () => {
    const pid = await liveStranger();
    writeLock({
      pid,
      host: os.hostname(),
      boot: 'another-boot',
      started: processStartTime(pid),
      nonce: 'old',
    });
    const store = await openStore({ dataDir: dir });
    expect(readLockHolder(lock)?.pid).toBe(process.pid);
    await store.close();
  });

  it('keeps a lock held by a live Rehearse; the hint names the process and the file to delete', async () => {
    holder = spawnStoreChild('hold', dir);
    const pid = Number((await holder.waitForLine(/^ready \d+$/)).split(' ')[1]);
    const error = await openStore({ dataDir: dir }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'DATA_DIR_LOCKED',
      message: `Another Rehearse instance (pid ${pid}) is using ${path.resolve(dir)}`,
    });
    const hint = (error as { hint: string }).hint;
    expect(hint).toContain(`pid ${pid}`);
    expect(hint).toContain('REHEARSE_DATA_DIR');
    expect(hint).toContain(`delete ${lock}`);
    if (process.platform !== 'win32') expect(hint).toContain(`ps -p ${pid}`);
  });

  it('keeps a lock taken on another host (it cannot tell whether that process runs) and says so', async () => {
    writeLock({ pid: 1, host: 'some-other-host', started: 'x', nonce: 'n' });
    const error = await openStore({ dataDir: dir }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DATA_DIR_LOCKED' });
    expect((error as { hint: string }).hint).toContain('another computer (some-other-host)');
  });

  it('release() leaves a lock that is no longer its own', () => {
    const taken = acquireInstanceLock(lock, dir);
    writeLock({ pid: process.pid, host: os.hostname(), nonce: 'someone-else' });
    taken.release();
    expect(readLockHolder(lock)?.nonce).toBe('someone-else');
  });
});
