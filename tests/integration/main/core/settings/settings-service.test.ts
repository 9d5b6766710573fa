import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAttempt, getAttempt } from '../../../../../src/main/core/db/repositories/attempts';
import { upsertProgramWithScenarios } from '../../../../../src/main/core/db/repositories/programs';
import {
  applyAutoDelete,
  deleteAllPractice,
  getSettings,
  storageUsage,
  updateSettings,
} from '../../../../../src/main/core/settings/settings-service';
import { openStore, type Store } from '../../../../../src/main/core/store';
import { listQuarantine, moveToQuarantine } from '../../../../../src/main/core/recordings/quarantine';
import { samplePack } from '../store/fixtures/sample-pack';
import { makeTempDir } from '../store/helpers';
import { rejection } from '../../../../helpers/rejection';

const DAY_MS = 24 * 60 * 60 * 1000;

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = makeTempDir('rehearse-settings-');
  store = await openStore({ dataDir: dir });
  await upsertProgramWithScenarios(store.db, { pack: samplePack(), packSha256: 'a'.repeat(64) });
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** An attempt with an audio recording of `bytes` bytes; `ageDays` back-dates it. */
async function attemptWithRecording(mode: 'practice' | 'formal', bytes: number, ageDays = 0) {
  const attempt = await createAttempt(store.db, {
    programId: 'acme-cert',
    scenarioId: 'elevator-pitch',
    mode,
  });
  const recording = await store.recordings.save({
    attemptId: attempt.id,
    kind: 'audio',
    mime: 'audio/wav',
    data: new Uint8Array(bytes).fill(7),
  });
  if (ageDays > 0) {
    const createdAt = new Date(Date.now() - ageDays * DAY_MS).toISOString();
    await sql`update attempts set created_at = ${createdAt} where id = ${attempt.id}`.execute(store.db);
  }
  return { id: attempt.id, file: store.recordings.resolvePath(recording.relativePath) };
}

describe('settings', () => {
  it('start with every setting at its default', async () => {
    expect(await getSettings(store)).toEqual({
      autoDeleteDays: null,
      cameraId: null,
      microphoneId: null,
      preparationSeconds: null,
    });
  });

  it('update only the keys given, return them all, and survive reopening the store', async () => {
    const afterFirst = await updateSettings(store, { autoDeleteDays: 30, cameraId: 'cam-1' });
    expect(afterFirst).toEqual({
      autoDeleteDays: 30,
      cameraId: 'cam-1',
      microphoneId: null,
      preparationSeconds: null,
    });
    const afterSecond = await updateSettings(store, { microphoneId: 'mic-2', preparationSeconds: 0 });
    expect(afterSecond).toEqual({
      autoDeleteDays: 30,
      cameraId: 'cam-1',
      microphoneId: 'mic-2',
      preparationSeconds: 0,
    });

    await store.close();
    store = await openStore({ dataDir: dir });
    expect(await getSettings(store)).toEqual(afterSecond);

    // null puts a setting back to its default; the others stay.
    expect(await updateSettings(store, { autoDeleteDays: null })).toEqual({
      ...afterSecond,
      autoDeleteDays: null,
    });
  });

  it('refuse invalid values with INVALID_INPUT and change nothing, not even the valid keys beside them', async () => {
    await updateSettings(store, { autoDeleteDays: 7 });
    const before = await getSettings(store);
    const cases: unknown[] = [
      { autoDeleteDays: 0 },
      { autoDeleteDays: 1.5 },
      { autoDeleteDays: 3651 },
      { preparationSeconds: -1 },
      { cameraId: 'x'.repeat(513) },
      { cameraId: 'ok', unknownSetting: true },
      { microphoneId: 'ok', preparationSeconds: 'ten' },
    ];
    for (const patch of cases) {
      const error = await rejection(updateSettings(store, patch as Parameters<typeof updateSettings>[1]));
      expect(error.code, JSON.stringify(patch)).toBe('INVALID_INPUT');
    }
    expect(await getSettings(store)).toEqual(before);
  });

  it('fall back to the default for a stored value this version cannot read, keeping the others', async () => {
    await updateSettings(store, { cameraId: 'cam-1', preparationSeconds: 20 });
    await sql`update settings set value_json = '"soon"' where key = 'preparationSeconds'`.execute(store.db);
    await sql`insert into settings (key, value_json, updated_at) values ('fromTheFuture', '1', 'now')`.execute(
      store.db,
    );
    expect(await getSettings(store)).toEqual({
      autoDeleteDays: null,
      cameraId: 'cam-1',
      microphoneId: null,
      preparationSeconds: null,
    });
  });
});

