/**
 * A small, real HTTP implementation of the sync protocol (src/shared/sync/protocol.ts) for the
 * client's tests: pairing, idempotent submissions, a tus 1.0.0 upload endpoint (creation, HEAD,
 * PATCH; bytes kept as they arrive, as @tus/server does), and published results. It counts what it
 * receives so tests can assert that a resumed upload did not start over.
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  SUBMISSION_UPLOAD_PATH,
  submissionManifestSchema,
  type PublishedResult,
  type Submission,
  type SubmissionManifest,
} from '../../../../../src/shared/sync/protocol';

export const PAIRING_CODE = 'ABCD-EFGH';

interface StoredSubmission {
  manifestJson: string;
  manifest: SubmissionManifest;
  submission: Submission;
}

interface TusUpload {
  submissionId: string;
  size: number;
  chunks: Buffer[];
  offset: number;
  /** The PATCH writing now; a newer request takes over from it (as @tus/server's lock does). */
  writer: { stopped: boolean } | null;
}

export interface FakeSyncServer {
  url: string;
  submissions: Map<string, StoredSubmission>;
  uploads: Map<string, TusUpload>;
  counters: { patchBytes: number; uploadsCreated: number; heads: number; posts: number; polls: number };
  /** Milliseconds each PATCH waits before reading its body (to stop a client mid-upload). */
  patchDelayMs: number;
  revokeTokens(): void;
  publish(submissionId: string, result: PublishedResult): void;
  /** The bytes the server holds for a submission's recording. */
  receivedBytes(submissionId: string): Buffer;
  close(): Promise<void>;
}

const now = () => new Date().toISOString();

function send(
  res: http.ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    ...(body !== undefined && { 'content-type': 'application/json' }),
    'tus-resumable': '1.0.0',
    ...headers,
  });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

