#!/usr/bin/env node
// Runs a TypeScript file of this repository with tsx (used by `npm run bench` and helper scripts).
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: run-ts.js <file.ts> [args...]\n');
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(file), ...rest];
register();
await import(pathToFileURL(path.resolve(file)).href);
