/**
 * The sync server under load, as a separate process (`rehearse server`), over loopback:
 *   - 50 partners uploading a 20 MB recording each at once with tus (tus-js-client, as the app
 *     does): wall time and throughput, against a plain copy of the same 50 files on this disk;
 *   - the server's peak memory (VmHWM of its process) during the uploads;
 *   - p50/p95 latency of the coach's review queue with 10,000 submissions in the database.
 * SQLite (the default); set DATABASE_URL to measure PostgreSQL instead.
 *
 *   node bin/run-ts.js bench/server-load.ts
 */
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tus from 'tus-js-client';
import { hashPassword } from '../src/server/auth/password-hashing';
import { migrateServerDb, openServerDb } from '../src/server/db/open-server-db';
import { createOrganisation } from '../src/server/identity/organisations';
import { repoRoot } from '../tests/helpers/run-cli';
import { sampleManifest, samplePack } from '../tests/integration/server/harness';

const PARTNERS = 50;
const RECORDING_MB = 20;
const QUEUE_SIZE = 10_000;
const PASSWORD = 'bench password 123';
const mb = (bytes: number) => bytes / 1024 / 1024;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-bench-server-'));
const dataDir = path.join(work, 'server');
const env = {
  ...process.env,
  REHEARSE_SERVER_DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  MAX_RECORDING_BYTES: String(64 * 1024 * 1024),
};

// Seed: a vendor with an admin and a coach, a partner company with 50 partners.
const seed = openServerDb({
  dataDir,
  ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
});
await migrateServerDb(seed.db);
const vendor = await createOrganisation(seed.db, { name: 'Bench Vendor', kind: 'vendor' }, new Date());
const partnerOrg = await createOrganisation(
  seed.db,
  { name: 'Bench Partner', kind: 'partner', vendorId: vendor.id },
  new Date(),
);
const passwordHash = await hashPassword(PASSWORD);
const users = [
  { id: 'admin', email: 'admin@bench.test', role: 'admin' as const, org: vendor.id },
  { id: 'coach', email: 'coach@bench.test', role: 'coach' as const, org: vendor.id },
  ...Array.from({ length: PARTNERS }, (_, i) => ({
    id: `p${i}`,
    email: `p${i}@bench.test`,
    role: 'partner' as const,
    org: partnerOrg.id,
  })),
];
await seed.db
  .insertInto('users')
  .values(
    users.map((u) => ({
      id: u.id,
      email: u.email,
      name: u.email,
      role: u.role,
      org_id: u.org,
      password_hash: passwordHash,
      created_at: new Date().toISOString(),
    })),
  )
  .execute();
await seed.close();

function startServer(): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/rehearse.js'), 'server', '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match?.[1])
        resolve({
          url: match[1],
          pid: child.pid!,
          stop: () => new Promise((done) => (child.once('exit', () => done()), child.kill('SIGTERM'))),
        });
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

const peakRssMb = (pid: number) =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

