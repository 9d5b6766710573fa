/**
 * Loads a scenario pack from disk: `<folder>/pack.yaml` or a file path. Checks the file before
 * parsing (size, UTF-8 text), validates it, and checks that every media file exists inside the pack
 * folder (after resolving symbolic links).
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import type { ScenarioPack } from '../../../shared/pack/schema';
import { createLogger } from '../util/logger';
import { PackValidationError } from './pack-issues';
import type { PackIssue } from './pack-issues';
import { checkPackSize, fileIssue, parsePackSource } from './pack-parse';

export {
  formatFieldPath,
  formatPackIssue,
  formatPackIssues,
  isPackValidationError,
  PackValidationError,
} from './pack-issues';
export type { PackIssue } from './pack-issues';
export { MAX_ALIAS_COUNT, MAX_PACK_BYTES, parsePackText, SUPPORTED_PACK_FORMATS } from './pack-parse';
export type { ParsedPack } from './pack-parse';

const log = createLogger('packs');

/** The file name looked for when a folder is given. */
export const PACK_FILE_NAME = 'pack.yaml';

export interface LoadedPack {
  pack: ScenarioPack;
  /** Absolute path of the pack file. */
  sourcePath: string;
  /** Absolute path of the folder holding it; media paths are relative to it. */
  folder: string;
  /** SHA-256 (hex) of the file's bytes, to tell whether an imported pack changed. */
  sha256: string;
  /** Advice that does not stop the pack from loading, one `file:line:col path: message` line each. */
  warnings: string[];
}

async function statOrUndefined(p: string) {
  try {
    return await fs.stat(p);
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'ENOTDIR'
    )
      return undefined;
    throw error;
  }
}

/** Loads and validates a pack. Throws PackValidationError (code PACK_INVALID) listing every problem. */
export async function loadPack(pathToFileOrFolder: string): Promise<LoadedPack> {
  let display = pathToFileOrFolder;
  let sourcePath = path.resolve(pathToFileOrFolder);
  let stat = await statOrUndefined(sourcePath);
  if (stat === undefined)
    throw new AppError('NOT_FOUND', `no scenario pack at ${pathToFileOrFolder}`, {
      hint: `Give the path of a pack folder (holding ${PACK_FILE_NAME}) or of the YAML file itself.`,
    });
  if (stat.isDirectory()) {
    display = path.join(pathToFileOrFolder, PACK_FILE_NAME);
    sourcePath = path.join(sourcePath, PACK_FILE_NAME);
    stat = await statOrUndefined(sourcePath);
    if (stat === undefined)
      throw new AppError('NOT_FOUND', `the folder ${pathToFileOrFolder} has no ${PACK_FILE_NAME}`, {
        hint: `A pack folder holds ${PACK_FILE_NAME} and, optionally, its media files.`,
      });
  }
  if (!stat.isFile()) throw new PackValidationError([fileIssue(display, 'is not a regular file')]);
  checkPackSize(display, stat.size);

  const bytes = await fs.readFile(sourcePath);
  checkPackSize(display, bytes.length); // the file may have grown since stat
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const text = decodeUtf8(display, bytes);

  const parsed = parsePackSource(text, display);
  const folder = path.dirname(sourcePath);
  const mediaIssues = await checkMedia(parsed.pack, folder, parsed.issueAt);
  if (mediaIssues.length > 0) throw new PackValidationError(mediaIssues);

  log.debug('pack loaded', {
    file: sourcePath,
    program: parsed.pack.program.id,
    version: parsed.pack.version,
    scenarios: parsed.pack.scenarios.length,
    warnings: parsed.warnings.length,
  });
  return { pack: parsed.pack, sourcePath, folder, sha256, warnings: parsed.warnings };
}

function decodeUtf8(display: string, bytes: Buffer): string {
  if (bytes.includes(0))
    throw new PackValidationError([
      fileIssue(display, 'is not a text file (it contains NUL bytes); a pack is a YAML text file'),
    ]);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new PackValidationError([fileIssue(display, 'is not UTF-8 text; save the pack as UTF-8')], {
      cause: error,
    });
  }
}

/** Every media path must name an existing file that, with symbolic links resolved, stays inside the folder. */
async function checkMedia(
  pack: ScenarioPack,
  folder: string,
  issueAt: (p: (string | number)[], message: string) => PackIssue,
): Promise<PackIssue[]> {
  const realFolder = await fs.realpath(folder);
  const issues: PackIssue[] = [];
  for (const [si, scenario] of pack.scenarios.entries()) {
    for (const [mi, media] of scenario.media.entries()) {
      const where = ['scenarios', si, 'media', mi, 'path'];
      let real: string;
      try {
        real = await fs.realpath(path.resolve(folder, media.path));
      } catch {
        issues.push(issueAt(where, `media file "${media.path}" does not exist in the pack folder`));
        continue;
      }
      const relative = path.relative(realFolder, real);
      if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
        issues.push(
          issueAt(
            where,
            `media file "${media.path}" leads outside the pack folder (through a symbolic link)`,
          ),
        );
        continue;
      }
      const stat = await fs.stat(real);
      if (!stat.isFile()) issues.push(issueAt(where, `media path "${media.path}" is not a file`));
    }
  }
  return issues;
}
