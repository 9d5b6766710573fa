#!/usr/bin/env node
// Builds whisper.cpp's command-line tools from the sources shipped inside the installed
// `nodejs-whisper` package (a devDependency used only as a source of the C++ code), offline.
//
//   node scripts/build-whisper.js [--force] [--quiet]
//
// Steps: copy the sources out of node_modules into .cache/whisper.cpp/src (CMake's configure step
// writes into its source tree), configure a Release, CPU-only, static build in
// .cache/whisper.cpp/build, build only the targets we run (whisper-cli and
// whisper-vad-speech-segments), then install them into .cache/whisper.cpp/bin. A stamp file records
// the source version and options; a second run with the same stamp and binaries present does nothing.
//
// Environment:
//   REHEARSE_WHISPER_JOBS      parallel compile jobs (default 2)
//   REHEARSE_WHISPER_PORTABLE  "1" builds for a generic x86-64/arm64 CPU (no -march=native), for packaging
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const packageDir = path.join(repoRoot, 'node_modules', 'nodejs-whisper');
const upstream = path.join(packageDir, 'cpp', 'whisper.cpp');
const cacheDir = path.join(repoRoot, '.cache', 'whisper.cpp');
const srcDir = path.join(cacheDir, 'src');
const buildDir = path.join(cacheDir, 'build');
const binDir = path.join(cacheDir, 'bin');
const stampFile = path.join(binDir, 'build-stamp.json');

/** The executables we build and install (whisper.cpp target names = file names). */
export const WHISPER_TARGETS = ['whisper-cli', 'whisper-vad-speech-segments'];
const exe = process.platform === 'win32' ? '.exe' : '';

const args = new Set(process.argv.slice(2));
const force = args.has('--force');
const quiet = args.has('--quiet');
const jobs = String(Number(process.env.REHEARSE_WHISPER_JOBS) || 2);
const portable = process.env.REHEARSE_WHISPER_PORTABLE === '1';

function log(message) {
  if (!quiet) process.stdout.write(`[build-whisper] ${message}\n`);
}

function fail(message, hint) {
  process.stderr.write(`[build-whisper] error: ${message}\n`);
  if (hint) process.stderr.write(`[build-whisper] hint: ${hint}\n`);
  process.exit(1);
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function whisperVersion() {
  const cmake = fs.readFileSync(path.join(upstream, 'CMakeLists.txt'), 'utf8');
  const match = /project\("whisper\.cpp" VERSION ([0-9.]+)\)/.exec(cmake);
  return match ? match[1] : 'unknown';
}

function cmakeOptions() {
  return [
    '-DCMAKE_BUILD_TYPE=Release',
    '-DBUILD_SHARED_LIBS=OFF',
    '-DWHISPER_BUILD_TESTS=OFF',
    '-DWHISPER_BUILD_EXAMPLES=ON',
    '-DWHISPER_BUILD_SERVER=OFF',
    '-DWHISPER_SDL2=OFF',
    '-DWHISPER_CURL=OFF',
    // No GPU backends: the app runs on any laptop; CPU with SIMD is what we measure and ship.
    '-DGGML_CUDA=OFF',
    '-DGGML_METAL=OFF',
    '-DGGML_VULKAN=OFF',
    '-DGGML_BLAS=OFF',
    // ggml's own thread pool instead of OpenMP: the binaries then need no libgomp at run time.
    '-DGGML_OPENMP=OFF',
    `-DGGML_NATIVE=${portable ? 'OFF' : 'ON'}`,
  ];
}

function run(command, commandArgs, cwd) {
  log(`$ ${command} ${commandArgs.join(' ')}`);
  const result = spawnSync(command, commandArgs, { cwd, stdio: quiet ? 'ignore' : 'inherit' });
  if (result.error) {
    const code = /** @type {NodeJS.ErrnoException} */ (result.error).code;
    if (code === 'ENOENT')
      fail(`${command} is not installed`, `install ${command} (e.g. apt-get install cmake g++)`);
    fail(`${command} failed to start: ${result.error.message}`);
  }
  if (result.status !== 0) fail(`${command} exited with status ${result.status}`);
}

function main() {
  if (!fs.existsSync(path.join(upstream, 'CMakeLists.txt'))) {
    fail(
      `whisper.cpp sources not found at ${path.relative(repoRoot, upstream)}`,
      'run `npm install` (nodejs-whisper is a devDependency)',
    );
  }
  const packageVersion = readJson(path.join(packageDir, 'package.json'))?.version ?? 'unknown';
  const stamp = {
    source: `nodejs-whisper@${packageVersion}`,
    whisperCpp: whisperVersion(),
    platform: `${process.platform}-${process.arch}`,
    options: cmakeOptions(),
    targets: WHISPER_TARGETS,
  };
  const installed = WHISPER_TARGETS.map((t) => path.join(binDir, t + exe));
  const previous = readJson(stampFile);
  if (
    !force &&
    previous &&
    JSON.stringify(previous.stamp) === JSON.stringify(stamp) &&
    installed.every((f) => fs.existsSync(f))
  ) {
    log(
      `up to date (whisper.cpp ${stamp.whisperCpp} from ${stamp.source}) in ${path.relative(repoRoot, binDir)}`,
    );
    return;
  }

  const started = Date.now();
  log(
    `building whisper.cpp ${stamp.whisperCpp} from ${stamp.source} (${jobs} jobs${portable ? ', portable' : ''})`,
  );
  const sourceStamp = path.join(srcDir, '.rehearse-source');
  if (force || !fs.existsSync(sourceStamp) || fs.readFileSync(sourceStamp, 'utf8') !== stamp.source) {
    log(`copying sources to ${path.relative(repoRoot, srcDir)}`);
    fs.rmSync(srcDir, { recursive: true, force: true });
    fs.cpSync(upstream, srcDir, {
      recursive: true,
      // Model files, sample audio and prebuilt bits of the package are not needed to compile.
      filter: (from) => {
        const rel = path.relative(upstream, from).split(path.sep);
        if (rel[0] === 'build' || rel[0] === 'samples' || rel[0] === '.git') return false;
        if (rel[0] === 'models' && from.endsWith('.bin')) return false;
        return true;
      },
    });
    fs.writeFileSync(sourceStamp, stamp.source);
  }

  fs.mkdirSync(buildDir, { recursive: true });
  run('cmake', ['-S', srcDir, '-B', buildDir, ...cmakeOptions()], repoRoot);
  run(
    'cmake',
    ['--build', buildDir, '--config', 'Release', '-j', jobs, '--target', ...WHISPER_TARGETS],
    repoRoot,
  );

  fs.mkdirSync(binDir, { recursive: true });
  for (const target of WHISPER_TARGETS) {
    const candidates = [
      path.join(buildDir, 'bin', target + exe),
      path.join(buildDir, 'bin', 'Release', target + exe),
    ];
    const built = candidates.find((f) => fs.existsSync(f));
    if (!built) fail(`build finished but ${target}${exe} was not produced`);
    const dest = path.join(binDir, target + exe);
    // Copy to a temporary name then rename, so a running process never sees a half-written binary.
    fs.copyFileSync(built, `${dest}.tmp`);
    fs.chmodSync(`${dest}.tmp`, 0o755);
    fs.renameSync(`${dest}.tmp`, dest);
  }
  fs.writeFileSync(stampFile, `${JSON.stringify({ stamp, builtAt: new Date().toISOString() }, null, 2)}\n`);
  log(
    `installed ${WHISPER_TARGETS.join(', ')} to ${path.relative(repoRoot, binDir)} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

main();
