/**
 * What a person sees when the data folder or database is in a bad state: a clear AppError, and the
 * damaged file left exactly as it was.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLockHolder } from '../../../../../src/main/core/data-dir/instance-lock';
import { openStore, type Store } from '../../../../../src/main/core/store';
import { openDatabase } from '../../../../../src/main/core/db/open-database';
import { upsertProgramWithScenarios } from '../../../../../src/main/core/db/repositories/programs';
import { createAttempt, updateAttemptDetails } from '../../../../../src/main/core/db/repositories/attempts';
import { dataPaths } from '../../../../../src/main/core/paths';
import { samplePack } from './fixtures/sample-pack';
import {
  makeTempDir,
  remount,
  sha256File,
  spawnStoreChild,
  tryMountTmpfs,
  unmount,
  type Child,
} from './helpers';

const isRoot = process.getuid?.() === 0;
let dir: string;
const mounts: string[] = [];
const stores: Store[] = [];
let child: Child | undefined;

beforeEach(() => {
  dir = makeTempDir();
});

afterEach(async () => {
  if (child && child.process.exitCode === null && child.process.signalCode === null) {
    child.process.kill('SIGKILL');
    await child.exited;
  }
  child = undefined;
  for (const s of stores.splice(0)) await s.close();
  for (const m of mounts.splice(0)) unmount(m);
  fs.chmodSync(dir, 0o755);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function open(dataDir: string): Promise<Store> {
  const store = await openStore({ dataDir });
  stores.push(store);
  return store;
}

/** A folder on its own tmpfs, or undefined when mounting is not permitted here. */
function tmpfs(name: string, options: string): string | undefined {
  const mountPoint = path.join(dir, name);
  fs.mkdirSync(mountPoint);
  if (!tryMountTmpfs(mountPoint, options)) return undefined;
  mounts.push(mountPoint);
  return mountPoint;
}

async function makeDatabase(file: string, programs: number): Promise<void> {
  const db = await openDatabase(file);
  for (let i = 0; i < programs; i++)
    await upsertProgramWithScenarios(db, {
      pack: samplePack({ programId: `p-${i}` }),
      packSha256: 'a'.repeat(64),
    });
  await db.destroy();
}

