/**
 * `rehearse models list|install|verify|remove`: thin wrappers over the model manager
 * (src/main/core/models, docs/models.md). They never open the database, so they work while the app
 * holds the data folder's lock.
 */
import path from 'node:path';
import type { Command } from 'commander';
import {
  createModelManager,
  defaultModelsDir,
  loadCatalog,
  type DownloadProgress,
  type InstallResult,
  type ModelManager,
  type ModelState,
  type VerifyResult,
} from '../../main/core/models';
import { resolveDataDir } from '../../main/core/paths';
import { AppError, isAppError } from '../../shared/errors';
import { formatBytes, formatDuration, table } from '../format';
import { reportError } from '../output';
import type { Output } from '../output';
import type { Run } from '../run';
import { EXIT } from '../exit-codes';

const DEFAULT_RETRIES = 4;

export function registerModelsCommands(program: Command, run: Run): void {
  const models = program
    .command('models')
    .description('list, install, verify and remove the on-device models (see docs/models.md)');

  /**
   * The manager for the models folder: REHEARSE_MODELS_DIR, else <data folder>/models. The CLI opens
   * no core (openCore builds the one manager that the app's installs and analyses share), so a
   * command builds its own here, for the length of the command.
   */
  const openManager = async (retries = DEFAULT_RETRIES): Promise<ModelManager> => {
    const dataDirOption = program.opts<{ dataDir?: string }>().dataDir;
    const dataDir = dataDirOption === undefined ? resolveDataDir() : path.resolve(dataDirOption);
    const catalog = await loadCatalog();
    return createModelManager({
      modelsDir: path.resolve(defaultModelsDir(dataDir)),
      catalog,
      retry: { retries },
    });
  };

  models
    .command('list')
    .description('every catalog model with its status, then other files in the models folder')
    .action(() =>
      run(async ({ out }) => {
        const manager = await openManager();
        const listing = await manager.list();
        const totalBytes = await manager.diskUsage();
        out.result({ ...listing, totalBytes }, () => {
          const rows = listing.models.map((state) => [
            state.entry.id,
            state.entry.stage,
            sizeOf(state),
            statusOf(state),
            state.entry.recommended ? 'yes' : '',
            state.entry.licence,
          ]);
          const lines = [table(['ID', 'STAGE', 'SIZE', 'STATUS', 'RECOMMENDED', 'LICENCE'], rows)];
          const problems = listing.models.filter((state) => state.problem !== undefined);
          for (const state of problems) {
            lines.push(
              `${state.entry.id}: ${state.problem} (run \`rehearse models install ${state.entry.id}\` to replace it)`,
            );
          }
          if (listing.extraFiles.length > 0) {
            lines.push('', 'Other files in the folder (left alone):');
            for (const file of listing.extraFiles)
              lines.push(`  ${file.fileName}  ${formatBytes(file.bytes)}`);
          }
          lines.push('', `Folder: ${listing.modelsDir}`, `Disk use: ${formatBytes(totalBytes)}`);
          return lines.join('\n');
        });
        return EXIT.OK;
      }),
    );

  models
    .command('install')
    .description('download, resume and check models against their pinned SHA-256')
    .argument('[ids...]', 'catalog ids (see `rehearse models list`)')
    .option('--recommended', 'install every recommended model (the default of each stage)')
    .option('--allow-unpinned', 'install entries without a pinned SHA-256, recording the hash obtained')
    .option(
      '--retries <n>',
      'retries after a failed attempt (network errors, HTTP 5xx)',
      String(DEFAULT_RETRIES),
    )
    .action((ids: string[], options: { recommended?: boolean; allowUnpinned?: boolean; retries: string }) =>
      run(async ({ out, signal }) => {
        const manager = await openManager(parseRetries(options.retries));
        const wanted = [
          ...ids,
          ...(options.recommended
            ? manager.catalog.filter((entry) => entry.recommended).map((entry) => entry.id)
            : []),
        ];
        if (wanted.length === 0) {
          throw new AppError('INVALID_INPUT', 'No model to install', {
            hint: 'Name catalog ids (see `rehearse models list`) or pass --recommended.',
          });
        }
        const targets = [...new Set(wanted)];
        checkIds(manager, targets);
        const installed: InstallResult[] = [];
        for (const id of targets) {
          installed.push(await installOne(manager, id, out, signal, Boolean(options.allowUnpinned)));
        }
        out.result({ installed }, () => installed.map(describeInstall).join('\n'));
        return EXIT.OK;
      }),
    );

  models
    .command('verify')
    .description('re-hash installed models; exits 6 when one does not match')
    .argument('[ids...]', 'catalog ids (default: every model with a file in the folder)')
    .action((ids: string[]) =>
      run(async ({ out, signal }) => {
        const manager = await openManager();
        let targets = [...new Set(ids)];
        if (targets.length === 0) {
          const listing = await manager.list();
          targets = listing.models.filter((state) => state.bytesOnDisk > 0).map((state) => state.entry.id);
        } else checkIds(manager, targets);
        const verified: VerifyResult[] = [];
        for (const id of targets) {
          const entry = manager.catalog.find((candidate) => candidate.id === id);
          const bar = out.progress(`Checking ${entry?.name ?? id}`, 1);
          try {
            verified.push(
              await manager.verify(id, {
                signal,
                onProgress: (p) =>
                  bar.update(
                    p.totalBytes === 0 ? 1 : p.hashedBytes / p.totalBytes,
                    `${formatBytes(p.hashedBytes)} / ${formatBytes(p.totalBytes)}`,
                  ),
              }),
            );
          } finally {
            bar.stop();
          }
        }
        out.result({ verified }, () =>
          verified.length === 0
            ? 'No models installed, nothing to verify.'
            : verified.map(describeVerify).join('\n'),
        );
        const mismatches = verified.filter((result) => result.outcome === 'mismatch');
        for (const result of mismatches) reportError(mismatchError(result), out.json);
        return mismatches.length > 0 ? EXIT.MODEL : EXIT.OK;
      }),
    );

  models
    .command('remove')
    .description('delete model files and any partial downloads')
    .argument('<ids...>', 'catalog ids')
    .action((ids: string[]) =>
      run(async ({ out }) => {
        const manager = await openManager();
        const targets = [...new Set(ids)];
        checkIds(manager, targets);
        const removed: Array<{ id: string; removedBytes: number }> = [];
        for (const id of targets) removed.push({ id, ...(await manager.remove(id)) });
        out.result({ removed }, () =>
          removed
            .map((r) =>
              r.removedBytes > 0
                ? `removed ${r.id} (${formatBytes(r.removedBytes)} freed)`
                : `${r.id} was not installed`,
            )
            .join('\n'),
        );
        return EXIT.OK;
      }),
    );
}

