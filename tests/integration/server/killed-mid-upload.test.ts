/**
 * The server as a real process (`rehearse server`), killed with SIGKILL in the middle of a tus
 * upload and started again on the same data folder: the upload resumes from the offset the server
 * had made durable, the recording arrives byte-exact and the submission becomes submitted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../src/server/auth/password-hashing';
import { migrateServerDb, openServerDb } from '../../../src/server/db/open-server-db';
import { createOrganisation } from '../../../src/server/identity/organisations';
import { repoRoot } from '../../helpers/run-cli';
import { PASSWORD, recordingBytes, sampleManifest, samplePack, tusCreationHeaders } from './harness';

const RECORDING = recordingBytes(3 * 1024 * 1024);

/** SQLite for this test, whatever the environment says. */
function withoutDatabaseUrl(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  return env;
}

function startServer(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/rehearse.js'), 'server', '--port', '0'], {
    env: { ...withoutDatabaseUrl(), REHEARSE_SERVER_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match?.[1]) resolve({ url: match[1], child });
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

async function call(
  url: string,
  init: { method?: string; cookie?: string; token?: string; body?: unknown } = {},
) {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.cookie) headers.cookie = init.cookie;
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  return fetch(url, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

describe('the server killed mid-upload', () => {
  let work: string;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-kill-'));
  });
  afterAll(async () => {
    // A server still running is killed and awaited before its data folder is removed under it.
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
    await fs.rm(work, { recursive: true, force: true });
  });

  it('resumes the upload after a SIGKILL and a restart, byte-exact', async () => {
    const dataDir = path.join(work, 'server');
    const seed = openServerDb({ dataDir });
    await migrateServerDb(seed.db);
    const vendor = await createOrganisation(seed.db, { name: 'V', kind: 'vendor' }, new Date());
    const org = await createOrganisation(
      seed.db,
      { name: 'P', kind: 'partner', vendorId: vendor.id },
      new Date(),
    );
    const hash = await hashPassword(PASSWORD);
    const now = new Date().toISOString();
    await seed.db
      .insertInto('users')
      .values([
        {
          id: 'admin',
          email: 'admin@v.test',
          name: 'Admin',
          role: 'admin',
          org_id: vendor.id,
          password_hash: hash,
          created_at: now,
        },
        {
          id: 'sam',
          email: 'sam@p.test',
          name: 'Sam',
          role: 'partner',
          org_id: org.id,
          password_hash: hash,
          created_at: now,
        },
      ])
      .execute();
    await seed.close();

    let server = await startServer(dataDir);
    child = server.child;
    const signIn = async (email: string) =>
      (
        (
          await call(`${server.url}/api/auth/login`, { method: 'POST', body: { email, password: PASSWORD } })
        ).headers.get('set-cookie') ?? ''
      ).split(';')[0]!;
    const admin = await signIn('admin@v.test');
    await call(`${server.url}/api/programs`, {
      method: 'POST',
      cookie: admin,
      body: { id: 'prog', title: 'Program' },
    });
    expect(
      (
        await call(`${server.url}/api/programs/prog/packs`, {
          method: 'POST',
          cookie: admin,
          body: { pack: samplePack('prog') },
        })
      ).status,
    ).toBe(201);
    await call(`${server.url}/api/programs/prog/partners/${org.id}`, { method: 'PUT', cookie: admin });
    const sam = await signIn('sam@p.test');
    const { code } = (await (
      await call(`${server.url}/api/devices/pairing-codes`, { method: 'POST', cookie: sam })
    ).json()) as { code: string };
    const { token } = (await (
      await call(`${server.url}/api/devices/pair`, { method: 'POST', body: { code, deviceName: 'laptop' } })
    ).json()) as { token: string };

    const manifest = sampleManifest('prog', { recording: RECORDING });
    expect(
      (await call(`${server.url}/api/submissions`, { method: 'POST', token, body: manifest })).status,
    ).toBe(201);
    const created = await fetch(`${server.url}/api/uploads/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...tusCreationHeaders(manifest.id, RECORDING.length) },
    });
    expect(created.status).toBe(201);
    const uploadPath = new URL(created.headers.get('location')!, server.url).pathname;
    const half = RECORDING.length / 2;
    const patch = (url: string, offset: number, bytes: Buffer) =>
      fetch(`${url}${uploadPath}`, {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${token}`,
          'tus-resumable': '1.0.0',
          'upload-offset': String(offset),
          'content-type': 'application/offset+octet-stream',
        },
        body: new Uint8Array(bytes),
      });
    expect((await patch(server.url, 0, RECORDING.subarray(0, half))).status).toBe(204);

    // No goodbye: the process is killed outright.
    server.child.kill('SIGKILL');
    await new Promise((resolve) => server.child.once('exit', resolve));

    server = await startServer(dataDir);
    child = server.child;
    const head = await fetch(`${server.url}${uploadPath}`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0' },
    });
    expect(head.status).toBe(200);
    const offset = Number(head.headers.get('upload-offset'));
    expect(offset).toBe(half);
    expect((await patch(server.url, offset, RECORDING.subarray(offset))).status).toBe(204);

    // `submitted` means the server compared the whole file's sha256 with the manifest's and it matched.
    const submission = (await (
      await call(`${server.url}/api/submissions/${manifest.id}`, { token })
    ).json()) as { status: string };
    expect(submission.status).toBe('submitted');
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    child = undefined;
  });
});
