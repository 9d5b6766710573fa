/**
 * The loopback host behind `rehearse serve`: the same renderer bundle the Electron window loads,
 * served on 127.0.0.1 to a normal browser, talking to the same core. It is the browser-mode twin of
 * the preload bridge:
 *
 *   POST /api/<method>      JSON in, ApiResult out (bytes for BINARY_METHODS: raw body, ?input=JSON)
 *   GET  /api/events        WebSocket carrying { event, payload } for every core event
 *   GET  /media/<recording> the recording file, with Range support so the video can seek
 *   GET  /*                 the renderer's static files
 *
 * Every /api and /media request needs the per-launch token (Authorization: Bearer, or ?token= where a
 * browser cannot set headers). Requests whose Host is not this loopback address are refused, which
 * stops DNS-rebinding pages from reaching the API; it listens on 127.0.0.1 only.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { BINARY_METHODS } from '../../shared/api/contract';
import { AppError, serializeError } from '../../shared/errors';
import type { Core } from '../core/core';
import { createLogger } from '../core/util/logger';

const log = createLogger('serve');

/** The renderer's CSP (as in src/renderer/index.html), also sent as a header. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "media-src 'self' blob:; connect-src 'self' ws://127.0.0.1:*; object-src 'none'; base-uri 'none'; " +
  "frame-ancestors 'none'";

/** Largest request body: one recording chunk (16 MiB) with room for the envelope. */
const BODY_LIMIT = 17 * 1024 * 1024;

export interface LoopbackHostOptions {
  core: Core;
  /** Folder with the built renderer (index.html and assets/). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Defaults to 32 random bytes, base64url. */
  token?: string;
}

export interface LoopbackHost {
  /** The address to open, token included (in the fragment, so it is never sent in a request line). */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7);
  const query = request.query as Record<string, unknown>;
  return typeof query.token === 'string' ? query.token : undefined;
}

const refuse = (reply: FastifyReply, status: number, code: 'UNAUTHORIZED' | 'FORBIDDEN', message: string) =>
  reply.code(status).send({ ok: false, error: { code, message } });

export async function startLoopbackHost(options: LoopbackHostOptions): Promise<LoopbackHost> {
  const { core } = options;
  if (!existsSync(`${options.rendererDir}/index.html`))
    throw new AppError('NOT_FOUND', `No built renderer in ${options.rendererDir}`, {
      hint: 'Run `npm run build` first.',
    });
  const token = options.token ?? randomBytes(32).toString('base64url');
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT, forceCloseConnections: true });
  let allowedHosts = new Set<string>();

  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );

  app.addHook('onRequest', async (request, reply) => {
    if (!allowedHosts.has(request.headers.host ?? ''))
      return refuse(reply, 403, 'FORBIDDEN', 'This server answers only on its loopback address');
    const needsToken = request.url.startsWith('/api/') || request.url.startsWith('/media/');
    if (needsToken && !sameToken(bearer(request), token)) {
      log.warn('refused a request without the launch token', { url: request.url.split('?')[0] });
      return refuse(reply, 401, 'UNAUTHORIZED', 'Missing or wrong token');
    }
    void reply
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cross-origin-resource-policy', 'same-origin');
  });

  await app.register(fastifyWebsocket);
  await app.register(fastifyStatic, { root: options.rendererDir, wildcard: true, index: 'index.html' });

  app.get('/api/events', { websocket: true }, (socket) => {
    const unsubscribe = core.onEvent((event, payload) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ event, payload }));
    });
    socket.on('close', unsubscribe);
  });

  app.post<{ Params: { method: string }; Querystring: { input?: string } }>(
    '/api/:method',
    async (request, reply) => {
      const { method } = request.params;
      let input: unknown = request.body ?? {};
      if ((BINARY_METHODS as readonly string[]).includes(method)) {
        if (!Buffer.isBuffer(request.body))
          return reply.send({
            ok: false,
            error: serializeError(
              new AppError('INVALID_INPUT', `${method} takes an application/octet-stream body`),
            ),
          });
        let rest: unknown;
        try {
          rest = JSON.parse(request.query.input ?? '{}');
        } catch {
          rest = null;
        }
        if (typeof rest !== 'object' || rest === null)
          return reply.send({
            ok: false,
            error: serializeError(new AppError('INVALID_INPUT', `${method}: ?input= must be a JSON object`)),
          });
        const body = request.body;
        input = { ...rest, data: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
      }
      return reply.send(await core.dispatch(method, input));
    },
  );

  app.get<{ Params: { recordingId: string } }>('/media/:recordingId', async (request, reply) => {
    const recording = await core.store.recordings.get(request.params.recordingId);
    if (!recording)
      return reply.code(404).send({ ok: false, error: { code: 'NOT_FOUND', message: 'No such recording' } });
    // resolvePath refuses anything outside the recordings folder; send handles Range and caching.
    core.store.recordings.resolvePath(recording.relativePath);
    return reply
      .type(recording.mime.split(';')[0] ?? 'application/octet-stream')
      .sendFile(recording.relativePath, core.store.recordings.root, {
        dotfiles: 'deny',
        cacheControl: false,
      });
  });

  app.setNotFoundHandler((request, reply) => {
    // Unknown paths under / are screens of the single-page app; anything else is a 404.
    if (request.method === 'GET' && !request.url.startsWith('/api/') && !request.url.startsWith('/media/'))
      return reply.sendFile('index.html');
    return reply.code(404).send({ ok: false, error: { code: 'NOT_FOUND', message: 'Not found' } });
  });

  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const { port } = app.server.address() as AddressInfo;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    close: () => app.close(),
  };
}