describe('damaged database file', () => {
  it('random bytes: DATABASE_CORRUPT, file untouched', async () => {
    const file = dataPaths(dir).db;
    fs.writeFileSync(file, randomBytes(64 * 1024));
    const before = sha256File(file);
    const error = await openStore({ dataDir: dir }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DATABASE_CORRUPT' });
    expect((error as { hint: string }).hint).toContain(file);
    expect(sha256File(file)).toBe(before);
    // The failed open released the lock.
    expect(fs.existsSync(dataPaths(dir).lock)).toBe(false);
  });

  it('truncated database: DATABASE_CORRUPT, file untouched', async () => {
    const file = dataPaths(dir).db;
    await makeDatabase(file, 40);
    const size = fs.statSync(file).size;
    expect(size).toBeGreaterThan(100 * 1024);
    fs.truncateSync(file, Math.floor(size / 2));
    const before = sha256File(file);
    await expect(openStore({ dataDir: dir })).rejects.toMatchObject({ code: 'DATABASE_CORRUPT' });
    expect(sha256File(file)).toBe(before);
  });

  it('damaged header: DATABASE_CORRUPT', async () => {
    const file = dataPaths(dir).db;
    await makeDatabase(file, 1);
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(100, 0x41), 0, 100, 0);
    fs.closeSync(fd);
    await expect(openDatabase(file)).rejects.toMatchObject({ code: 'DATABASE_CORRUPT' });
  });

  it('a database from a newer Rehearse: CONFLICT, not a failed migration', async () => {
    const file = dataPaths(dir).db;
    await makeDatabase(file, 0);
    const raw = new BetterSqlite3(file);
    raw
      .prepare('insert into kysely_migration (name, timestamp) values (?, ?)')
      .run('2099_01_01_0000_future', 'x');
    raw.close();
    await expect(openDatabase(file)).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('read-only data folder', () => {
  it('DATA_DIR_UNWRITABLE with a hint naming REHEARSE_DATA_DIR', async (ctx) => {
    let readOnly: string;
    if (isRoot) {
      // root ignores permission bits, so use a read-only file system instead.
      const mounted = tmpfs('ro', 'ro,size=1m');
      if (!mounted) return ctx.skip('running as root and mounting a read-only tmpfs is not permitted here');
      readOnly = mounted;
    } else {
      readOnly = path.join(dir, 'ro');
      fs.mkdirSync(readOnly);
      fs.chmodSync(readOnly, 0o555);
    }
    for (const target of [readOnly, path.join(readOnly, 'sub')]) {
      const error = await openStore({ dataDir: target }).catch((e: unknown) => e);
      expect(error, target).toMatchObject({ code: 'DATA_DIR_UNWRITABLE' });
      expect((error as Error).message).toContain(target);
      expect((error as { hint: string }).hint).toContain('REHEARSE_DATA_DIR');
    }
  });

  it('a database on a file system that became read-only: DATA_DIR_UNWRITABLE', async (ctx) => {
    if (!isRoot) return ctx.skip('needs root to remount a tmpfs read-only');
    const mounted = tmpfs('remount', 'size=4m');
    if (!mounted) return ctx.skip('mounting a tmpfs is not permitted here');
    const file = path.join(mounted, 'rehearse.sqlite');
    await makeDatabase(file, 1);
    remount(mounted, 'ro');
    await expect(openDatabase(file)).rejects.toMatchObject({ code: 'DATA_DIR_UNWRITABLE' });
  });
});

describe('disk full', () => {
  it('ENOSPC while writing a recording: DISK_FULL, temp file removed, no row', async (ctx) => {
    const mounted = tmpfs('small', 'size=1m');
    if (!mounted) return ctx.skip('mounting a 1 MiB tmpfs is not permitted here (needs root)');
    const store = await open(mounted);
    await upsertProgramWithScenarios(store.db, { pack: samplePack(), packSha256: 'a'.repeat(64) });
    const attempt = await createAttempt(store.db, {
      programId: 'acme-cert',
      scenarioId: 'elevator-pitch',
      mode: 'formal',
    });
    async function* twoMiB() {
      for (let i = 0; i < 8; i++) yield randomBytes(256 * 1024);
    }
    const error = await store.recordings
      .save({ attemptId: attempt.id, kind: 'video', mime: 'video/webm', data: twoMiB() })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DISK_FULL' });
    expect((error as { hint: string }).hint).toMatch(/disk space/);
    expect(fs.readdirSync(store.paths.tmp)).toEqual([]);
    expect(await store.recordings.list()).toEqual([]);
  });

  it('SQLITE_FULL while writing the database: DISK_FULL', async (ctx) => {
    const mounted = tmpfs('small-db', 'size=1m');
    if (!mounted) return ctx.skip('mounting a 1 MiB tmpfs is not permitted here (needs root)');
    const store = await open(mounted);
    await upsertProgramWithScenarios(store.db, { pack: samplePack(), packSha256: 'a'.repeat(64) });
    const attempt = await createAttempt(store.db, {
      programId: 'acme-cert',
      scenarioId: 'elevator-pitch',
      mode: 'formal',
    });
    // Fill the file system, then ask SQLite for more room than is left.
    const filler = path.join(mounted, 'filler');
    const fd = fs.openSync(filler, 'w');
    try {
      for (;;) fs.writeSync(fd, Buffer.alloc(16 * 1024));
    } catch (error) {
      expect((error as { code: string }).code).toBe('ENOSPC');
    } finally {
      fs.closeSync(fd);
    }
    await expect(
      updateAttemptDetails(store.db, attempt.id, { note: 'x'.repeat(256 * 1024) }),
    ).rejects.toMatchObject({
      code: 'DISK_FULL',
    });
    fs.rmSync(filler);
  });
});

describe('one instance per data folder', () => {
  it('a second process gets DATA_DIR_LOCKED naming the first one; after it dies the lock is taken over', async () => {
    child = spawnStoreChild('hold', dir);
    const pid = Number((await child.waitForLine(/^ready \d+$/)).split(' ')[1]);
    expect(pid).toBe(child.process.pid);

    const error = await openStore({ dataDir: dir }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'DATA_DIR_LOCKED',
      message: `Another Rehearse instance (pid ${pid}) is using ${path.resolve(dir)}`,
    });
    expect((error as { hint: string }).hint).toContain('REHEARSE_DATA_DIR');

    child.process.kill('SIGKILL');
    await child.exited;
    const store = await open(dir);
    expect(readLockHolder(store.paths.lock)?.pid).toBe(process.pid);
  });

  it('a process that finds the folder locked by this one reports it', async () => {
    await open(dir);
    child = spawnStoreChild('try-open', dir);
    const line = await child.waitForLine(/^\{/);
    expect(JSON.parse(line)).toMatchObject({
      code: 'DATA_DIR_LOCKED',
      message: `Another Rehearse instance (pid ${process.pid}) is using ${path.resolve(dir)}`,
    });
  });

  it('takes over a lock left by a dead process, or by a crashed earlier run with our pid', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    expect(dead).toBeGreaterThan(0);
    const lock = dataPaths(dir).lock;
    for (const stalePid of [dead, process.pid]) {
      fs.writeFileSync(lock, String(stalePid));
      const store = await openStore({ dataDir: dir });
      expect(readLockHolder(lock)?.pid).toBe(process.pid);
      await store.close();
      expect(fs.existsSync(lock)).toBe(false);
    }
  });

  it('treats a fresh lock without a pid as held (its writer may be mid-creation), an old one as stale', async () => {
    const lock = dataPaths(dir).lock;
    fs.writeFileSync(lock, '');
    await expect(openStore({ dataDir: dir })).rejects.toMatchObject({
      code: 'DATA_DIR_LOCKED',
      message: `Another Rehearse instance is using ${path.resolve(dir)}`,
    });
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    await open(dir);
    expect(readLockHolder(lock)?.pid).toBe(process.pid);
  });
});
