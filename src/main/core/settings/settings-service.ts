/**
 * User settings, disk usage and the bulk-deletion of practice data (the Settings screen's core side).
 *
 * Settings live in the database's `settings` table (one row per key, the value as JSON) rather than
 * in a JSON file beside it: an update is one transaction, the data-folder lock already guards it,
 * a backup of the database carries the settings with the attempts they apply to, and there is no
 * second file to write atomically or to find half-written after a crash.
 */
import type { Dirent } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { settingsSchema } from '../../../shared/api/settings';
import type { Settings, StorageUsage } from '../../../shared/api/types';
import { AppError } from '../../../shared/errors';
import type { Store } from '../store';
import { removeQuarantine } from '../recordings/quarantine';
import { createLogger } from '../util/logger';

const log = createLogger('settings');

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  autoDeleteDays: null,
  cameraId: null,
  microphoneId: null,
  preparationSeconds: null,
});

const SETTING_KEYS = Object.keys(settingsSchema.shape) as Array<keyof Settings>;
const patchSchema = settingsSchema.partial().strict();

const DAY_MS = 24 * 60 * 60 * 1000;

/** Every setting, stored values over the defaults. A stored value that no longer validates is ignored. */
export async function getSettings(store: Store): Promise<Settings> {
  const rows = await store.db.selectFrom('settings').select(['key', 'value_json']).execute();
  const settings: Settings = { ...DEFAULT_SETTINGS };
  for (const row of rows) {
    if (!isSettingKey(row.key)) continue; // written by a newer version: keep it, do not use it
    let value: unknown;
    try {
      value = JSON.parse(row.value_json);
    } catch {
      log.warn('ignoring an unreadable stored setting', { key: row.key });
      continue;
    }
    const parsed = settingsSchema.shape[row.key].safeParse(value);
    if (parsed.success) Object.assign(settings, { [row.key]: parsed.data });
    else log.warn('ignoring an invalid stored setting', { key: row.key });
  }
  return settings;
}

/**
 * Changes the settings named in `patch` (a key set to null goes back to its default) in one
 * transaction and returns them all. INVALID_INPUT, with nothing written, if any value is invalid.
 */
export async function updateSettings(store: Store, patch: Partial<Settings>): Promise<Settings> {
  const parsed = patchSchema.safeParse(patch);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new AppError('INVALID_INPUT', `Invalid setting ${where}${issue?.message ?? 'unknown problem'}`, {
      hint: 'Nothing was changed.',
    });
  }
  const entries = Object.entries(parsed.data).filter(([, value]) => value !== undefined);
  if (entries.length > 0) {
    const now = new Date().toISOString();
    await store.db.transaction().execute(async (trx) => {
      for (const [key, value] of entries) {
        const values = { value_json: JSON.stringify(value), updated_at: now };
        await trx
          .insertInto('settings')
          .values({ key, ...values })
          .onConflict((oc) => oc.column('key').doUpdateSet(values))
          .execute();
      }
    });
  }
  return getSettings(store);
}

/** Where the data lives and how much of the disk it takes, measured from the files themselves. */
export async function storageUsage(store: Store, modelsDir: string): Promise<StorageUsage> {
  const counts = await store.db
    .selectFrom('attempts')
    .select((eb) => ['mode', eb.fn.countAll<number>().as('count')])
    .groupBy('mode')
    .execute();
  const attempts = counts.reduce((sum, row) => sum + Number(row.count), 0);
  const practiceAttempts = Number(counts.find((row) => row.mode === 'practice')?.count ?? 0);
  const db = store.paths.db;
  const [recordingsBytes, modelsBytes, databaseBytes] = await Promise.all([
    folderBytes(store.paths.recordings),
    folderBytes(modelsDir),
    Promise.all([db, `${db}-wal`, `${db}-shm`, `${db}-journal`].map(fileBytes)).then((sizes) =>
      sizes.reduce((a, b) => a + b, 0),
    ),
  ]);
  return {
    dataDir: store.dataDir,
    modelsDir,
    attempts,
    practiceAttempts,
    recordingsBytes,
    modelsBytes,
    databaseBytes,
  };
}

