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
 * Deny by default: every route the router matched needs the per-launch token (Authorization: Bearer,
 * or ?token= where a browser cannot set headers), except GETs of the static shell. The decision is
 * made on the route the router matched, never on the raw URL, so no spelling of a path
 * (percent-encoding, dot segments, absolute-form targets) reaches a protected route without the
 * token; request targets that are not origin-form (`/…`) are refused outright. Requests whose Host is
 * not this loopback address are refused, which stops DNS-rebinding pages; WebSocket upgrades and
 * other non-GET requests from a foreign Origin are refused, so another site open in the same browser
 * cannot drive the API. It listens on 127.0.0.1 only, and close() ends every connection (WebSockets
 * included) within about a second.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { BINARY_METHODS } from '../../shared/api/contract';
import { AppError, isAppError, serializeError } from '../../shared/errors';
import type { Core } from '../core/core';
import { planMediaResponse } from '../core/recordings/byte-range';
import { createLogger } from '../core/util/logger';

const log = createLogger('serve');

/**
 * The renderer's CSP (as in src/renderer/index.html, whose meta tag still applies too), sent as a
 * header with connect-src narrowed to this host's own port.
 */
export function contentSecurityPolicy(port: number): string {
  return (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
    `media-src 'self' blob:; connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; ` +
    "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
  );
}

/** Largest request body: one recording chunk (16 MiB) with room for the envelope. */
const BODY_LIMIT = 17 * 1024 * 1024;

/** How long close() lets WebSockets and requests in flight finish before it destroys their sockets. */
const CLOSE_GRACE_MS = 1_000;

/** Routes anyone may GET without the token: the static shell (index.html and its assets). */
const PUBLIC_ROUTES = new Set(['/', '/*']);

/** The one route that may be upgraded to a WebSocket. */
const EVENTS_ROUTE = '/api/events';

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
  /** Stops listening and ends every connection, WebSockets included, within about a second. */
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

const isUpgrade = (request: FastifyRequest) => request.headers.upgrade !== undefined;

type RefusalCode = 'UNAUTHORIZED' | 'FORBIDDEN' | 'INVALID_INPUT' | 'NOT_FOUND';

const refuse = (reply: FastifyReply, status: number, code: RefusalCode, message: string) =>
  reply.code(status).send({ ok: false, error: { code, message } });

export async function startLoopbackHost(options: LoopbackHostOptions): Promise<LoopbackHost> {
  const { core } = options;
  if (!existsSync(`${options.rendererDir}/index.html`))
    throw new AppError('NOT_FOUND', `No built renderer in ${options.rendererDir}`, {
      hint: 'Run `npm run build` first.',
    });
  const token = options.token ?? randomBytes(32).toString('base64url');
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT, forceCloseConnections: true });
  // Known once listening: nothing is answered before then.
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();
  let csp = '';

  // Every socket, so close() can end the ones http.Server no longer tracks (upgraded WebSockets).
  const sockets = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );

  await app.register(fastifyWebsocket, {
    // Ask every client to go away on close; close() destroys those that do not answer in time.
    preClose(done) {
      for (const client of app.websocketServer.clients) client.close(1001, 'Rehearse is stopping');
      done();
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    // Only origin-form targets (`/path`): absolute-form (`http://host/api/…`) and `*` are refused.
    if (!request.raw.url?.startsWith('/'))
      return refuse(reply, 400, 'INVALID_INPUT', 'Request targets must be paths');
    if (!allowedHosts.has(request.headers.host ?? ''))
      return refuse(reply, 403, 'FORBIDDEN', 'This server answers only on its loopback address');
    const origin = request.headers.origin;
    const route = request.routeOptions.url;
    const reading = request.method === 'GET' || request.method === 'HEAD';
    if (isUpgrade(request)) {
      if (route !== EVENTS_ROUTE) return refuse(reply, 404, 'NOT_FOUND', 'No WebSocket here');
      // Browsers always send Origin on a WebSocket handshake; only this host's own page may connect.
      if (origin === undefined || !allowedOrigins.has(origin))
        return refuse(reply, 403, 'FORBIDDEN', 'WebSocket connections are accepted from this app only');
    } else if (!reading && origin !== undefined && !allowedOrigins.has(origin)) {
      return refuse(reply, 403, 'FORBIDDEN', 'Requests from other sites are refused');
    }
    const isPublic = reading && !isUpgrade(request) && (route === undefined || PUBLIC_ROUTES.has(route));
    if (!isPublic && !sameToken(bearer(request), token)) {
      log.warn('refused a request without the launch token', { route: route ?? null });
      return refuse(reply, 401, 'UNAUTHORIZED', 'Missing or wrong token');
    }
    void reply
      .header('content-security-policy', csp)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cross-origin-resource-policy', 'same-origin');
  });

  // An upgrade that was answered instead of upgraded (refused, or no such WebSocket route) must not
  // keep its socket: http.Server has handed it over and would never close it.
  app.addHook('onResponse', async (request) => {
    if (isUpgrade(request)) request.raw.socket.destroy();
  });

  await app.register(fastifyStatic, { root: options.rendererDir, wildcard: true, index: 'index.html' });

  app.get(EVENTS_ROUTE, { websocket: true }, (socket) => {
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
    if (!recording) return refuse(reply, 404, 'NOT_FOUND', 'No such recording');
    // One open, no symbolic link followed, checked on the open descriptor: what is sent is what was
    // checked, whatever happens to the path meanwhile.
    let opened;
    try {
      opened = await core.store.recordings.openFile(recording.relativePath);
    } catch (error) {
      if (!isAppError(error) || (error.code !== 'NOT_FOUND' && error.code !== 'FORBIDDEN')) throw error;
      log.warn('refused a recording file', { recordingId: recording.id, code: error.code });
      return refuse(reply, 404, 'NOT_FOUND', 'No such recording');
    }
    const { handle, size } = opened;
    const plan = planMediaResponse(
      request.headers.range,
      size,
      recording.mime.split(';')[0] ?? 'application/octet-stream',
    );
    void reply.code(plan.status).headers(plan.headers);
    if (request.method === 'HEAD' || !plan.range) {
      await handle.close();
      return reply.send();
    }
    return reply.send(handle.createReadStream({ start: plan.range.start, end: plan.range.end }));
  });

  app.setNotFoundHandler((request, reply) => {
    // Unknown paths under / are screens of the single-page app; anything else is a 404.
    if (request.method === 'GET' && !request.url.startsWith('/api/') && !request.url.startsWith('/media/'))
      return reply.sendFile('index.html');
    return refuse(reply, 404, 'NOT_FOUND', 'Not found');
  });

  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const { port } = app.server.address() as AddressInfo;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  allowedOrigins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  csp = contentSecurityPolicy(port);
  const origin = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  const close = async () => {
    // Requests in flight and WebSockets get CLOSE_GRACE_MS to finish, then their sockets go.
    const force = setTimeout(() => {
      for (const socket of sockets) socket.destroy();
    }, CLOSE_GRACE_MS);
    try {
      await app.close();
    } finally {
      clearTimeout(force);
      for (const socket of sockets) socket.destroy();
    }
  };
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    close: () => (closing ??= close()),
  };
}
