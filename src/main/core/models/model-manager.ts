/**
 * Installs, checks and finds the model files the pipeline needs (whisper.cpp ggml, Silero VAD,
 * instruct GGUFs). Files live flat in one folder: REHEARSE_MODELS_DIR when set (users point it at
 * files they already have), else <dataDir>/models. A file whose name matches a catalog entry's
 * fileName counts as that model, whoever put it there.
 */
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { createLogger } from '../util/logger';
import type { CatalogEntry, ModelStage } from './catalog';
import { MODEL_STAGES } from './catalog';
import { DEFAULT_RETRY, downloadResumable, type DownloadProgress, type RetryPolicy } from './download';
import { hashFile, type HashProgress } from './file-hash';
import { currentRecord, MANIFEST_FILE_NAME, readManifest, updateManifest, type HashRecord } from './manifest';

const log = createLogger('models');

export const PART_SUFFIX = '.part';

/** REHEARSE_MODELS_DIR when set and not empty, else <dataDir>/models. */
export function defaultModelsDir(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.REHEARSE_MODELS_DIR?.trim();
  return fromEnv ? fromEnv : join(dataDir, 'models');
}

export type ModelStatus = 'installed' | 'missing' | 'partial' | 'corrupt';

export interface ModelState {
  entry: CatalogEntry;
  status: ModelStatus;
  /** Where the model file is (or will be). */
  path: string;
  /** Size of the model file on disk; 0 when absent. */
  bytesOnDisk: number;
  /** Size of a `.part` left by an interrupted download; 0 when none. */
  partBytes: number;
  /** True when the file's SHA-256 was computed since it last changed and matches the pin. */
  hashChecked: boolean;
  /** Why the file is corrupt, when it is. */
  problem?: string;
}

export interface ExtraFile {
  fileName: string;
  path: string;
  bytes: number;
}

export interface ModelListing {
  modelsDir: string;
  models: ModelState[];
  /** Files in the folder that no catalog entry names (including stray `.part` files). */
  extraFiles: ExtraFile[];
}

export interface InstallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Install an entry with no pinned sha256 anyway, recording the hash it got. */
  allowUnpinned?: boolean;
}

export interface InstallResult {
  id: string;
  path: string;
  bytes: number;
  sha256: string;
  /** True when the file was already in place and nothing was downloaded. */
  alreadyInstalled: boolean;
  /** Bytes reused from an earlier interrupted download. */
  resumedFrom: number;
  /** False when installed with allowUnpinned: the hash was recorded, not checked. */
  pinned: boolean;
}

export type VerifyOutcome = 'ok' | 'mismatch' | 'unpinned';

export interface VerifyResult {
  id: string;
  path: string;
  outcome: VerifyOutcome;
  bytes: number;
  sha256: string;
  /** The pinned digest, or the one recorded at an unpinned install; null when neither exists. */
  expectedSha256: string | null;
  expectedBytes: number | null;
}

export interface VerifyOptions {
  signal?: AbortSignal;
  onProgress?: (progress: HashProgress) => void;
}

export interface ModelManager {
  readonly modelsDir: string;
  readonly catalog: readonly CatalogEntry[];
  list(): Promise<ModelListing>;
  install(id: string, options?: InstallOptions): Promise<InstallResult>;
  verify(id: string, options?: VerifyOptions): Promise<VerifyResult>;
  /** Deletes the model file and any `.part`; returns the bytes freed. */
  remove(id: string): Promise<{ removedBytes: number }>;
  /** Path of an installed model, by catalog id or by stage (recommended entries first); null if none. */
  resolve(stageOrId: ModelStage | string): Promise<string | null>;
  /** Like resolve, with the catalog entry that matched. */
  resolveEntry(stageOrId: ModelStage | string): Promise<{ entry: CatalogEntry; path: string } | null>;
  /** Bytes used by all files in the models folder. */
  diskUsage(): Promise<number>;
}

export interface ModelManagerOptions {
  /** The models folder; defaults to defaultModelsDir(dataDir). */
  modelsDir?: string;
  dataDir?: string;
  catalog: readonly CatalogEntry[];
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  idleTimeoutMs?: number;
  progressIntervalMs?: number;
}