async function api(url: string, init: RequestInit & { cookie?: string; token?: string } = {}) {
  const headers: Record<string, string> = init.body ? { 'content-type': 'application/json' } : {};
  if (init.cookie) headers.cookie = init.cookie;
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(url, { ...init, headers });
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`);
  return response;
}
async function login(base: string, email: string): Promise<string> {
  const r = await api(`${base}/api/auth/login`, {
    method: 'POST',
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  return (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

let server = await startServer();
try {
  const base = server.url;
  const admin = await login(base, 'admin@bench.test');
  const pack = samplePack('bench-program');
  await api(`${base}/api/programs`, {
    method: 'POST',
    cookie: admin,
    body: JSON.stringify({ id: 'bench-program', title: 'Bench' }),
  });
  await api(`${base}/api/programs/bench-program/packs`, {
    method: 'POST',
    cookie: admin,
    body: JSON.stringify({ pack }),
  });
  await api(`${base}/api/programs/bench-program/partners/${partnerOrg.id}`, { method: 'PUT', cookie: admin });
  await api(`${base}/api/programs/bench-program/coaches/coach`, { method: 'PUT', cookie: admin });

  // Each partner pairs a device (as the app does).
  const tokens: string[] = [];
  for (let i = 0; i < PARTNERS; i++) {
    const cookie = await login(base, `p${i}@bench.test`);
    const { code } = (await (
      await api(`${base}/api/devices/pairing-codes`, { method: 'POST', cookie })
    ).json()) as { code: string };
    const { token } = (await (
      await api(`${base}/api/devices/pair`, {
        method: 'POST',
        body: JSON.stringify({ code, deviceName: `laptop ${i}` }),
      })
    ).json()) as { token: string };
    tokens.push(token);
  }

  // 50 × 20 MB at once.
  const recording = Buffer.alloc(RECORDING_MB * 1024 * 1024);
  for (let i = 0; i < recording.length; i++) recording[i] = (i * 31) % 251;
  const file = path.join(work, 'recording.webm');
  await fs.writeFile(file, recording);
  const ids: string[] = [];
  for (const token of tokens) {
    const manifest = sampleManifest('bench-program', { recording });
    ids.push(manifest.id);
    await api(`${base}/api/submissions`, { method: 'POST', token, body: JSON.stringify(manifest) });
  }
  const t0 = performance.now();
  await Promise.all(
    tokens.map(
      (token, i) =>
        new Promise<void>((resolve, reject) => {
          const upload = new tus.Upload(recording, {
            endpoint: `${base}/api/uploads/`,
            metadata: { submissionId: ids[i]! },
            headers: { authorization: `Bearer ${token}` },
            chunkSize: 8 * 1024 * 1024,
            retryDelays: [],
            onSuccess: () => resolve(),
            onError: reject,
          });
          upload.start();
        }),
    ),
  );
  const uploadSeconds = (performance.now() - t0) / 1000;
  const serverPeak = peakRssMb(server.pid);

  const copies = path.join(work, 'copies');
  await fs.mkdir(copies);
  const c0 = performance.now();
  await Promise.all(
    Array.from({ length: PARTNERS }, (_, i) => fs.copyFile(file, path.join(copies, `${i}.webm`))),
  );
  const copySeconds = (performance.now() - c0) / 1000;
  const totalMb = PARTNERS * RECORDING_MB;
  console.log(
    `${PARTNERS} uploads of ${RECORDING_MB} MB at once: ${uploadSeconds.toFixed(1)} s, ${(totalMb / uploadSeconds).toFixed(0)} MB/s ` +
      `(plain copy of the same files: ${copySeconds.toFixed(1)} s, ${(totalMb / copySeconds).toFixed(0)} MB/s; ` +
      `uploads at ${((copySeconds / uploadSeconds) * 100).toFixed(0)}% of copy speed, sha256 checked on arrival)`,
  );
  console.log(`server peak memory during the uploads: ${serverPeak.toFixed(0)} MB (VmHWM)`);

  // 10,000 submissions waiting for review.
  await server.stop();
  const fill = openServerDb({
    dataDir,
    ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
  });
  const template = await fill.db
    .selectFrom('submissions')
    .selectAll()
    .where('id', '=', ids[0]!)
    .executeTakeFirstOrThrow();
  const rows = [];
  for (let i = ids.length; i < QUEUE_SIZE; i++) {
    const id = randomUUID();
    const manifestJson = template.manifest_json.replace(template.id, id);
    const at = new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString();
    rows.push({
      ...template,
      id,
      partner_user_id: `p${i % PARTNERS}`,
      manifest_json: manifestJson,
      manifest_sha256: createHash('sha256').update(manifestJson).digest('hex'),
      recording_kind: null,
      recording_mime: null,
      recording_bytes: null,
      recording_sha256: null,
      recording_upload_id: null,
      recording_storage_key: null,
      status: 'submitted' as const,
      created_at: at,
      updated_at: at,
    });
  }
  for (let i = 0; i < rows.length; i += 500)
    await fill.db
      .insertInto('submissions')
      .values(rows.slice(i, i + 500))
      .execute();
  const count = await fill.db
    .selectFrom('submissions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  await fill.close();

  server = await startServer();
  const coach = await login(server.url, 'coach@bench.test');
  const times: number[] = [];
  let items = 0;
  let bytes = 0;
  for (let i = 0; i < 30; i++) {
    const q0 = performance.now();
    const r = await api(`${server.url}/api/review/queue`, { cookie: coach });
    const text = await r.text();
    times.push(performance.now() - q0);
    bytes = text.length;
    items = (JSON.parse(text) as { submissions: unknown[] }).submissions.length;
  }
  console.log(
    `review queue with ${Number(count.n)} submissions: p50 ${pct(times, 50).toFixed(0)} ms, p95 ${pct(times, 95).toFixed(0)} ms ` +
      `(30 requests; ${items} items, ${mb(bytes).toFixed(1)} MB of JSON per response); server peak memory ${peakRssMb(server.pid).toFixed(0)} MB`,
  );
} finally {
  await server.stop().catch(() => undefined);
  await fs.rm(work, { recursive: true, force: true });
}
