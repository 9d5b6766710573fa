/**
 * Opens the data folder for this process: creates it and its sub-folders, proves it can be written,
 * and takes the instance lock.
 */
import fs from 'node:fs';
import path from 'node:path';
import { dataPaths, type DataPaths } from '../paths';
import { acquireInstanceLock } from './instance-lock';
import { errorCode, mapStorageError, unwritableError } from './storage-errors';

export interface OpenDataDir {
  dataDir: string;
  paths: DataPaths;
  /** Releases the instance lock. */
  close(): void;
}

function probeWritable(dir: string): void {
  const probe = path.join(dir, `.write-probe-${process.pid}`);
  try {
    fs.writeFileSync(probe, 'ok');
  } finally {
    fs.rmSync(probe, { force: true });
  }
}

/** Creates, checks and locks `dataDir`. Throws DATA_DIR_UNWRITABLE, DISK_FULL or DATA_DIR_LOCKED. */
export function openDataDir(dataDir: string): OpenDataDir {
  const dir = path.resolve(dataDir);
  const paths = dataPaths(dir);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    // A recursive mkdir on a read-only file system can report ENOENT for the part it could not create.
    throw errorCode(error) === 'ENOENT' ? unwritableError(dir, error) : mapStorageError(error, dir);
  }
  try {
    probeWritable(dir);
  } catch (error) {
    throw mapStorageError(error, dir);
  }
  let lock: ReturnType<typeof acquireInstanceLock>;
  try {
    lock = acquireInstanceLock(paths.lock, dir);
  } catch (error) {
    throw mapStorageError(error, dir);
  }
  try {
    fs.mkdirSync(paths.recordings, { recursive: true });
    fs.mkdirSync(paths.tmp, { recursive: true });
  } catch (error) {
    lock.release();
    throw mapStorageError(error, dir);
  }
  return { dataDir: dir, paths, close: () => lock.release() };
}
