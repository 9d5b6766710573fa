import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The version in package.json (the CLI and the app report it). */
export function appVersion(): string {
  if (cached) return cached;
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'rehearse' && pkg.version) return (cached = pkg.version);
    } catch {
      // keep looking upwards
    }
    if (path.dirname(dir) === dir) return (cached = '0.0.0');
  }
}
