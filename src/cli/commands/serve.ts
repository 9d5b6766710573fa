/**
 * `rehearse serve [--port N]`: the desktop app in a normal browser. Opens the same core the Electron
 * app uses, serves the same renderer on 127.0.0.1 with a per-launch token, and prints the address.
 * Runs until Ctrl-C (or SIGTERM), then closes cleanly: running analyses are cancelled and resume
 * from their last finished stage next time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import { openCore } from '../../main/core/core';
import { appRoot } from '../../main/core/util/app-version';
import { startLoopbackHost } from '../../main/serve/loopback-host';
import { EXIT } from '../exit-codes';
import type { Run } from '../run';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new AppError('INVALID_INPUT', `--port must be a whole number from 0 to 65535, not "${value}"`);
  return port;
}

/** The built renderer; built once with electron-vite when missing (a fresh clone). */
function rendererDir(root: string, log: (line: string) => void): string {
  const dir = path.join(root, 'out', 'renderer');
  if (existsSync(path.join(dir, 'index.html'))) return dir;
  log('Building the app once (electron-vite build)…');
  const build = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (build.status !== 0 || !existsSync(path.join(dir, 'index.html')))
    throw new AppError('INTERNAL', 'Building the app failed', { hint: 'Run `npm run build` to see why.' });
  return dir;
}

export function registerServeCommand(program: Command, run: Run): void {
  program
    .command('serve')
    .description('run the app in your browser, on 127.0.0.1 only, with a per-launch token')
    .option('--port <n>', 'port to listen on (default: any free port)', parsePort)
    .action((options: { port?: number }) =>
      run(async (ctx) => {
        const root = appRoot();
        if (!root) throw new AppError('INTERNAL', 'Cannot find the Rehearse installation folder');
        const dir = rendererDir(root, (line) => ctx.out.info(line));
        const core = await openCore({
          transport: 'loopback',
          ...(ctx.dataDir ? { dataDir: ctx.dataDir } : {}),
        });
        let host;
        try {
          host = await startLoopbackHost({
            core,
            rendererDir: dir,
            ...(options.port === undefined ? {} : { port: options.port }),
          });
        } catch (error) {
          await core.close();
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EADDRINUSE')
            throw new AppError('CONFLICT', `Port ${options.port} is already in use`, {
              hint: 'Pick another with --port, or leave it out to use any free port.',
            });
          throw error;
        }
        ctx.out.result({ url: host.url, port: host.port, dataDir: core.store.dataDir }, () =>
          [
            `Rehearse is running at ${host.url}`,
            'Open that address in Chromium, Chrome, Edge or Firefox (it carries this launch’s token).',
            `Data folder: ${core.store.dataDir}. Nothing leaves this computer. Press Ctrl-C to stop.`,
          ].join('\n'),
        );
        await new Promise<void>((resolve) => {
          if (ctx.signal.aborted) return resolve();
          ctx.signal.addEventListener('abort', () => resolve(), { once: true });
          process.once('SIGTERM', () => resolve());
        });
        ctx.out.info('Stopping…');
        await host.close();
        await core.close();
        return EXIT.OK;
      }),
    );
}
