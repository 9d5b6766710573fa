/**
 * Finds the whisper.cpp executables. Order: REHEARSE_WHISPER_BIN (the whisper-cli path; the VAD
 * tool is looked for beside it), then `resources/bin/<platform>-<arch>/` (where packaging puts
 * prebuilt binaries: Electron's resourcesPath, then the app root), then `.cache/whisper.cpp/bin`
 * (what `node scripts/build-whisper.js` installs in a checkout).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../../shared/errors';

export interface WhisperBinaries {
  cli: string;
  /** whisper-vad-speech-segments, when present. */
  vad: string | undefined;
}

const exe = (name: string, platform: NodeJS.Platform) => (platform === 'win32' ? `${name}.exe` : name);

/** The folder holding package.json, found by walking up from this module (works from src/ and out/). */
export function findAppRoot(
  start: string = path.dirname(fileURLToPath(import.meta.url)),
): string | undefined {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Folders searched for the binaries, in order (without the REHEARSE_WHISPER_BIN override). */
export function whisperBinDirs(
  opts: { appRoot?: string; resourcesPath?: string; platform?: NodeJS.Platform; arch?: string } = {},
): string[] {
  const platformDir = `${opts.platform ?? process.platform}-${opts.arch ?? process.arch}`;
  const resourcesPath = opts.resourcesPath ?? (process as { resourcesPath?: string }).resourcesPath;
  const appRoot = opts.appRoot ?? findAppRoot();
  const dirs: string[] = [];
  if (resourcesPath) dirs.push(path.join(resourcesPath, 'bin', platformDir));
  if (appRoot) {
    dirs.push(path.join(appRoot, 'resources', 'bin', platformDir));
    dirs.push(path.join(appRoot, '.cache', 'whisper.cpp', 'bin'));
  }
  return dirs;
}

export function resolveWhisperBinaries(
  opts: {
    env?: NodeJS.ProcessEnv;
    appRoot?: string;
    resourcesPath?: string;
    platform?: NodeJS.Platform;
    arch?: string;
  } = {},
): WhisperBinaries {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const override = env.REHEARSE_WHISPER_BIN?.trim();
  if (override) {
    if (!fs.existsSync(override)) {
      throw new AppError('NOT_FOUND', `REHEARSE_WHISPER_BIN points to a missing file: ${override}`, {
        hint: 'Fix or unset REHEARSE_WHISPER_BIN, or run `node scripts/build-whisper.js`',
      });
    }
    const vad = path.join(path.dirname(override), exe('whisper-vad-speech-segments', platform));
    return { cli: override, vad: fs.existsSync(vad) ? vad : undefined };
  }
  const dirs = whisperBinDirs({ ...opts, platform });
  for (const dir of dirs) {
    const cli = path.join(dir, exe('whisper-cli', platform));
    if (fs.existsSync(cli)) {
      const vad = path.join(dir, exe('whisper-vad-speech-segments', platform));
      return { cli, vad: fs.existsSync(vad) ? vad : undefined };
    }
  }
  throw new AppError(
    'NOT_FOUND',
    `The whisper.cpp program (whisper-cli) was not found in ${dirs.join(', ') || 'any known folder'}`,
    {
      hint: 'Run `node scripts/build-whisper.js`, or set REHEARSE_WHISPER_BIN to a whisper-cli executable',
    },
  );
}