async function installOne(
  manager: ModelManager,
  id: string,
  out: Output,
  signal: AbortSignal,
  allowUnpinned: boolean,
): Promise<InstallResult> {
  const entry = manager.catalog.find((candidate) => candidate.id === id);
  const name = entry?.name ?? id;
  out.info(
    `Installing ${name}${entry?.bytes ? ` (${formatBytes(entry.bytes)})` : ''} from ${entry?.url ?? '?'}`,
  );
  let bar: ReturnType<Output['progress']> | undefined;
  const onProgress = (p: DownloadProgress) => {
    bar ??= out.progress(name, p.totalBytes ?? entry?.bytes ?? 0);
    bar.update(p.receivedBytes, describeProgress(p));
  };
  try {
    return await manager.install(id, { signal, onProgress, allowUnpinned });
  } catch (error) {
    if (isAppError(error) && error.code === 'CANCELLED') {
      const state = (await manager.list()).models.find((candidate) => candidate.entry.id === id);
      const kept = state && state.partBytes > 0 ? ` (${formatBytes(state.partBytes)} kept)` : '';
      throw new AppError('CANCELLED', `Installing ${name} was cancelled${kept}`, {
        hint: 'Run the same command again to resume.',
        cause: error,
      });
    }
    throw error;
  } finally {
    bar?.stop();
  }
}

function checkIds(manager: ModelManager, ids: readonly string[]): void {
  const known = new Set(manager.catalog.map((entry) => entry.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length === 0) return;
  throw new AppError('NOT_FOUND', `No model ${unknown.map((id) => `"${id}"`).join(', ')} in the catalog`, {
    hint: `Known models: ${[...known].join(', ')}`,
  });
}

function parseRetries(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 20) {
    throw new AppError('INVALID_INPUT', `--retries must be a whole number from 0 to 20, not "${value}"`);
  }
  return n;
}

function sizeOf(state: ModelState): string {
  if (state.bytesOnDisk > 0) return formatBytes(state.bytesOnDisk);
  return state.entry.bytes === null ? '?' : formatBytes(state.entry.bytes);
}

function statusOf(state: ModelState): string {
  switch (state.status) {
    case 'partial':
      return state.entry.bytes
        ? `partial ${Math.floor((100 * state.partBytes) / state.entry.bytes)}%`
        : `partial ${formatBytes(state.partBytes)}`;
    case 'installed':
      return state.entry.verified ? 'installed' : 'installed (unpinned)';
    default:
      return state.status;
  }
}

function describeProgress(p: DownloadProgress): string {
  const received = formatBytes(p.receivedBytes);
  const total = p.totalBytes === null ? '?' : formatBytes(p.totalBytes);
  const speed = `${formatBytes(Math.round(p.bytesPerSecond))}/s`;
  const eta =
    p.totalBytes !== null && p.bytesPerSecond > 0
      ? `, ETA ${formatDuration((p.totalBytes - p.receivedBytes) / p.bytesPerSecond)}`
      : '';
  return `${received} / ${total}, ${speed}${eta}`;
}

function describeInstall(result: InstallResult): string {
  const what = result.alreadyInstalled
    ? 'already installed'
    : `installed${result.resumedFrom > 0 ? `, resumed from ${formatBytes(result.resumedFrom)}` : ''}`;
  const pin = result.pinned ? 'SHA-256 matches the pin' : `unpinned: recorded SHA-256 ${result.sha256}`;
  return `✓ ${result.id}: ${what} (${formatBytes(result.bytes)}; ${pin}) at ${result.path}`;
}

function describeVerify(result: VerifyResult): string {
  switch (result.outcome) {
    case 'ok':
      return `✓ ${result.id}: ok (${formatBytes(result.bytes)}, SHA-256 ${result.sha256})`;
    case 'unpinned':
      return `? ${result.id}: nothing to compare with (no pinned or recorded SHA-256); it hashes to ${result.sha256}`;
    case 'mismatch':
      return `✗ ${result.id}: does not match (${result.path})`;
  }
}

function mismatchError(result: VerifyResult): AppError {
  const sizeWrong = result.expectedBytes !== null && result.bytes !== result.expectedBytes;
  const what = sizeWrong
    ? `is ${result.bytes} bytes, expected ${result.expectedBytes}`
    : `has SHA-256 ${result.sha256}, expected ${result.expectedSha256 ?? '?'}`;
  return new AppError('MODEL_INVALID', `${result.path} ${what}`, {
    hint: `Run \`rehearse models install ${result.id}\` to download it again, or \`rehearse models remove ${result.id}\`.`,
  });
}
