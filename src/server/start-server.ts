/**
 * Runs the server for real: opens and migrates the database, listens, logs as JSON lines (pino),
 * and shuts down gracefully: `close()` stops accepting connections, lets in-flight requests
 * finish, then closes the database.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from './app';
import type { ServerConfig } from './config';
import { migrateServerDb, openServerDb, type ServerDbDialect, type ServerDbLog } from './db/open-server-db';
import { createOutboundGuard } from './integrations/outbound-guard';
import { createOutboxWorker } from './integrations/outbox-worker';
import { createDiskRecordingStorage } from './storage/disk-recording-storage';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  dialect: ServerDbDialect;
  close(): Promise<void>;
}

export async function startServer(
  config: ServerConfig,
  options: { version?: string } = {},
): Promise<RunningServer> {
  // Lost database connections are logged through the server's logger once it exists.
  const dbLog: { to?: ServerDbLog } = {};
  const serverDb = openServerDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    log: { warn: (details, message) => dbLog.to?.warn(details, message) },
  });
  try {
    await migrateServerDb(serverDb.db);
  } catch (error) {
    await serverDb.close();
    throw error;
  }
  const outboundGuard = createOutboundGuard({ allowHosts: config.outboundAllowHosts });
  const app = buildServer({
    db: serverDb.db,
    outboundGuard,
    storage: createDiskRecordingStorage(path.join(config.dataDir, 'recordings')),
    uploadDir: path.join(config.dataDir, 'uploads'),
    maxRecordingBytes: config.maxRecordingBytes,
    sessionTtlSeconds: config.sessionTtlSeconds,
    trustProxy: config.trustProxy,
    ...(config.publicUrl === undefined ? {} : { publicUrl: config.publicUrl }),
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    },
    ...(options.version === undefined ? {} : { version: options.version }),
  });
  dbLog.to = app.log;
  const integrations = createOutboxWorker({
    db: serverDb.db,
    xapi: config.xapi,
    pollMs: config.integrationsPollMs,
    guard: outboundGuard,
    log: app.log,
  });
  app.addHook('onClose', async () => {
    await integrations.stop();
    await serverDb.close();
  });
  let url: string;
  try {
    url = await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    throw error;
  }
  integrations.start();
  let closing: Promise<void> | undefined;
  return {
    app,
    url,
    dialect: serverDb.dialect,
    close: () => (closing ??= app.close()),
  };
}

/** Resolves on the first SIGINT or SIGTERM (or when `signal` aborts), removing its listeners. */
export function waitForShutdownSignal(signal?: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const finish = (reason: string) => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
      signal?.removeEventListener('abort', onAbort);
      resolve(reason);
    };
    const onSigint = () => finish('SIGINT');
    const onSigterm = () => finish('SIGTERM');
    const onAbort = () => finish('aborted');
    if (signal?.aborted) return resolve('aborted');
    process.once('SIGINT', onSigint);
    process.once('SIGTERM', onSigterm);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
