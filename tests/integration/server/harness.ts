/**
 * The server test kit, used by every integration and e2e test that talks to the server: a fresh
 * database per test (a temp SQLite file always; a fresh PostgreSQL database too when
 * REHEARSE_TEST_DATABASE_URL is set), a movable clock, a captured log; `send` (an authenticated
 * request), `seedWorld` (a vendor, a partner organisation, a program, a partner with a paired
 * device, a coach and an admin), packs and manifests, `uploadRecording` (tus creation + PATCH) and
 * `submitAndPublish` (a submission reviewed and published by the coach). Tests do not re-implement
 * these; a test's own setup builds on them.
 */
import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { expect } from 'vitest';
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
import { scenarioPackSchema, type ScenarioPack } from '../../../src/shared/pack/schema';
import type { SubmissionManifest } from '../../../src/shared/sync/protocol';

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

// --- the world: people, programs, packs, manifests, recordings ---

export interface SeededPartner {
  id: string;
  email: string;
  cookie: string;
  deviceId: string;
  deviceToken: string;
}

export interface World {
  vendorId: string;
  partnerOrgId: string;
  programId: string;
  partner: SeededPartner;
  coach: { id: string; email: string; cookie: string };
  admin: { id: string; email: string; cookie: string };
}

/** An authenticated request: a device token (`rhd_…`) as a bearer, anything else as the session cookie. */
export async function send(
  app: FastifyInstance,
  method: string,
  url: string,
  auth: string | undefined,
  payload?: object,
  headers: Record<string, string> = {},
) {
  const all: Record<string, string> = { ...headers };
  if (auth?.startsWith('rhd_')) all.authorization = `Bearer ${auth}`;
  else if (auth) all.cookie = auth;
  return app.inject({ method: method as 'GET', url, headers: all, ...(payload ? { payload } : {}) });
}

/** Pairs a device for a signed-in partner through the real routes. */
export async function pairDeviceOf(
  app: FastifyInstance,
  partnerCookie: string,
): Promise<{ deviceId: string; deviceToken: string }> {
  const code = (await send(app, 'POST', '/api/devices/pairing-codes', partnerCookie)).json() as {
    code: string;
  };
  const paired = await send(app, 'POST', '/api/devices/pair', undefined, {
    code: code.code,
    deviceName: 'PC',
  });
  expect(paired.statusCode).toBe(201);
  const { token, device } = paired.json() as { token: string; device: { id: string } };
  return { deviceId: device.id, deviceToken: token };
}

/** The device token of a newly paired device. */
export async function pairDevice(app: FastifyInstance, partnerCookie: string): Promise<string> {
  return (await pairDeviceOf(app, partnerCookie)).deviceToken;
}

/** A partner of `orgId`, signed in, with a paired device. */
export async function seedPartner(
  server: TestServer,
  orgId: string,
  input: { email: string; name?: string },
): Promise<SeededPartner> {
  const user = await seedUser(server.db, { ...input, role: 'partner', orgId });
  const cookie = await login(server.app, user.email);
  return { ...user, cookie, ...(await pairDeviceOf(server.app, cookie)) };
}

/**
 * A vendor with one program, a partner organisation taking it, a partner with a paired device, a
 * coach of the program and an admin. `letter` keeps emails apart when one test seeds two worlds;
 * `programId` fixes the program's id.
 */
export async function seedWorld(
  server: TestServer,
  options: { letter?: string; programId?: string } = {},
): Promise<World> {
  const { app, db } = server;
  const letter = options.letter ?? 'a';
  const vendor = await seedVendor(db, `Vendor ${letter}`);
  const partnerOrg = await seedPartnerOrg(db, vendor.id, `Partner ${letter}`);
  const partnerUser = await seedUser(db, {
    email: `partner@${letter}.test`,
    role: 'partner',
    orgId: partnerOrg.id,
  });
  const coach = await seedUser(db, { email: `coach@${letter}.test`, role: 'coach', orgId: vendor.id });
  const admin = await seedUser(db, { email: `admin@${letter}.test`, role: 'admin', orgId: vendor.id });
  const adminCookie = await login(app, admin.email);
  const program = (
    await send(app, 'POST', '/api/programs', adminCookie, {
      title: `Program ${letter}`,
      ...(options.programId === undefined ? {} : { id: options.programId }),
    })
  ).json() as {
    id: string;
  };
  const assigned = await Promise.all([
    send(app, 'PUT', `/api/programs/${program.id}/partners/${partnerOrg.id}`, adminCookie),
    send(app, 'PUT', `/api/programs/${program.id}/coaches/${coach.id}`, adminCookie),
  ]);
  expect(assigned.map((r) => r.statusCode)).toEqual([204, 204]);
  const partnerCookie = await login(app, partnerUser.email);
  return {
    vendorId: vendor.id,
    partnerOrgId: partnerOrg.id,
    programId: program.id,
    partner: { ...partnerUser, cookie: partnerCookie, ...(await pairDeviceOf(app, partnerCookie)) },
    coach: { ...coach, cookie: await login(app, coach.email) },
    admin: { ...admin, cookie: adminCookie },
  };
}

export function samplePack(programId: string, version = '1.0.0', passMark = 70): ScenarioPack {
  return scenarioPackSchema.parse({
    format: 'rehearse-pack/1',
    version,
    locale: 'en',
    program: { id: programId, title: 'Certification', vendor: 'Vendor' },
    scenarios: [
      {
        id: 'elevator-pitch',
        kind: 'pitch',
        title: 'Elevator pitch',
        brief: 'Pitch the product to a busy manager.',
        persona: { name: 'Dana', role: 'IT manager' },
        timing: { prepSeconds: 30, answerSeconds: 120 },
        passMark,
        keyMessages: [{ id: 'saves-time', text: 'It saves time', phrasings: ['saves you hours'] }],
        painPoints: [],
        forbiddenPhrases: [],
        requiredQuestions: [],
        rubric: [
          {
            id: 'value',
            type: 'check',
            title: 'States the value',
            description: 'Names the main value for the customer.',
            checks: { keyMessages: ['saves-time'] },
          },
        ],
        media: [],
      },
    ],
  });
}