const refuse = (res: http.ServerResponse, status: number, code: string, message: string) =>
  send(res, status, { error: { code, message } });

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeSyncServer(): Promise<FakeSyncServer> {
  const tokens = new Set<string>();
  const submissions = new Map<string, StoredSubmission>();
  const uploads = new Map<string, TusUpload>();
  const counters = { patchBytes: 0, uploadsCreated: 0, heads: 0, posts: 0, polls: 0 };
  let url = '';

  const state: Pick<FakeSyncServer, 'patchDelayMs'> = { patchDelayMs: 0 };

  function authorised(req: http.IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    return header.startsWith('Bearer ') && tokens.has(header.slice('Bearer '.length));
  }

  function complete(upload: TusUpload) {
    const stored = submissions.get(upload.submissionId);
    if (!stored?.manifest.recording) return;
    const data = Buffer.concat(upload.chunks);
    const sha = createHash('sha256').update(data).digest('hex');
    if (sha === stored.manifest.recording.sha256 && data.length === stored.manifest.recording.bytes)
      stored.submission = { ...stored.submission, status: 'submitted', updatedAt: now() };
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const method = req.method ?? 'GET';

    if (method === 'POST' && path === '/api/devices/pair') {
      const body = JSON.parse(await readBody(req)) as { code?: string; deviceName?: string };
      if (body.code !== PAIRING_CODE)
        return refuse(res, 401, 'UNAUTHORIZED', 'Invalid or expired pairing code');
      const token = `rhd_${randomUUID().replaceAll('-', '')}`;
      tokens.add(token);
      return send(res, 201, {
        device: {
          id: randomUUID(),
          name: body.deviceName,
          createdAt: now(),
          lastSeenAt: null,
          revokedAt: null,
        },
        token,
      });
    }

    if (path.startsWith('/api/') && !authorised(req)) {
      await readBody(req).catch(() => undefined);
      return refuse(res, 401, 'UNAUTHORIZED', 'Invalid or revoked device token');
    }

    if (method === 'POST' && path === '/api/submissions') {
      counters.posts++;
      const text = await readBody(req);
      const parsed = submissionManifestSchema.safeParse(JSON.parse(text));
      if (!parsed.success) return refuse(res, 400, 'INVALID_INPUT', parsed.error.message);
      const existing = submissions.get(parsed.data.id);
      if (existing) {
        if (JSON.stringify(existing.manifest) !== JSON.stringify(parsed.data))
          return refuse(res, 409, 'CONFLICT', 'A different submission already has this id');
        return send(res, 200, existing.submission);
      }
      const m = parsed.data;
      const submission: Submission = {
        id: m.id,
        status: m.recording ? 'awaiting-recording' : 'submitted',
        programId: m.programId,
        scenarioId: m.scenarioId,
        packVersion: m.packVersion,
        createdAt: now(),
        updatedAt: now(),
        recordingBytesReceived: m.recording ? 0 : null,
        result: null,
      };
      submissions.set(m.id, { manifestJson: text, manifest: m, submission });
      return send(res, 201, submission);
    }

    const submissionMatch = /^\/api\/submissions\/([^/]+)$/.exec(path);
    if (method === 'GET' && submissionMatch?.[1]) {
      counters.polls++;
      const stored = submissions.get(decodeURIComponent(submissionMatch[1]));
      if (!stored) return refuse(res, 404, 'NOT_FOUND', 'No such submission');
      return send(res, 200, stored.submission);
    }

    if (method === 'POST' && path === SUBMISSION_UPLOAD_PATH) {
      const size = Number(req.headers['upload-length']);
      const metadata = Object.fromEntries(
        String(req.headers['upload-metadata'] ?? '')
          .split(',')
          .filter(Boolean)
          .map((pair) => {
            const [key = '', value = ''] = pair.trim().split(' ');
            return [key, Buffer.from(value, 'base64').toString('utf8')];
          }),
      );
      const submissionId = metadata.submissionId ?? '';
      const stored = submissions.get(submissionId);
      if (!stored?.manifest.recording)
        return refuse(res, 404, 'NOT_FOUND', 'No submission awaits a recording');
      if (size !== stored.manifest.recording.bytes)
        return refuse(res, 422, 'INVALID_INPUT', 'Upload-Length differs from the manifest');
      const id = randomUUID();
      uploads.set(id, { submissionId, size, chunks: [], offset: 0, writer: null });
      counters.uploadsCreated++;
      return send(res, 201, undefined, { location: `${url}${SUBMISSION_UPLOAD_PATH}${id}` });
    }

    const uploadMatch = new RegExp(`^${SUBMISSION_UPLOAD_PATH}([^/]+)$`).exec(path);
    const upload = uploadMatch?.[1] ? uploads.get(uploadMatch[1]) : undefined;
    if (uploadMatch && !upload) return refuse(res, 404, 'NOT_FOUND', 'No such upload');
    if (upload?.writer) {
      upload.writer.stopped = true;
      upload.writer = null;
    }
    if (upload && method === 'HEAD') {
      counters.heads++;
      return send(res, 200, undefined, {
        'upload-offset': String(upload.offset),
        'upload-length': String(upload.size),
        'cache-control': 'no-store',
      });
    }
    if (upload && method === 'PATCH') {
      if (Number(req.headers['upload-offset']) !== upload.offset)
        return refuse(res, 409, 'CONFLICT', 'Upload-Offset does not match');
      const writer = { stopped: false };
      upload.writer = writer;
      req.pause();
      if (state.patchDelayMs > 0) await new Promise((r) => setTimeout(r, state.patchDelayMs));
      req.resume();
      try {
        for await (const chunk of req) {
          if (writer.stopped) return;
          const buffer = chunk as Buffer;
          upload.chunks.push(buffer);
          upload.offset += buffer.length;
          counters.patchBytes += buffer.length;
        }
      } catch {
        return; // the client went away mid-PATCH: keep what arrived, as tus servers do
      } finally {
        if (upload.writer === writer) upload.writer = null;
      }
      if (writer.stopped) return;
      const stored = submissions.get(upload.submissionId);
      if (stored) stored.submission = { ...stored.submission, recordingBytesReceived: upload.offset };
      if (upload.offset === upload.size) complete(upload);
      return send(res, 204, undefined, { 'upload-offset': String(upload.offset) });
    }
    return refuse(res, 404, 'NOT_FOUND', `No route ${method} ${path}`);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) refuse(res, 500, 'INTERNAL', String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    submissions,
    uploads,
    counters,
    get patchDelayMs() {
      return state.patchDelayMs;
    },
    set patchDelayMs(ms: number) {
      state.patchDelayMs = ms;
    },
    revokeTokens: () => tokens.clear(),
    publish(submissionId, result) {
      const stored = submissions.get(submissionId);
      if (!stored) throw new Error(`no submission ${submissionId}`);
      stored.submission = { ...stored.submission, status: 'published', result, updatedAt: now() };
    },
    receivedBytes(submissionId) {
      const upload = [...uploads.values()].find((u) => u.submissionId === submissionId && u.offset > 0);
      return upload ? Buffer.concat(upload.chunks) : Buffer.alloc(0);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