describe('auto-delete', () => {
  it('does nothing while it is off', async () => {
    const old = await attemptWithRecording('practice', 100, 400);
    expect(await applyAutoDelete(store)).toBe(0);
    expect(await getAttempt(store.db, old.id)).toBeDefined();
    expect(fs.existsSync(old.file)).toBe(true);
  });

  it('deletes only practice attempts older than the setting, with their files', async () => {
    await updateSettings(store, { autoDeleteDays: 30 });
    const oldPractice = await attemptWithRecording('practice', 100, 31);
    const olderPractice = await attemptWithRecording('practice', 100, 365);
    const recentPractice = await attemptWithRecording('practice', 100, 29);
    const oldFormal = await attemptWithRecording('formal', 100, 365);

    expect(await applyAutoDelete(store)).toBe(2);

    for (const gone of [oldPractice, olderPractice]) {
      expect(await getAttempt(store.db, gone.id)).toBeUndefined();
      expect(fs.existsSync(gone.file)).toBe(false);
      expect(fs.existsSync(path.dirname(gone.file))).toBe(false);
    }
    for (const kept of [recentPractice, oldFormal]) {
      expect(await getAttempt(store.db, kept.id)).toBeDefined();
      expect(fs.existsSync(kept.file)).toBe(true);
    }
    expect(await store.recordings.list()).toHaveLength(2);
    // Nothing more is old enough a second time.
    expect(await applyAutoDelete(store)).toBe(0);
  });

  it('measures age from the `now` it is given', async () => {
    await updateSettings(store, { autoDeleteDays: 1 });
    const fresh = await attemptWithRecording('practice', 10);
    expect(await applyAutoDelete(store, new Date(Date.now() + DAY_MS / 2))).toBe(0);
    expect(await applyAutoDelete(store, new Date(Date.now() + 2 * DAY_MS))).toBe(1);
    expect(await getAttempt(store.db, fresh.id)).toBeUndefined();
  });
});

describe('delete all practice data', () => {
  it('deletes every practice attempt and its files and keeps formal attempts', async () => {
    const practice = [
      await attemptWithRecording('practice', 1000),
      await attemptWithRecording('practice', 2000, 3),
      await attemptWithRecording('practice', 3000),
    ];
    const formal = await attemptWithRecording('formal', 4000);

    expect(await deleteAllPractice(store)).toEqual({ deletedAttempts: 3 });
    for (const gone of practice) {
      expect(await getAttempt(store.db, gone.id)).toBeUndefined();
      expect(fs.existsSync(gone.file)).toBe(false);
    }
    expect((await getAttempt(store.db, formal.id))?.mode).toBe('formal');
    expect(fs.readFileSync(formal.file)).toHaveLength(4000);
    expect(await deleteAllPractice(store)).toEqual({ deletedAttempts: 0 });
  });
});

describe('quarantined recordings and the privacy settings', () => {
  /** A recording file the database does not know, quarantined on `day`. */
  async function quarantined(name: string, day: string): Promise<string> {
    const file = path.join(store.dataDir, `${name}.webm`);
    fs.writeFileSync(file, 'orphan');
    return moveToQuarantine(store.paths, file, [name, 'video.webm'], day);
  }

  it('delete all practice data empties the quarantine too', async () => {
    await quarantined('lost-a', '2026-01-02');
    await quarantined('lost-b', new Date().toISOString().slice(0, 10));
    expect(await listQuarantine(store.paths)).toHaveLength(2);
    await deleteAllPractice(store);
    expect(await listQuarantine(store.paths)).toEqual([]);
    expect(fs.readdirSync(path.join(store.dataDir, 'orphaned-recordings'))).toEqual([]);
  });

  it('auto-delete removes what was quarantined longer ago than the setting', async () => {
    const today = new Date().toISOString().slice(0, 10);
    await quarantined('lost-old', '2020-03-04');
    await quarantined('lost-new', today);
    expect(await applyAutoDelete(store)).toBe(0);
    expect(await listQuarantine(store.paths)).toHaveLength(2); // auto-delete off: nothing goes
    await updateSettings(store, { autoDeleteDays: 30 });
    await applyAutoDelete(store);
    expect((await listQuarantine(store.paths)).map((i) => i.id)).toEqual([`${today}/lost-new`]);
  });
});

describe('storage usage', () => {
  it('reports the sizes of the files on disk and the attempt counts', async () => {
    const empty = await storageUsage(store, store.paths.models);
    expect(empty).toMatchObject({
      dataDir: dir,
      modelsDir: store.paths.models,
      attempts: 0,
      practiceAttempts: 0,
      recordingsBytes: 0,
      modelsBytes: 0,
    });

    await attemptWithRecording('practice', 1500);
    await attemptWithRecording('practice', 2500);
    await attemptWithRecording('formal', 4000);
    fs.mkdirSync(store.paths.models, { recursive: true });
    fs.writeFileSync(path.join(store.paths.models, 'a.bin'), Buffer.alloc(12_345));
    fs.writeFileSync(path.join(store.paths.models, 'b.gguf.part'), Buffer.alloc(55));

    const usage = await storageUsage(store, store.paths.models);
    expect(usage).toMatchObject({
      attempts: 3,
      practiceAttempts: 2,
      recordingsBytes: 1500 + 2500 + 4000,
      modelsBytes: 12_345 + 55,
    });
    const dbFiles = ['', '-wal', '-shm']
      .map((suffix) => `${store.paths.db}${suffix}`)
      .filter((file) => fs.existsSync(file))
      .reduce((sum, file) => sum + fs.statSync(file).size, 0);
    expect(usage.databaseBytes).toBe(dbFiles);
    expect(usage.databaseBytes).toBeGreaterThan(0);
  });

  it('counts a models folder outside the data folder, and a missing one as empty', async () => {
    const elsewhere = makeTempDir('rehearse-models-elsewhere-');
    try {
      fs.writeFileSync(path.join(elsewhere, 'model.bin'), Buffer.alloc(777));
      expect((await storageUsage(store, elsewhere)).modelsBytes).toBe(777);
      expect((await storageUsage(store, path.join(elsewhere, 'absent'))).modelsBytes).toBe(0);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