/** Stores a pack for the world's program (the sample pack unless given); expects success. */
export async function uploadPack(
  server: TestServer,
  world: World,
  version = '1.0.0',
  pack: ScenarioPack = samplePack(world.programId, version),
) {
  const response = await send(
    server.app,
    'POST',
    `/api/programs/${world.programId}/packs`,
    world.admin.cookie,
    {
      pack,
    },
  );
  expect(response.statusCode).toBe(201);
}

export function recordingBytes(size: number, seed = 7): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) % 251;
  return bytes;
}

export const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export function sampleManifest(
  programId: string,
  options: { recording?: Buffer | null; id?: string; packVersion?: string; mime?: string } = {},
): SubmissionManifest {
  const recording = options.recording === undefined ? null : options.recording;
  return {
    id: options.id ?? randomUUID(),
    programId,
    scenarioId: 'elevator-pitch',
    packVersion: options.packVersion ?? '1.0.0',
    recordedAt: '2026-12-10T09:30:00.000Z',
    durationSeconds: 42,
    recording: recording
      ? {
          kind: 'video',
          mime: options.mime ?? 'video/webm',
          bytes: recording.length,
          sha256: sha256Of(recording),
        }
      : null,
    transcript: {
      language: 'en',
      durationSeconds: 42,
      segments: [{ start: 0, end: 3, text: 'It saves you hours.', words: [] }],
      source: 'import',
    },
    metrics: { wordsPerMinute: 140 },
    ai: {
      score: 80,
      passed: true,
      judgedBy: ['deterministic'],
      criteria: [
        {
          criterionId: 'value',
          met: true,
          level: null,
          score: 1,
          rationale: 'Says it saves hours.',
          evidence: [{ quote: 'It saves you hours.', start: 0, end: 3 }],
          judge: 'deterministic',
        },
      ],
    },
  };
}

export function refusalsIn(server: TestServer): { status: number; code: string; reason: string }[] {
  return server.logs
    .filter((line) => line.msg === 'request refused')
    .map((line) => line.refusal as { status: number; code: string; reason: string });
}

/** tus 1.0.0 headers for creation: size and the submission id in Upload-Metadata. */
export function tusCreationHeaders(submissionId: string, length: number): Record<string, string> {
  return {
    'tus-resumable': '1.0.0',
    'upload-length': String(length),
    'upload-metadata': `submissionId ${Buffer.from(submissionId).toString('base64')}`,
  };
}

/** Uploads a submission's whole recording with tus (creation, then one PATCH); expects success. */
export async function uploadRecording(
  app: FastifyInstance,
  deviceToken: string,
  submissionId: string,
  recording: Buffer,
): Promise<void> {
  const created = await send(
    app,
    'POST',
    '/api/uploads/',
    deviceToken,
    undefined,
    tusCreationHeaders(submissionId, recording.length),
  );
  expect(created.statusCode).toBe(201);
  const done = await app.inject({
    method: 'PATCH',
    url: created.headers.location as string,
    headers: {
      authorization: `Bearer ${deviceToken}`,
      'tus-resumable': '1.0.0',
      'upload-offset': '0',
      'content-type': 'application/offset+octet-stream',
    },
    payload: recording,
  });
  expect(done.statusCode).toBe(204);
}

/**
 * A partner's submission, scored and published by the world's coach; returns its id. A criterion
 * the coach scores that the manifest's AI judgment lacks is added to it (met, score 1), so the
 * review always compares like with like. `reviewAfterMs` moves the clock between submit and review.
 */
export async function submitAndPublish(
  server: TestServer,
  world: World,
  options: {
    decision: 'pass' | 'needs-work';
    scores: [criterionId: string, coachScore: number | null][];
    overallScore: number | null;
    deviceToken?: string;
    comments?: { at: number; text: string }[];
    reviewAfterMs?: number;
  },
): Promise<string> {
  const manifest = sampleManifest(world.programId);
  for (const [criterionId] of options.scores)
    if (!manifest.ai.criteria.some((c) => c.criterionId === criterionId))
      manifest.ai.criteria.push({ ...manifest.ai.criteria[0]!, criterionId, score: 1 });
  const submitted = await send(
    server.app,
    'POST',
    '/api/submissions',
    options.deviceToken ?? world.partner.deviceToken,
    manifest,
  );
  expect(submitted.statusCode).toBe(201);
  if (options.reviewAfterMs) server.clock.advance(options.reviewAfterMs);
  const url = `/api/review/submissions/${manifest.id}`;
  const scored = await send(server.app, 'PUT', `${url}/scores`, world.coach.cookie, {
    criteria: options.scores.map(([criterionId, coachScore]) => ({ criterionId, coachScore, note: null })),
    overallScore: options.overallScore,
  });
  expect(scored.statusCode).toBe(200);
  for (const comment of options.comments ?? [])
    expect((await send(server.app, 'POST', `${url}/comments`, world.coach.cookie, comment)).statusCode).toBe(
      201,
    );
  const published = await send(server.app, 'POST', `${url}/publish`, world.coach.cookie, {
    decision: options.decision,
  });
  expect(published.statusCode).toBe(200);
  return manifest.id;
}
