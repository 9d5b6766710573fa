/**
 * `rehearse-app://app/…`: serves the built renderer folder to the window (instead of file://), with
 * the CSP as a response header. ./app-scheme.ts maps the URL to a file lexically; here the real
 * paths (symbolic links resolved) are compared once more before anything is read, so a link inside
 * the folder cannot point out of it. Also registers both privileged schemes (Electron allows one
 * registration).
 */
import { protocol } from 'electron';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { createLogger } from '../core/util/logger';
import { APP_SCHEME, appResponseHeaders, PRIVILEGED_SCHEMES, resolveAppRequest } from './app-scheme';
import { APP_CONTENT_SECURITY_POLICY } from './csp';
import { isInsideFolder } from './media-range';

const log = createLogger('app-protocol');

// The callback forms: Electron's asar support patches these for paths inside app.asar.
const realpath = promisify(fs.realpath);
const stat = promisify(fs.stat);
const readFile = promisify(fs.readFile);

/** Must run once, before `app` is ready: `rehearse-app` and `rehearse-media` together. */
export function registerPrivilegedSchemes(): void {
  protocol.registerSchemesAsPrivileged(
    PRIVILEGED_SCHEMES.map((s) => ({ ...s, privileges: { ...s.privileges } })),
  );
}

const refusal = (status: number, extra?: Record<string, string>) =>
  new Response(null, {
    status,
    headers: {
      'content-security-policy': APP_CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      ...extra,
    },
  });

/** Registers the handler on the default session; `rendererRoot` is out/renderer (inside app.asar). */
export function handleAppProtocol(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, { allow: 'GET, HEAD' });
    const target = resolveAppRequest(request.url, rendererRoot);
    if (!target.ok) {
      log.warn('refused a renderer URL', { url: request.url.slice(0, 200), status: target.status });
      return refusal(target.status);
    }
    try {
      const [realRoot, realFile] = await Promise.all([realpath(rendererRoot), realpath(target.file)]);
      if (!isInsideFolder(realRoot, realFile)) {
        log.warn('refused a renderer file outside the renderer folder', { url: request.url.slice(0, 200) });
        return refusal(403);
      }
      const info = await stat(realFile);
      if (!info.isFile()) return refusal(404);
      const headers = { ...appResponseHeaders(target.mime), 'content-length': String(info.size) };
      if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
      const body = await readFile(realFile);
      // Node's Buffer and the DOM lib's BodyInit are the same bytes at runtime, different types.
      return new Response(body as unknown as Uint8Array<ArrayBuffer>, { status: 200, headers });
    } catch {
      return refusal(404);
    }
  });
}
