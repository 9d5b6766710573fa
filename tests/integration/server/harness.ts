/**
 * Test harness for the server: a fresh database per test (a temp SQLite file always; a fresh
 * PostgreSQL database too when REHEARSE_TEST_DATABASE_URL is set), a movable clock, a captured
 * log, and helpers to seed organisations and users and to sign in through the real routes.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { buildServer } from '../../../src/server/app';
import { hashPassword } from '../../../src/server/auth/password-hashing';
import {
  migrateServerDb,
  openServerDb,
  type OpenServerDbOptions,
  type ServerDb,
} from '../../../src/server/db/open-server-db';
import type { ServerDatabase, UserRole } from '../../../src/server/db/schema';
import { createOrganisation } from '../../../src/server/identity/organisations';
import { createOutboundGuard } from '../../../src/server/integrations/outbound-guard';
import { createDiskRecordingStorage } from '../../../src/server/storage/disk-recording-storage';
import type { RecordingStorage } from '../../../src/server/storage/recording-storage';

export type Backend = 'sqlite' | 'postgres';

const postgresUrl = process.env.REHEARSE_TEST_DATABASE_URL;

/** Both, always listed; the PostgreSQL runs are skipped (and counted as skipped) without a server. */
export const backends: Backend[] = ['sqlite', 'postgres'];

/** True when this backend cannot run here (PostgreSQL without REHEARSE_TEST_DATABASE_URL). */
export const unavailable = (backend: Backend): boolean => backend === 'postgres' && !postgresUrl;

export const PASSWORD = 'correct horse battery staple';
export const SESSION_TTL_SECONDS = 3600;

export interface TestClock {
  now(): Date;
  advance(ms: number): void;
}

