/**
 * Where Rehearse keeps its data. One folder holds the database, the recordings, temporary files and
 * the instance lock; REHEARSE_DATA_DIR overrides the per-OS default (tests, portable installs).
 */
import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'Rehearse';

/**
 * The data folder: REHEARSE_DATA_DIR when set, else the OS's usual place for application data:
 * Linux `$XDG_DATA_HOME/rehearse` or `~/.local/share/rehearse`, macOS
 * `~/Library/Application Support/Rehearse`, Windows `%APPDATA%\Rehearse`.
 */
export function resolveDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  homeDir: string = os.homedir(),
): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const override = env.REHEARSE_DATA_DIR?.trim();
  if (override) return p.resolve(override);
  switch (platform) {
    case 'win32':
      return p.join(env.APPDATA?.trim() || p.join(homeDir, 'AppData', 'Roaming'), APP_DIR_NAME);
    case 'darwin':
      return p.join(homeDir, 'Library', 'Application Support', APP_DIR_NAME);
    default: {
      const xdg = env.XDG_DATA_HOME?.trim();
      // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
      const base = xdg && p.isAbsolute(xdg) ? xdg : p.join(homeDir, '.local', 'share');
      return p.join(base, APP_DIR_NAME.toLowerCase());
    }
  }
}

export interface DataPaths {
  dataDir: string;
  /** The SQLite database (WAL mode: `-wal` and `-shm` files sit beside it). */
  db: string;
  /** Recording files, one folder per attempt: `recordings/<attemptId>/<kind>.<ext>`. */
  recordings: string;
  /** Partial writes (`*.part`); emptied at every open. */
  tmp: string;
  /** Held by the running instance; holds its pid. */
  lock: string;
  /** Downloaded model files (whisper.cpp, GGUF). */
  models: string;
  /** Recordings still being captured, one folder per attempt; finished or recovered at open. */
  captures: string;
}

export function dataPaths(dataDir: string): DataPaths {
  return {
    dataDir,
    db: path.join(dataDir, 'rehearse.sqlite'),
    recordings: path.join(dataDir, 'recordings'),
    tmp: path.join(dataDir, 'tmp'),
    lock: path.join(dataDir, 'rehearse.lock'),
    models: path.join(dataDir, 'models'),
    captures: path.join(dataDir, 'captures'),
  };
}
