/**
 * `npm run bench`: runs every benchmark in its own process, one after another, and prints their
 * figures. Benchmarks that need data or models absent here say so and are skipped, not failed.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benches = [
  'pipeline-overhead',
  'desktop-app',
  'mit-interview',
  'judge-quality',
  'transcribe',
  'llm-judge',
  'asr-wer',
  'server-load',
];
const only = process.argv.slice(2);
let failed = 0;
for (const name of benches.filter((b) => only.length === 0 || only.includes(b))) {
  console.log(`\n=== ${name}`);
  const t0 = performance.now();
  const result = spawnSync(
    process.execPath,
    [path.join(repoRoot, 'bin/run-ts.js'), path.join(repoRoot, 'bench', `${name}.ts`)],
    {
      stdio: 'inherit',
      cwd: repoRoot,
    },
  );
  console.log(
    `=== ${name}: ${result.status === 0 ? 'done' : `exit ${result.status}`} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  if (result.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
