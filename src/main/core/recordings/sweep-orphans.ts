/**
 * Restores the invariant "every recording row has its file and every file has a row" after a crash.
 * Runs at open, while this process holds the data folder's lock, so no write can be in flight.
 *
 * - `tmp/*.part`: unfinished writes, deleted.
 * - Files (and folders) under recordings/ that no row references: never deleted, but moved to
 *   `orphaned-recordings/<day>/` (quarantine.ts), where `rehearse attempts recover` re-imports them.
 *   An empty or replaced database thus keeps every recording.
 * - Rows whose file is missing: the row is deleted (it describes nothing) and the attempt, if it was
 *   only 'recorded' and has no recording left, is marked 'failed' so the UI does not offer to analyse
 *   it. The attempt itself and any analysis already made are kept.
 * - Rows whose file has another size: reported, left alone (the file may be inspected by hand).
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { dataPaths } from '../paths';
import { moveToQuarantine, quarantineDay } from './quarantine';
import { deleteRecordingRow, listRecordings } from '../db/repositories/recordings';
import type { Db } from '../db/schema';
import { createLogger } from '../util/logger';

const log = createLogger('recordings');

export interface SweepReport {
  removedTempFiles: string[];
  /** Files and folders no row referenced, relative to the recordings folder; moved to quarantine. */
  quarantinedOrphans: string[];
  missingFiles: Array<{ recordingId: string; attemptId: string; relativePath: string }>;
  sizeMismatches: Array<{ recordingId: string; relativePath: string; expected: number; actual: number }>;
  /** Attempts marked 'failed' because their only recordings were missing. */
  failedAttempts: string[];
}

async function entries(dir: string) {
  try {
    return await fsp.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

export async function sweepOrphans(db: Db, dataDir: string): Promise<SweepReport> {
  const paths = dataPaths(dataDir);
  const report: SweepReport = {
    removedTempFiles: [],
    quarantinedOrphans: [],
    missingFiles: [],
    sizeMismatches: [],
    failedAttempts: [],
  };

  for (const entry of await entries(paths.tmp)) {
    if (!entry.name.endsWith('.part')) continue;
    await fsp.rm(path.join(paths.tmp, entry.name), { force: true, recursive: true });
    report.removedTempFiles.push(entry.name);
  }

  const rows = await listRecordings(db);
  const referenced = new Set(rows.map((r) => r.relativePath));
  const referencedFolders = new Set(rows.map((r) => r.relativePath.split('/')[0]));

  const day = quarantineDay();
  for (const top of await entries(paths.recordings)) {
    const topPath = path.join(paths.recordings, top.name);
    if (!top.isDirectory() || !referencedFolders.has(top.name)) {
      if (referenced.has(top.name)) continue;
      await moveToQuarantine(paths, topPath, [top.name], day);
      report.quarantinedOrphans.push(top.name);
      continue;
    }
    for (const inner of await entries(topPath)) {
      const rel = `${top.name}/${inner.name}`;
      if (referenced.has(rel) && inner.isFile()) continue;
      await moveToQuarantine(paths, path.join(topPath, inner.name), [top.name, inner.name], day);
      report.quarantinedOrphans.push(rel);
    }
  }

  const touchedAttempts = new Set<string>();
  for (const row of rows) {
    const file = path.join(paths.recordings, ...row.relativePath.split('/'));
    const stat = await fsp.stat(file).catch(() => undefined);
    if (!stat?.isFile()) {
      await deleteRecordingRow(db, row.id);
      report.missingFiles.push({
        recordingId: row.id,
        attemptId: row.attemptId,
        relativePath: row.relativePath,
      });
      touchedAttempts.add(row.attemptId);
    } else if (stat.size !== row.bytes) {
      report.sizeMismatches.push({
        recordingId: row.id,
        relativePath: row.relativePath,
        expected: row.bytes,
        actual: stat.size,
      });
    }
  }
  for (const attemptId of touchedAttempts) {
    const left = await listRecordings(db, attemptId);
    if (left.length > 0) continue;
    const result = await db
      .updateTable('attempts')
      .set({ status: 'failed', updated_at: new Date().toISOString() })
      .where('id', '=', attemptId)
      .where('status', '=', 'recorded')
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) report.failedAttempts.push(attemptId);
  }

  if (report.removedTempFiles.length + report.quarantinedOrphans.length + report.missingFiles.length > 0)
    log.warn('repaired the recordings folder after an unclean stop', {
      removedTempFiles: report.removedTempFiles.length,
      quarantinedOrphans: report.quarantinedOrphans.length,
      missingFiles: report.missingFiles.length,
    });
  if (report.sizeMismatches.length > 0)
    log.error('recording files with unexpected sizes', { files: report.sizeMismatches });
  return report;
}
