/**
 * Opens the server database: PostgreSQL (a `pg` pool) when a postgres:// URL is given, else the
 * embedded SQLite file `<dataDir>/server.sqlite` through better-sqlite3. Both run the same kysely
 * queries and the same migrations.
 *
 * PostgreSQL connections can die under a running server (a restart, a failover, an administrator's
 * pg_terminate_backend, DROP DATABASE … WITH (FORCE)). Every pooled client has an 'error' listener,
 * so a dead connection is logged instead of crashing the process with an unhandled 'error' event;
 * pg-pool drops the dead client and the next query gets a new connection. A query that was on the
 * dead connection, or that cannot connect, fails with AppError UNAVAILABLE (503 + Retry-After)
 * instead of a raw driver error (500).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type PostgresPool,
  type PostgresPoolClient,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';
import { AppError } from '../../shared/errors';
import type { ServerDatabase } from './schema';
import { serverMigrationProvider } from './migrations';

/** What a client should wait before retrying when the database is unavailable (Retry-After). */
export const DB_RETRY_AFTER_SECONDS = 5;

/** Where the database reports a lost connection: pino-shaped, e.g. fastify's `app.log`. */
export interface ServerDbLog {
  warn(details: Record<string, unknown>, message: string): void;
}

export type ServerDbDialect = 'sqlite' | 'postgres';

export interface ServerDb {
  db: Kysely<ServerDatabase>;
  dialect: ServerDbDialect;
  close(): Promise<void>;
}

export interface OpenServerDbOptions {
  /** postgres://… for PostgreSQL; omitted for SQLite in dataDir. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Lost PostgreSQL connections are reported here (the server passes its logger); default: none. */
  log?: ServerDbLog;
}

export function openServerDb(options: OpenServerDbOptions): ServerDb {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    watchPool(pool, options.log);
    const db = new Kysely<ServerDatabase>({
      dialect: new UnavailableAwarePostgresDialect({ pool: discardingDeadClients(pool) }),
    });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  const sqlite = new Database(path.join(options.dataDir, 'server.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<ServerDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

function migratorFor(db: Kysely<ServerDatabase>): Migrator {
  return new Migrator({ db, provider: serverMigrationProvider });
}

/** Applies every pending migration; throws the first failure. */
export async function migrateServerDb(db: Kysely<ServerDatabase>): Promise<void> {
  const { error } = await migratorFor(db).migrateToLatest();
  if (error) throw error;
}

export interface DbReadiness {
  reachable: boolean;
  pendingMigrations: string[];
  /** Why the database is not reachable (the driver's message), when it is not. */
  reason?: string;
}

/** For GET /ready: can we query, and has every migration run? Never throws. */
export async function checkDbReadiness(db: Kysely<ServerDatabase>): Promise<DbReadiness> {
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    const cause = error instanceof AppError && error.cause instanceof Error ? error.cause : error;
    return {
      reachable: false,
      pendingMigrations: [],
      reason: cause instanceof Error ? cause.message : String(cause),
    };
  }
  try {
    const infos = await migratorFor(db).getMigrations();
    return { reachable: true, pendingMigrations: infos.filter((m) => !m.executedAt).map((m) => m.name) };
  } catch {
    return { reachable: true, pendingMigrations: Object.keys(await serverMigrationProvider.getMigrations()) };
  }
}

/**
 * A killed connection emits 'error' on its client: through pg-pool's listener (then on the pool)
 * while idle, on the client alone while checked out between two queries (inside a transaction).
 * Both are listened to, and each error is logged once.
 */
function watchPool(pool: pg.Pool, log: ServerDbLog | undefined): void {
  const reported = new WeakSet<Error>();
  const report = (error: Error, state: 'idle' | 'in use') => {
    if (reported.has(error)) return;
    reported.add(error);
    log?.warn(
      { db: { state, code: (error as { code?: unknown }).code, reason: error.message } },
      'database connection lost',
    );
  };
  pool.on('error', (error) => report(error, 'idle'));
  pool.on('connect', (client) => client.on('error', (error) => report(error, 'in use')));
}

/**
 * A query that failed on a killed connection (57P01) gets its error before the socket's end marks
 * the client unusable, so a plain release would put the dead client back in the pool for the next
 * request. A client that saw a connection failure is destroyed on release instead.
 */
function discardingDeadClients(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let lost: Error | undefined;
      const noteLoss = (error: unknown) => {
        if (isDbUnavailableError(error)) lost = error as Error;
        throw error;
      };
      const query = (...args: unknown[]): unknown => {
        const result = (client.query as (...a: unknown[]) => unknown)(...args);
        return result instanceof Promise ? result.catch(noteLoss) : result;
      };
      return {
        query: query as PostgresPoolClient['query'],
        release: () => client.release(lost ?? undefined),
      };
    },
    end: () => pool.end(),
  };
}

