/** Shared helpers for the store integration tests. */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
export const childScript = path.join(repoRoot, 'tests/integration/main/core/store/fixtures/store-child.ts');

export function makeTempDir(prefix = 'rehearse-store-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export interface Child {
  process: ChildProcessWithoutNullStreams;
  /** Resolves with the first stdout line matching `pattern` (rejects if the child exits first). */
  waitForLine(pattern: RegExp): Promise<string>;
  /** Resolves when the child has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

export function spawnStoreChild(mode: string, dataDir: string): Child {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/run-ts.js'), childScript, mode, dataDir], {
    cwd: repoRoot,
    env: { ...process.env, REHEARSE_LOG: 'silent' },
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const lines = createInterface({ input: child.stdout });
  const seen: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (l: string) => void }> = [];
  lines.on('line', (line) => {
    seen.push(line);
    for (const w of [...waiters])
      if (w.pattern.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
  });
  return {
    process: child,
    exited,
    stderr: () => err,
    waitForLine: (pattern) =>
      new Promise<string>((resolve, reject) => {
        const already = seen.find((l) => pattern.test(l));
        if (already !== undefined) return resolve(already);
        waiters.push({ pattern, resolve });
        void exited.then(({ code, signal }) =>
          reject(
            new Error(`child exited (${code ?? signal}) before printing ${pattern}: ${err.slice(-2000)}`),
          ),
        );
      }),
  };
}

/** Mounts a tmpfs (needs root / CAP_SYS_ADMIN); returns false when that is not permitted here. */
export function tryMountTmpfs(dir: string, options: string): boolean {
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
  return result.status === 0;
}

export function remount(dir: string, options: string): void {
  const result = spawnSync('mount', ['-o', `remount,${options}`, dir], { stdio: 'pipe' });
  if (result.status !== 0) throw new Error(`remount failed: ${String(result.stderr)}`);
}

export function unmount(dir: string): void {
  spawnSync('umount', [dir], { stdio: 'ignore' });
}
