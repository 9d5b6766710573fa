import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { root: string | null; version: string } | undefined;

function findPackage(): { root: string | null; version: string } {
  if (cached) return cached;
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'rehearse' && pkg.version) return (cached = { root: dir, version: pkg.version });
    } catch {
      // keep looking upwards
    }
    if (path.dirname(dir) === dir) return (cached = { root: null, version: '0.0.0' });
  }
}

/** The version in package.json (the CLI and the app report it). */
export function appVersion(): string {
  return findPackage().version;
}

/** The folder holding Rehearse's package.json (the repository, or the app inside its asar). */
export function appRoot(): string | null {
  return findPackage().root;
}

/** The demo pack shipped in resources/, when it is there. */
export function defaultDemoPackPath(): string | null {
  const root = appRoot();
  const candidate = root && path.join(root, 'resources', 'packs', 'demo');
  return candidate && existsSync(path.join(candidate, 'pack.yaml')) ? candidate : null;
}
