/**
 * Recording files that no database row references are never deleted: they are moved into
 * `orphaned-recordings/<YYYY-MM-DD>/…` in the data folder, where `rehearse attempts recover` lists
 * them and re-imports them as attempts. An empty or replaced database (a DATABASE_CORRUPT file moved
 * aside, a deleted rehearse.sqlite) therefore loses the attempts' metadata, never the recordings.
 *
 * Layout: one folder per item, named after what was found: `<attemptId>/` (an attempt's folder, or
 * the orphan files of one), `capture-<attemptId>/` (unfinished capture parts), or a single stray file.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import type { DataPaths } from '../paths';
import type { RecordingKind } from '../db/schema';

export const QUARANTINE_FOLDER = 'orphaned-recordings';

export function quarantineRoot(paths: Pick<DataPaths, 'dataDir'>): string {
  return path.join(paths.dataDir, QUARANTINE_FOLDER);
}

/** Today's quarantine folder name (UTC date), e.g. `2026-12-01`. */
export function quarantineDay(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

async function exists(file: string): Promise<boolean> {
  return (await fsp.lstat(file).catch(() => undefined)) !== undefined;
}

/** `name`, or `name-2`, `name-3`… (before the extension) when that is taken. */
async function freeName(dir: string, name: string): Promise<string> {
  if (!(await exists(path.join(dir, name)))) return name;
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}${ext}`;
    if (!(await exists(path.join(dir, candidate)))) return candidate;
  }
}

/**
 * Moves `source` (a file or folder inside the data folder) to
 * `orphaned-recordings/<day>/<...relative>`; returns the path relative to the quarantine root.
 * A name already taken there gets a `-2`, `-3`… suffix, so nothing is overwritten.
 */
export async function moveToQuarantine(
  paths: Pick<DataPaths, 'dataDir'>,
  source: string,
  relative: string[],
  day: string = quarantineDay(),
): Promise<string> {
  const parents = relative.slice(0, -1);
  const dir = path.join(quarantineRoot(paths), day, ...parents);
  await fsp.mkdir(dir, { recursive: true });
  const name = await freeName(dir, relative.at(-1) ?? path.basename(source));
  await fsp.rename(source, path.join(dir, name));
  return [day, ...parents, name].join('/');
}

export interface QuarantinedFile {
  name: string;
  bytes: number;
  /** What re-importing would make of it; null when it is not a recording file Rehearse wrote. */
  recording: { kind: RecordingKind; mime: string } | null;
}

export interface QuarantinedItem {
  /** `<day>/<name>`: what `rehearse attempts recover <id>` takes. */
  id: string;
  day: string;
  files: QuarantinedFile[];
}

const MIMES: Readonly<Record<RecordingKind, Readonly<Record<string, string>>>> = {
  video: { webm: 'video/webm', mp4: 'video/mp4', mov: 'video/quicktime', mkv: 'video/x-matroska' },
  audio: {
    webm: 'audio/webm',
    ogg: 'audio/ogg',
    wav: 'audio/wav',
    mp3: 'audio/mpeg',
    m4a: 'audio/mp4',
    flac: 'audio/flac',
    pcm: 'audio/pcm',
  },
};

/** `video.webm` → video/webm, `audio.wav` → audio/wav (the names recordingRelativePath gives). */
export function recordingOfName(name: string): QuarantinedFile['recording'] {
  const match = /^(video|audio)(?:-\d+)?\.([a-z0-9]+)$/.exec(name);
  if (!match) return null;
  const kind = match[1] as RecordingKind;
  const mime = MIMES[kind][match[2] ?? ''];
  return mime ? { kind, mime } : null;
}

async function describe(file: string, name: string): Promise<QuarantinedFile | null> {
  const stat = await fsp.stat(file).catch(() => undefined);
  if (!stat?.isFile()) return null;
  return { name, bytes: stat.size, recording: recordingOfName(name) };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Every quarantined item, oldest day first. */
export async function listQuarantine(paths: Pick<DataPaths, 'dataDir'>): Promise<QuarantinedItem[]> {
  const root = quarantineRoot(paths);
  const days = (await fsp.readdir(root, { withFileTypes: true }).catch(() => []))
    .filter((d) => d.isDirectory() && DAY.test(d.name))
    .map((d) => d.name)
    .sort();
  const items: QuarantinedItem[] = [];
  for (const day of days) {
    const entries = await fsp.readdir(path.join(root, day), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(root, day, entry.name);
      const files: QuarantinedFile[] = [];
      if (entry.isDirectory()) {
        for (const inner of (await fsp.readdir(full)).sort()) {
          const file = await describe(path.join(full, inner), inner);
          if (file) files.push(file);
        }
      } else {
        const file = await describe(full, entry.name);
        if (file) files.push(file);
      }
      items.push({ id: `${day}/${entry.name}`, day, files });
    }
  }
  return items;
}

/** The absolute folder (or file) of a quarantined item; NOT_FOUND for anything else. */
export async function quarantinedItemPath(
  paths: Pick<DataPaths, 'dataDir'>,
  id: string,
): Promise<{ path: string; isDirectory: boolean }> {
  const [day, name, ...rest] = id.split('/');
  if (!day || !DAY.test(day) || !name || rest.length > 0 || name.startsWith('.') || name.includes('\\'))
    throw new AppError('INVALID_INPUT', `Not a quarantined recording: "${id}"`, {
      hint: 'Run `rehearse attempts recover` to list them (ids look like 2026-12-01/<name>).',
    });
  const full = path.join(quarantineRoot(paths), day, name);
  const stat = await fsp.lstat(full).catch(() => undefined);
  if (!stat || stat.isSymbolicLink())
    throw new AppError('NOT_FOUND', `No quarantined recording "${id}"`, {
      hint: 'Run `rehearse attempts recover` to list them.',
    });
  return { path: full, isDirectory: stat.isDirectory() };
}

/**
 * Deletes quarantined items: all of them, or those quarantined on a day before `before` (the
 * privacy settings: "delete all practice data" and auto-delete). Returns how many went.
 */
export async function removeQuarantine(paths: Pick<DataPaths, 'dataDir'>, before?: Date): Promise<number> {
  const cutoff = before === undefined ? undefined : quarantineDay(before);
  let removed = 0;
  for (const item of await listQuarantine(paths)) {
    if (cutoff !== undefined && item.day >= cutoff) continue;
    const [day, name] = item.id.split('/') as [string, string];
    await fsp.rm(path.join(quarantineRoot(paths), day, name), { recursive: true, force: true });
    await fsp.rmdir(path.join(quarantineRoot(paths), day)).catch(() => undefined); // once empty
    removed++;
  }
  return removed;
}
