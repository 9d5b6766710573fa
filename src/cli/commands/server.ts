/**
 * `rehearse server [--port N] [--host H]`: the sync and coach-review server (src/server). Settings
 * come from the environment (see docs/server.md); the flags override PORT and HOST. Runs until
 * Ctrl-C or SIGTERM, then stops accepting, finishes in-flight requests and closes the database.
 *
 * `rehearse server init --vendor <name> --admin-email <email>`: creates the vendor organisation
 * and the first admin's invitation, and prints its one-time token.
 */
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import { appVersion } from '../../main/core/util/app-version';
import { bootstrapVendor } from '../../server/bootstrap';
import { loadServerConfig, type ServerConfig } from '../../server/config';
import { migrateServerDb, openServerDb } from '../../server/db/open-server-db';
import { startServer, waitForShutdownSignal } from '../../server/start-server';
import { EXIT } from '../exit-codes';
import type { Run } from '../run';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new AppError('INVALID_INPUT', `--port must be a whole number from 0 to 65535, not "${value}"`);
  return port;
}

function readConfig(): ServerConfig {
  try {
    return loadServerConfig();
  } catch (error) {
    throw new AppError(
      'INVALID_INPUT',
      `Bad server settings in the environment: ${(error as Error).message}`,
    );
  }
}

export function registerServerCommand(program: Command, run: Run): void {
  const server = program
    .command('server')
    .description('run the sync and coach-review server (default 127.0.0.1:8787; settings in docs/server.md)')
    .option('--port <n>', 'port to listen on (default: PORT or 8787)', parsePort)
    .option('--host <host>', 'address to listen on (default: HOST or 127.0.0.1)')
    .action((options: { port?: number; host?: string }) =>
      run(async (ctx) => {
        const config = readConfig();
        if (options.port !== undefined) config.port = options.port;
        if (options.host !== undefined) config.host = options.host;
        let running;
        try {
          running = await startServer(config, { version: appVersion() });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
            throw new AppError('CONFLICT', `Port ${config.port} is already in use`, {
              hint: 'Pick another with --port.',
            });
          throw error;
        }
        ctx.out.result({ url: running.url, database: running.dialect, dataDir: config.dataDir }, () =>
          [
            `Rehearse server listening at ${running.url}`,
            `Database: ${running.dialect === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `SQLite in ${config.dataDir}`}`,
            'Press Ctrl-C to stop.',
          ].join('\n'),
        );
        const reason = await waitForShutdownSignal(ctx.signal);
        ctx.out.info(`Stopping (${reason}): finishing requests in flight…`);
        await running.close();
        return EXIT.OK;
      }),
    );

  server
    .command('init')
    .description('create the vendor organisation and an invitation for its first admin (once)')
    .requiredOption('--vendor <name>', 'the vendor organisation’s name')
    .requiredOption('--admin-email <email>', 'email of the first admin')
    .action((options: { vendor: string; adminEmail: string }) =>
      run(async (ctx) => {
        const config = readConfig();
        const serverDb = openServerDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
        try {
          await migrateServerDb(serverDb.db);
          const { vendorId, invitation } = await bootstrapVendor(serverDb.db, {
            vendorName: options.vendor,
            adminEmail: options.adminEmail,
          });
          ctx.out.result({ vendorId, invitation }, () =>
            [
              `Vendor "${options.vendor}" created (${vendorId}).`,
              `Invitation for ${invitation.email} (admin), valid until ${invitation.expiresAt}:`,
              `  ${invitation.token}`,
              `Open http://${config.host}:${config.port}/workspace/invitation#token=${invitation.token} once the`,
              'server runs (`rehearse server`) to choose a name and password. It is shown only now.',
            ].join('\n'),
          );
          return EXIT.OK;
        } finally {
          await serverDb.close();
        }
      }),
    );
}
