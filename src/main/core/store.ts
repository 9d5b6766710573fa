/**
 * The one way to open Rehearse's local store, shared by the Electron app, `rehearse serve`, the CLI
 * and the tests: lock the data folder, open and migrate the database, repair the recordings folder,
 * and reset analyses that a dead process left 'running'.
 */
import { openDataDir } from './data-dir/open-data-dir';
import { openDatabase } from './db/open-database';
import { resetInterruptedAnalyses } from './db/repositories/interrupted-analyses';
import type { Db } from './db/schema';
import { resolveDataDir, type DataPaths } from './paths';
import { createRecordingStore, type RecordingStore } from './recordings/recording-store';
import type { SweepReport } from './recordings/sweep-orphans';

export interface Store {
  db: Db;
  dataDir: string;
  paths: DataPaths;
  recordings: RecordingStore;
  /** What the start-up sweep repaired (empty lists after a clean stop). */
  sweep: SweepReport;
  /** Closes the database and releases the data folder. Safe to call twice. */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Defaults to resolveDataDir() (REHEARSE_DATA_DIR or the OS's app-data folder). */
  dataDir?: string;
}

/**
 * Opens the store. Throws AppError DATA_DIR_UNWRITABLE, DATA_DIR_LOCKED, DISK_FULL,
 * DATABASE_CORRUPT, or CONFLICT (database from a newer version).
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const folder = openDataDir(options.dataDir ?? resolveDataDir());
  let db: Db | undefined;
  try {
    db = await openDatabase(folder.paths.db);
    const recordings = createRecordingStore(db, folder.paths);
    const sweep = await recordings.sweepOrphans();
    await resetInterruptedAnalyses(db);
    let closed = false;
    const openDb = db;
    return {
      db: openDb,
      dataDir: folder.dataDir,
      paths: folder.paths,
      recordings,
      sweep,
      async close() {
        if (closed) return;
        closed = true;
        try {
          await openDb.destroy();
        } finally {
          folder.close();
        }
      },
    };
  } catch (error) {
    await db?.destroy().catch(() => undefined);
    folder.close();
    throw error;
  }
}
