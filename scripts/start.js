#!/usr/bin/env node
// `npm start`: build the app with electron-vite and launch it in Electron. When the Electron runtime
// is missing and cannot be downloaded, say so, say how to get it, and offer the browser mode
// (`rehearse serve`) and the command line meanwhile.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronDir() {
  try {
    return path.dirname(require.resolve('electron/package.json', { paths: [root] }));
  } catch {
    return null;
  }
}

function installedElectronBinary(dir) {
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(
    process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(dir, 'dist'),
    readFileSync(pathFile, 'utf8'),
  );
  return existsSync(binary) ? binary : null;
}

function explainMissingRuntime(reason) {
  process.stderr.write(
    [
      '',
      `Rehearse cannot start the desktop app: ${reason}`,
      '',
      'The Electron runtime is downloaded on first start, and that download did not work here.',
      'To get it:',
      '  • check your internet connection (or proxy: HTTPS_PROXY), then run `npm start` again;',
      '  • behind a firewall, point ELECTRON_MIRROR at an internal mirror of the Electron releases,',
      '    or place an unpacked Electron build somewhere and set ELECTRON_OVERRIDE_DIST_PATH to it;',
      '  • then run `npx install-electron` (or `npm start`) once more.',
      '',
      'Meanwhile run the same app in your browser: npx rehearse serve',
      '  It prints an address (http://127.0.0.1:PORT/#token=…) to open in Chrome, Edge or Firefox on this',
      '  machine: the same screens, data folder and analysis, no Electron needed.',
      'The command line works too, e.g.:',
      '  npx rehearse packs import resources/packs/demo',
      '  npx rehearse score <recording.wav | transcript.json> --scenario <id>',
      '',
    ].join('\n'),
  );
}

const dir = electronDir();
if (!dir) {
  explainMissingRuntime('the electron package is not installed (run `npm install` first).');
  process.exit(1);
}

let binary = installedElectronBinary(dir);
if (!binary) {
  process.stdout.write('Electron runtime not found; downloading it once…\n');
  const result = spawnSync(process.execPath, [path.join(dir, 'install.js')], {
    stdio: 'inherit',
    timeout: 10 * 60_000,
  });
  binary = result.status === 0 ? installedElectronBinary(dir) : null;
  if (!binary) {
    explainMissingRuntime('the Electron runtime is not installed and could not be downloaded.');
    process.exit(1);
  }
}

// Native modules (better-sqlite3) must match Electron's ABI; prepare a separate copy so Node-side
// tools (CLI, tests) keep working with the Node build.
const native = spawnSync(process.execPath, [path.join(root, 'scripts/prepare-electron-native.js'), binary], {
  stdio: 'inherit',
  cwd: root,
});
if (native.status !== 0) process.exit(native.status ?? 1);

const build = spawnSync(
  process.execPath,
  [require.resolve('electron-vite/bin/electron-vite.js', { paths: [root] }), 'build'],
  {
    stdio: 'inherit',
    cwd: root,
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const child = spawn(binary, [root], {
  stdio: 'inherit',
  cwd: root,
  env: {
    ...process.env,
    REHEARSE_SQLITE_BINDING: path.join(root, '.cache/electron-native/better_sqlite3.node'),
  },
});
child.on('exit', (code) => process.exit(code ?? 0));