export function createModelManager(options: ModelManagerOptions): ModelManager {
  const modelsDir =
    options.modelsDir ??
    (options.dataDir !== undefined ? defaultModelsDir(options.dataDir) : undefined) ??
    missingDir();
  const catalog = options.catalog;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const installing = new Map<string, Promise<InstallResult>>();

  const pathOf = (entry: CatalogEntry) => join(modelsDir, entry.fileName);
  const partOf = (entry: CatalogEntry) => `${pathOf(entry)}${PART_SUFFIX}`;

  function entryOf(id: string): CatalogEntry {
    const entry = catalog.find((candidate) => candidate.id === id);
    if (!entry) {
      throw new AppError('NOT_FOUND', `No model "${id}" in the catalog`, {
        hint: `Known models: ${catalog.map((candidate) => candidate.id).join(', ')}`,
      });
    }
    return entry;
  }

  async function stateOf(
    entry: CatalogEntry,
    manifest: Awaited<ReturnType<typeof readManifest>>,
  ): Promise<ModelState> {
    const path = pathOf(entry);
    const file = await statFile(path);
    const part = await statFile(partOf(entry));
    const partBytes = part?.size ?? 0;
    if (!file) {
      return {
        entry,
        status: part ? 'partial' : 'missing',
        path,
        bytesOnDisk: 0,
        partBytes,
        hashChecked: false,
      };
    }
    const base = { entry, path, bytesOnDisk: file.size, partBytes };
    if (entry.verified && entry.bytes !== null && file.size !== entry.bytes) {
      const problem = `size is ${file.size} bytes, the pinned size is ${entry.bytes}`;
      return { ...base, status: 'corrupt', hashChecked: false, problem };
    }
    const record = currentRecord(manifest, entry.fileName, file);
    if (entry.verified && record && record.sha256 !== entry.sha256) {
      const problem = `SHA-256 is ${record.sha256}, the pinned one is ${entry.sha256}`;
      return { ...base, status: 'corrupt', hashChecked: true, problem };
    }
    return { ...base, status: 'installed', hashChecked: Boolean(entry.verified && record) };
  }

  async function list(): Promise<ModelListing> {
    const manifest = await readManifest(modelsDir);
    const models = await Promise.all(catalog.map((entry) => stateOf(entry, manifest)));
    const known = new Set(catalog.flatMap((entry) => [entry.fileName, `${entry.fileName}${PART_SUFFIX}`]));
    known.add(MANIFEST_FILE_NAME);
    const extraFiles: ExtraFile[] = [];
    for (const dirent of await readDir(modelsDir)) {
      if (!dirent.isFile() || known.has(dirent.name) || dirent.name.startsWith(`${MANIFEST_FILE_NAME}.`))
        continue;
      const path = join(modelsDir, dirent.name);
      const info = await statFile(path);
      if (info) extraFiles.push({ fileName: dirent.name, path, bytes: info.size });
    }
    extraFiles.sort((a, b) => a.fileName.localeCompare(b.fileName));
    return { modelsDir, models, extraFiles };
  }

  async function install(id: string, installOptions: InstallOptions = {}): Promise<InstallResult> {
    const entry = entryOf(id);
    if (installing.has(id)) {
      throw new AppError('CONFLICT', `${entry.name} is already being installed`, {
        hint: 'Wait for the running install to finish, or cancel it first.',
      });
    }
    const run = installEntry(entry, installOptions);
    installing.set(id, run);
    try {
      return await run;
    } finally {
      installing.delete(id);
    }
  }

  async function installEntry(entry: CatalogEntry, installOptions: InstallOptions): Promise<InstallResult> {
    const pinned = entry.sha256 !== null;
    if (!pinned && !installOptions.allowUnpinned) {
      throw new AppError(
        'INVALID_INPUT',
        `${entry.name} has no pinned SHA-256, so its download cannot be checked`,
        {
          hint: `Pass --allow-unpinned to install it anyway and record the hash it gets, or place ${entry.fileName} in ${modelsDir} yourself.`,
        },
      );
    }
    const path = pathOf(entry);
    const manifest = await readManifest(modelsDir);
    const existing = await stateOf(entry, manifest);
    const onDisk = existing.status === 'installed' ? await statFile(path) : null;
    if (onDisk) {
      // A file already in place (installed earlier or put there by hand): hash it once if that was
      // never done, and keep it when it matches the pin.
      let sha256 = currentRecord(manifest, entry.fileName, onDisk)?.sha256;
      if (sha256 === undefined) sha256 = (await hashCancellable(path, entry, installOptions.signal)).sha256;
      // The pin, else the hash recorded when an unpinned file was first installed or checked.
      const reference = entry.sha256 ?? manifest.files[entry.fileName]?.sha256 ?? sha256;
      if (sha256 === reference) {
        await updateManifest(modelsDir, entry.fileName, record(sha256, onDisk));
        return {
          id: entry.id,
          path,
          bytes: onDisk.size,
          sha256,
          alreadyInstalled: true,
          resumedFrom: 0,
          pinned,
        };
      }
      log.warn('the installed file does not match its expected hash; downloading it again', {
        model: entry.id,
        sha256,
      });
    }

    await ensureDir(modelsDir);
    const partPath = partOf(entry);
    log.info('installing model', { model: entry.id, url: entry.url, partPath });
    const result = await downloadResumable({
      url: entry.url,
      partPath,
      expectedBytes: entry.verified ? entry.bytes : null,
      label: entry.name,
      failureHint: `Check your connection and run the install again (it resumes), or download ${entry.url} yourself into ${modelsDir}.`,
      fetch: fetchImpl,
      signal: installOptions.signal,
      onProgress: installOptions.onProgress,
      retry,
      idleTimeoutMs: options.idleTimeoutMs,
      progressIntervalMs: options.progressIntervalMs,
    });

    const sizeWrong = entry.bytes !== null && result.bytes !== entry.bytes;
    const hashWrong = entry.sha256 !== null && result.sha256 !== entry.sha256;
    if (sizeWrong || hashWrong) {
      await rm(partPath, { force: true });
      const what = sizeWrong
        ? `${result.bytes} bytes instead of the pinned ${entry.bytes}`
        : `SHA-256 ${result.sha256} instead of the pinned ${entry.sha256}`;
      throw new AppError(
        'CHECKSUM_MISMATCH',
        `The download of ${entry.name} does not match its pin: ${what}`,
        {
          hint: 'The partial file was deleted. Try again later; if it persists the catalog entry or the mirror is wrong.',
        },
      );
    }
    if (installOptions.signal?.aborted) {
      throw new AppError('CANCELLED', `Downloading ${entry.name} was cancelled`, {
        hint: 'Run the install again; the finished download will be checked and moved into place.',
      });
    }
    await rename(partPath, path);
    const info = await stat(path);
    await updateManifest(modelsDir, entry.fileName, record(result.sha256, info));
    if (!pinned)
      log.warn('installed an unpinned model; recorded the hash it got', {
        model: entry.id,
        sha256: result.sha256,
      });
    return {
      id: entry.id,
      path,
      bytes: result.bytes,
      sha256: result.sha256,
      alreadyInstalled: false,
      resumedFrom: result.resumedFrom,
      pinned,
    };
  }

  async function verify(id: string, verifyOptions: VerifyOptions = {}): Promise<VerifyResult> {
    const entry = entryOf(id);
    const path = pathOf(entry);
    const before = await statFile(path);
    if (!before) {
      throw new AppError(
        'MODEL_MISSING',
        `${entry.name} is not installed (no ${entry.fileName} in ${modelsDir})`,
        {
          hint: `Run \`rehearse models install ${entry.id}\`, or place the file there yourself.`,
        },
      );
    }
    const recorded = (await readManifest(modelsDir)).files[entry.fileName];
    const hashed = await hashCancellable(path, entry, verifyOptions.signal, verifyOptions.onProgress);
    // The pin, else the hash recorded when an unpinned file was installed (or first checked).
    const expectedSha256 = entry.sha256 ?? recorded?.sha256 ?? null;
    const expectedBytes = entry.verified ? entry.bytes : null;
    let outcome: VerifyOutcome;
    if (expectedSha256 === null) outcome = 'unpinned';
    else if (hashed.sha256 === expectedSha256 && (expectedBytes === null || hashed.bytes === expectedBytes))
      outcome = 'ok';
    else outcome = 'mismatch';
    // Remember what the file hashes to now, except for an unpinned file that no longer matches its
    // record: that record is the only evidence of what was installed.
    if (!(entry.sha256 === null && outcome === 'mismatch')) {
      await updateManifest(modelsDir, entry.fileName, record(hashed.sha256, before));
    }
    return {
      id: entry.id,
      path,
      outcome,
      bytes: hashed.bytes,
      sha256: hashed.sha256,
      expectedSha256,
      expectedBytes,
    };
  }

  async function remove(id: string): Promise<{ removedBytes: number }> {
    const entry = entryOf(id);
    if (installing.has(id)) {
      throw new AppError('CONFLICT', `${entry.name} is being installed`, {
        hint: 'Cancel the install first.',
      });
    }
    let removedBytes = 0;
    for (const path of [pathOf(entry), partOf(entry)]) {
      const info = await statFile(path);
      if (!info) continue;
      await rm(path, { force: true });
      removedBytes += info.size;
    }
    await updateManifest(modelsDir, entry.fileName, undefined);
    return { removedBytes };
  }

  async function resolveEntry(
    stageOrId: ModelStage | string,
  ): Promise<{ entry: CatalogEntry; path: string } | null> {
    const byId = catalog.find((entry) => entry.id === stageOrId);
    let candidates: CatalogEntry[];
    if (byId) candidates = [byId];
    else if ((MODEL_STAGES as readonly string[]).includes(stageOrId)) {
      const ofStage = catalog.filter((entry) => entry.stage === stageOrId);
      candidates = [
        ...ofStage.filter((entry) => entry.recommended),
        ...ofStage.filter((entry) => !entry.recommended),
      ];
    } else {
      throw new AppError('NOT_FOUND', `"${stageOrId}" is neither a model id nor a stage`, {
        hint: `Stages: ${MODEL_STAGES.join(', ')}; models: ${catalog.map((entry) => entry.id).join(', ')}`,
      });
    }
    const manifest = await readManifest(modelsDir);
    for (const entry of candidates) {
      const state = await stateOf(entry, manifest);
      if (state.status === 'installed') return { entry, path: state.path };
    }
    return null;
  }

  async function diskUsage(): Promise<number> {
    let total = 0;
    for (const dirent of await readDir(modelsDir)) {
      if (!dirent.isFile()) continue;
      total += (await statFile(join(modelsDir, dirent.name)))?.size ?? 0;
    }
    return total;
  }

  return {
    modelsDir,
    catalog,
    list,
    install,
    verify,
    remove,
    resolve: async (stageOrId) => (await resolveEntry(stageOrId))?.path ?? null,
    resolveEntry,
    diskUsage,
  };
}

