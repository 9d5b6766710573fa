/**
 * Cross-site request forgery guard for cookie-authenticated writes, beside SameSite=Strict: a
 * request other than GET, HEAD or OPTIONS that carries the session cookie must come from the
 * server's own origin, as its `Origin` header says (or, without one, its `Referer`). The own origin
 * is PUBLIC_URL's when configured, otherwise any http(s) origin whose host is the request's Host.
 *
 * Browsers send `Origin` with every request whose method is not GET or HEAD, so a request with
 * neither header is not a browser's cross-site write (the CLI, tests) and passes; `Origin: null`
 * (a sandboxed frame, a data: URL) is refused. Device-token requests carry no cookie and are not
 * checked.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { readCookie, SESSION_COOKIE } from '../auth/session-cookie';
import { forbidden } from '../errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The claimed source origin: Origin, else Referer's origin ('null' when unparsable), else undefined. */
function sourceOrigin(request: FastifyRequest): string | undefined {
  const origin = single(request.headers.origin);
  if (origin !== undefined) return origin.trim();
  const referer = single(request.headers.referer);
  if (referer === undefined) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}

export function isOwnOrigin(
  origin: string,
  request: FastifyRequest,
  publicOrigin: string | undefined,
): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  // An origin is scheme, host and port only.
  if (url.origin === 'null' || url.username || url.password || url.pathname !== '/' || url.search || url.hash)
    return false;
  if (publicOrigin !== undefined) return url.origin === publicOrigin;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  try {
    // Through URL too, so that `Host: example.test:80` equals `Origin: http://example.test`.
    return new URL(`${url.protocol}//${request.host}`).host === url.host;
  } catch {
    return false;
  }
}

export function installOriginCheck(app: FastifyInstance, options: { publicUrl?: string } = {}): void {
  const publicOrigin = options.publicUrl === undefined ? undefined : new URL(options.publicUrl).origin;
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    if (readCookie(request.headers.cookie, SESSION_COOKIE) === undefined) return;
    const origin = sourceOrigin(request);
    if (origin === undefined) return;
    if (!isOwnOrigin(origin, request, publicOrigin))
      throw forbidden(
        'Cross-origin request refused: send it from the server’s own pages',
        `cookie-authenticated ${request.method} from origin ${origin.slice(0, 200)}`,
      );
  });
}
