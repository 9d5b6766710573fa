/**
 * A vendor with one program, a partner organisation taking it, a partner with a paired device, a
 * coach of the program and an admin; plus builders for packs, manifests and recordings.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { scenarioPackSchema, type ScenarioPack } from '../../../src/shared/pack/schema';
import type { SubmissionManifest } from '../../../src/shared/sync/protocol';
import { login, seedPartnerOrg, seedUser, seedVendor, type TestServer } from './harness';

export interface SyncWorld {
  vendorId: string;
  partnerOrgId: string;
  programId: string;
  partner: { id: string; email: string; cookie: string; deviceToken: string };
  coach: { id: string; email: string; cookie: string };
  admin: { id: string; email: string; cookie: string };
}

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

export async function pairDevice(app: FastifyInstance, partnerCookie: string): Promise<string> {
  const code = (await send(app, 'POST', '/api/devices/pairing-codes', partnerCookie)).json() as {
    code: string;
  };
  const paired = await send(app, 'POST', '/api/devices/pair', undefined, {
    code: code.code,
    deviceName: 'PC',
  });
  expect(paired.statusCode).toBe(201);
  return (paired.json() as { token: string }).token;
}

/** `letter` keeps emails apart when one test seeds two worlds; `programId` fixes the program's id. */
export async function seedSyncWorld(
  server: TestServer,
  letter = 'a',
  programId?: string,
): Promise<SyncWorld> {
  const { app, db } = server;
  const vendor = await seedVendor(db, `Vendor ${letter}`);
  const partnerOrg = await seedPartnerOrg(db, vendor.id, `Partner ${letter}`);
  const partner = await seedUser(db, {
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
      ...(programId === undefined ? {} : { id: programId }),
    })
  ).json() as {
    id: string;
  };
  const assigned = await Promise.all([
    send(app, 'PUT', `/api/programs/${program.id}/partners/${partnerOrg.id}`, adminCookie),
    send(app, 'PUT', `/api/programs/${program.id}/coaches/${coach.id}`, adminCookie),
  ]);
  expect(assigned.map((r) => r.statusCode)).toEqual([204, 204]);
  const partnerCookie = await login(app, partner.email);
  return {
    vendorId: vendor.id,
    partnerOrgId: partnerOrg.id,
    programId: program.id,
    partner: { ...partner, cookie: partnerCookie, deviceToken: await pairDevice(app, partnerCookie) },
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

export async function uploadPack(server: TestServer, world: SyncWorld, version = '1.0.0') {
  const response = await send(
    server.app,
    'POST',
    `/api/programs/${world.programId}/packs`,
    world.admin.cookie,
    {
      pack: samplePack(world.programId, version),
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