async function hashCancellable(
  path: string,
  entry: CatalogEntry,
  signal: AbortSignal | undefined,
  onProgress?: (progress: HashProgress) => void,
): Promise<{ sha256: string; bytes: number }> {
  try {
    return await hashFile(path, { signal, onProgress });
  } catch (error) {
    if (signal?.aborted)
      throw new AppError('CANCELLED', `Checking ${entry.name} was cancelled`, { cause: error });
    throw error;
  }
}

function record(sha256: string, info: { size: number; mtimeMs: number }): HashRecord {
  return { sha256, bytes: info.size, mtimeMs: info.mtimeMs, hashedAt: new Date().toISOString() };
}

function missingDir(): never {
  throw new AppError('INVALID_INPUT', 'createModelManager needs modelsDir or dataDir');
}

async function statFile(path: string): Promise<{ size: number; mtimeMs: number } | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? { size: info.size, mtimeMs: info.mtimeMs } : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function readDir(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function ensureDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') {
      throw new AppError('DISK_FULL', `No space to create ${dir}`, {
        hint: 'Free some disk space and try again.',
        cause: error,
      });
    }
    throw new AppError(
      'DATA_DIR_UNWRITABLE',
      `Cannot create the models folder ${dir}: ${code ?? String(error)}`,
      {
        hint: 'Make it writable, or point REHEARSE_MODELS_DIR at a folder that is.',
        cause: error,
      },
    );
  }
}
