#!/usr/bin/env node
// Entry point of the `rehearse` command. The CLI is TypeScript run through tsx, so a fresh clone
// needs no build step; a packaged app ships the bundled CLI instead.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
