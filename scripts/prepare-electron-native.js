#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into .cache/electron-native/, leaving node_modules' Node
// build untouched (the CLI, `rehearse serve` and the tests run on Node). The Electron main process
// loads that copy through REHEARSE_SQLITE_BINDING. Skipped when already built for this Electron.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronVersion = JSON.parse(
  readFileSync(require.resolve('electron/package.json', { paths: [root] }), 'utf8'),
).version;
const sqliteDir = path.dirname(require.resolve('better-sqlite3/package.json', { paths: [root] }));
const sqliteVersion = JSON.parse(readFileSync(path.join(sqliteDir, 'package.json'), 'utf8')).version;

const out = path.join(root, '.cache/electron-native');
const stampFile = path.join(out, 'stamp.json');
const stamp = JSON.stringify({
  electronVersion,
  sqliteVersion,
  platform: process.platform,
  arch: process.arch,
});
if (
  existsSync(stampFile) &&
  readFileSync(stampFile, 'utf8') === stamp &&
  existsSync(path.join(out, 'better_sqlite3.node'))
) {
  process.exit(0);
}

process.stdout.write(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (once)…\n`);
const work = path.join(out, 'app');
rmSync(work, { recursive: true, force: true });
mkdirSync(path.join(work, 'node_modules'), { recursive: true });
writeFileSync(
  path.join(work, 'package.json'),
  JSON.stringify({ name: 'native', dependencies: { 'better-sqlite3': sqliteVersion } }),
);
cpSync(sqliteDir, path.join(work, 'node_modules/better-sqlite3'), {
  recursive: true,
  filter: (src) => !src.includes(`${path.sep}build${path.sep}`) && !src.endsWith(`${path.sep}build`),
});
for (const dep of ['bindings', 'file-uri-to-path']) {
  cpSync(
    path.dirname(require.resolve(`${dep}/package.json`, { paths: [sqliteDir] })),
    path.join(work, 'node_modules', dep),
    {
      recursive: true,
    },
  );
}

try {
  const { rebuild } = await import('@electron/rebuild');
  await rebuild({ buildPath: work, electronVersion, onlyModules: ['better-sqlite3'], force: true });
} catch (error) {
  process.stderr.write(
    `Could not build better-sqlite3 for Electron ${electronVersion}: ${error instanceof Error ? error.message : error}\n` +
      'This needs a C++ toolchain (or network access for a prebuilt binary). The `rehearse` command line works without it.\n',
  );
  process.exit(1);
}
copyFileSync(
  path.join(work, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'),
  path.join(out, 'better_sqlite3.node'),
);
writeFileSync(stampFile, stamp);