/** SQLSTATE classes and codes meaning "no usable connection", not "this query is wrong". */
const UNAVAILABLE_SQLSTATE = /^(08|57P)|^53300$|^3D000$/;
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|not queryable|timeout exceeded when trying to connect|Connection ended/i;

/** True for an error that says the database cannot be reached or dropped the connection. */
export function isDbUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code)))
    return true;
  return UNAVAILABLE_MESSAGE.test(error.message);
}

function toUnavailable(error: unknown): unknown {
  if (error instanceof AppError || !isDbUnavailableError(error)) return error;
  return new AppError('UNAVAILABLE', 'The database is unavailable; try again shortly', {
    hint: `Retry in ${DB_RETRY_AFTER_SECONDS} s.`,
    retryAfterSeconds: DB_RETRY_AFTER_SECONDS,
    cause: error,
  });
}

async function guard<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toUnavailable(error);
  }
}

function guardConnection(inner: DatabaseConnection): DatabaseConnection {
  return {
    executeQuery: <R>(query: CompiledQuery) => guard(() => inner.executeQuery<R>(query)),
    async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
      try {
        yield* inner.streamQuery<R>(query, chunkSize);
      } catch (error) {
        throw toUnavailable(error);
      }
    },
  };
}

/** kysely's PostgreSQL driver, with connection failures turned into AppError UNAVAILABLE. */
class UnavailableAwareDriver implements Driver {
  readonly #inner: Driver;
  readonly #innerOf = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(inner: Driver) {
    this.#inner = inner;
  }

  init(): Promise<void> {
    return guard(() => this.#inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await guard(() => this.#inner.acquireConnection());
    const outer = guardConnection(inner);
    this.#innerOf.set(outer, inner);
    return outer;
  }

  // The transaction statements run through the guarded connection, so they are mapped too.
  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return guard(() => this.#inner.beginTransaction(connection, settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return guard(() => this.#inner.commitTransaction(connection));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return guard(() => this.#inner.rollbackTransaction(connection));
  }

  savepoint(...args: Parameters<NonNullable<Driver['savepoint']>>): Promise<void> {
    return guard(async () => this.#inner.savepoint?.(...args));
  }

  rollbackToSavepoint(...args: Parameters<NonNullable<Driver['rollbackToSavepoint']>>): Promise<void> {
    return guard(async () => this.#inner.rollbackToSavepoint?.(...args));
  }

  releaseSavepoint(...args: Parameters<NonNullable<Driver['releaseSavepoint']>>): Promise<void> {
    return guard(async () => this.#inner.releaseSavepoint?.(...args));
  }

  /** pg-pool discards a client whose connection died (it is no longer queryable) on release. */
  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(this.#innerOf.get(connection) ?? connection);
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}

class UnavailableAwarePostgresDialect extends PostgresDialect {
  override createDriver(): Driver {
    return new UnavailableAwareDriver(super.createDriver());
  }
}