/**
 * Deletes every practice attempt with its recordings and analysis; formal attempts stay. Keeps going
 * past an attempt that cannot be deleted, then fails naming how many were and were not deleted.
 * Quarantined recordings (orphaned-recordings/, no row says what they were) are deleted too.
 */
export async function deleteAllPractice(store: Store): Promise<{ deletedAttempts: number }> {
  const ids = (
    await store.db.selectFrom('attempts').select('id').where('mode', '=', 'practice').execute()
  ).map((row) => row.id);
  const quarantined = await removeQuarantine(store.paths);
  const deletedAttempts = await deleteAttempts(store, ids, 'delete all practice data');
  log.info('deleted all practice attempts', { deletedAttempts, quarantined });
  return { deletedAttempts };
}

/**
 * Deletes practice attempts created more than `autoDeleteDays` days before `now` (run at every
 * start). Returns how many went; 0 when auto-delete is off.
 */
export async function applyAutoDelete(store: Store, now: Date = new Date()): Promise<number> {
  const { autoDeleteDays } = await getSettings(store);
  if (autoDeleteDays === null) return 0;
  const cutoff = new Date(now.getTime() - autoDeleteDays * DAY_MS);
  if (Number.isNaN(cutoff.getTime())) return 0;
  // Quarantined recordings count their age from the day they were quarantined.
  const quarantined = await removeQuarantine(store.paths, cutoff);
  if (quarantined > 0) log.info('auto-deleted old quarantined recordings', { quarantined });
  const rows = await store.db
    .selectFrom('attempts')
    .select(['id', 'created_at'])
    .where('mode', '=', 'practice')
    .execute();
  // Compared as instants, not strings, so a timestamp written with an offset still counts right.
  const old = rows.filter((row) => {
    const created = Date.parse(row.created_at);
    return !Number.isNaN(created) && created < cutoff.getTime();
  });
  return deleteAttempts(
    store,
    old.map((row) => row.id),
    `auto-delete practice older than ${autoDeleteDays} days`,
  );
}

async function deleteAttempts(store: Store, ids: readonly string[], what: string): Promise<number> {
  let deleted = 0;
  const failures: unknown[] = [];
  for (const id of ids) {
    try {
      if (await store.recordings.deleteAttempt(id)) deleted++;
    } catch (error) {
      log.warn('could not delete an attempt', { attemptId: id, what, error: String(error) });
      failures.push(error);
    }
  }
  const first = failures[0];
  if (first !== undefined) {
    const reason = first instanceof Error ? first.message : String(first);
    throw new AppError(
      first instanceof AppError ? first.code : 'INTERNAL',
      `Could not ${what}: deleted ${deleted} attempt(s), ${failures.length} failed (${reason})`,
      { hint: 'Try again; the attempts that failed are unchanged.', cause: first },
    );
  }
  return deleted;
}

function isSettingKey(key: string): key is keyof Settings {
  return (SETTING_KEYS as string[]).includes(key);
}

async function fileBytes(file: string): Promise<number> {
  try {
    const info = await fsp.stat(file);
    return info.isFile() ? info.size : 0;
  } catch (error) {
    if (isMissing(error)) return 0;
    throw error;
  }
}

/**
 * Total size of the files under `dir`. Links to files count with their target's size (as the model
 * manager counts a model someone linked into the folder); linked folders are not entered.
 */
async function folderBytes(dir: string): Promise<number> {
  let entries: Dirent[];
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return 0;
    throw error;
  }
  let total = 0;
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(full);
    else if (entry.isFile() || entry.isSymbolicLink()) total += await fileBytes(full);
  }
  return total;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