export interface TestServer {
  /** Replaced by `restart()`. */
  app: FastifyInstance;
  db: Kysely<ServerDatabase>;
  clock: TestClock;
  /** Every log line the server wrote, parsed (the database's own lines too). */
  logs: Record<string, unknown>[];
  /** Resolves once `count` log lines (written already or to come) have this `msg`; event-driven. */
  waitForLog(msg: string, count?: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  dataDir: string;
  /** The test database's URL on PostgreSQL; undefined on SQLite. */
  databaseUrl: string | undefined;
  /** Closes the fastify instance and builds a new one on the same database and data folder. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  maxRecordingBytes?: number;
  /** REHEARSE_WEBHOOK_ALLOW_HOSTS for webhook subscriptions (e.g. ['127.0.0.1'] for local receivers). */
  webhookAllowHosts?: string[];
  /** Wraps the disk recording storage, e.g. to make writes fail the way a full disk does. */
  wrapStorage?: (storage: RecordingStorage) => RecordingStorage;
}

async function withAdminPool<T>(fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: postgresUrl, max: 1 });
  // An idle admin connection killed by the server (a restart) must not crash the test run: the
  // failure reaches the query that needed it instead.
  pool.on('error', () => undefined);
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `rehearse_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await withAdminPool((pool) => pool.query(`create database ${name}`));
  const url = new URL(postgresUrl ?? '');
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdminPool((pool) => pool.query(`drop database if exists ${name} with (force)`)).then(
        () => undefined,
      ),
  };
}

/** A fresh, unmigrated database of the given kind. */
export async function openFreshDb(
  backend: Backend,
  options: Pick<OpenServerDbOptions, 'log'> = {},
): Promise<ServerDb & { dataDir: string; databaseUrl: string | undefined; dispose(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-server-test-'));
  const pgDb = backend === 'postgres' ? await createPostgresDatabase() : undefined;
  const serverDb = openServerDb({ databaseUrl: pgDb?.url, dataDir, ...options });
  let disposing: Promise<void> | undefined;
  return {
    ...serverDb,
    dataDir,
    databaseUrl: pgDb?.url,
    // The pool is closed (every connection ended, none in flight) before the database is dropped,
    // and the drop and clean-up run even when closing failed: DROP … WITH (FORCE) never kills a
    // connection the pool still holds, and no database is left behind.
    dispose: () =>
      (disposing ??= (async () => {
        try {
          await serverDb.close();
        } finally {
          try {
            await pgDb?.drop();
          } finally {
            fs.rmSync(dataDir, { recursive: true, force: true });
          }
        }
      })()),
  };
}

export async function openTestServer(backend: Backend, options: TestServerOptions = {}): Promise<TestServer> {
  const logs: Record<string, unknown>[] = [];
  const logged = new EventEmitter();
  const record = (line: Record<string, unknown>) => {
    logs.push(line);
    logged.emit('line', line);
  };
  // The database's lines (a lost connection) go to the same log, shaped like pino's.
  const fresh = await openFreshDb(backend, {
    log: { warn: (details, msg) => record({ level: 40, time: Date.now(), ...details, msg }) },
  });
  let offsetMs = 0;
  const clock: TestClock = {
    now: () => new Date(Date.now() + offsetMs),
    advance: (ms) => {
      offsetMs += ms;
    },
  };
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim()) record(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const build = async () => {
    const app = buildServer({
      db: fresh.db,
      storage: (options.wrapStorage ?? ((storage) => storage))(
        createDiskRecordingStorage(path.join(fresh.dataDir, 'recordings')),
      ),
      uploadDir: path.join(fresh.dataDir, 'uploads'),
      maxRecordingBytes: options.maxRecordingBytes ?? 64 * 1024 * 1024,
      sessionTtlSeconds: SESSION_TTL_SECONDS,
      now: clock.now,
      logger: { level: 'info', stream },
      outboundGuard: createOutboundGuard({ allowHosts: options.webhookAllowHosts ?? [] }),
    });
    await app.ready();
    return app;
  };
  let app: FastifyInstance;
  try {
    await migrateServerDb(fresh.db);
    app = await build();
  } catch (error) {
    await fresh.dispose();
    throw error;
  }
  const server: TestServer = {
    app,
    db: fresh.db,
    clock,
    logs,
    waitForLog: (msg, count = 1, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const matching = () => logs.filter((line) => line.msg === msg);
        if (matching().length >= count) return resolve(matching());
        const timer = setTimeout(() => {
          logged.off('line', onLine);
          reject(new Error(`fewer than ${count} "${msg}" log lines within ${timeoutMs} ms`));
        }, timeoutMs);
        const onLine = () => {
          const lines = matching();
          if (lines.length < count) return;
          clearTimeout(timer);
          logged.off('line', onLine);
          resolve(lines);
        };
        logged.on('line', onLine);
      }),
    dataDir: fresh.dataDir,
    databaseUrl: fresh.databaseUrl,
    async restart() {
      await server.app.close();
      server.app = await build();
    },
    // The server stops (in-flight requests finish) before its pool closes and the database drops.
    async close() {
      try {
        await server.app.close();
      } finally {
        await fresh.dispose();
      }
    },
  };
  return server;
}

export async function seedVendor(db: Kysely<ServerDatabase>, name: string) {
  return createOrganisation(db, { name, kind: 'vendor' }, new Date());
}

export async function seedPartnerOrg(db: Kysely<ServerDatabase>, vendorId: string, name: string) {
  return createOrganisation(db, { name, kind: 'partner', vendorId }, new Date());
}

export async function seedUser(
  db: Kysely<ServerDatabase>,
  input: { email: string; role: UserRole; orgId: string; name?: string },
): Promise<{ id: string; email: string }> {
  const id = `user-${input.email}`;
  await db
    .insertInto('users')
    .values({
      id,
      email: input.email,
      name: input.name ?? input.email,
      role: input.role,
      org_id: input.orgId,
      password_hash: await hashPassword(PASSWORD),
      created_at: new Date().toISOString(),
    })
    .execute();
  return { id, email: input.email };
}

/** The `name=value` part of the session cookie a response set. */
export function sessionCookieOf(response: LightMyRequestResponse): string {
  const header = response.headers['set-cookie'];
  const first = Array.isArray(header) ? header[0] : header;
  if (!first) throw new Error(`no cookie set (status ${response.statusCode}: ${response.body})`);
  return first.split(';')[0] ?? '';
}

export async function login(app: FastifyInstance, email: string, password = PASSWORD): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`login failed for ${email}: ${response.body}`);
  return sessionCookieOf(response);
}

export async function countRows(db: Kysely<ServerDatabase>, table: keyof ServerDatabase): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** All rows of every table, to prove a refused call changed nothing. */
export async function snapshotAllTables(db: Kysely<ServerDatabase>): Promise<Record<string, number>> {
  const tables: (keyof ServerDatabase)[] = [
    'organisations',
    'users',
    'sessions',
    'invitations',
    'programs',
    'program_partners',
    'coach_programs',
    'pairing_codes',
    'devices',
    'program_packs',
    'submissions',
    'submission_reviews',
    'submission_comments',
  ];
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = await countRows(db, table);
  return counts;
}

export function errorOf(response: LightMyRequestResponse): { code: string; message: string } {
  return (response.json() as { error: { code: string; message: string } }).error;
}
