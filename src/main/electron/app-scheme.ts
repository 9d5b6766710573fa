/**
 * The pure parts of `rehearse-app://app/…`, the origin the Electron window loads the renderer from
 * instead of file:// (Electron security checklist §18; the handler is ./app-protocol.ts): the
 * privileged-scheme registration of both our schemes, the URL → file mapping that cannot leave the
 * built renderer folder, content types and response headers. No Electron import; unit-tested in
 * tests/unit/main/electron/app-scheme.test.ts.
 */
import path from 'node:path';
import { APP_CONTENT_SECURITY_POLICY } from './csp';
import { isInsideFolder, MEDIA_SCHEME } from './media-range';

export const APP_SCHEME = 'rehearse-app';
export const APP_HOST = 'app';
/** What the window loads. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Electron's `CustomScheme`, restated so that this file needs no Electron import. */
export interface PrivilegedScheme {
  scheme: string;
  privileges: {
    standard?: boolean;
    secure?: boolean;
    bypassCSP?: boolean;
    allowServiceWorkers?: boolean;
    supportFetchAPI?: boolean;
    corsEnabled?: boolean;
    stream?: boolean;
    codeCache?: boolean;
  };
}

/**
 * Both schemes, for the one `protocol.registerSchemesAsPrivileged` call Electron allows (before
 * `ready`). Neither bypasses CSP or may register service workers.
 */
export const PRIVILEGED_SCHEMES: readonly PrivilegedScheme[] = [
  {
    scheme: APP_SCHEME,
    // standard: a real origin (rehearse-app://app) for 'self', localStorage and relative URLs;
    // secure: a secure context (getUserMedia needs one); supportFetchAPI: module scripts and
    // fetch() of our own assets; codeCache: V8 caches the bundle like an http origin's.
    privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
  },
  {
    scheme: MEDIA_SCHEME,
    // stream: media elements read the body progressively and seek with Range requests.
    privileges: { standard: true, secure: true, stream: true, supportFetchAPI: false },
  },
];

type PathApi = Pick<typeof path, 'join' | 'relative' | 'isAbsolute' | 'resolve' | 'sep'>;

export type AppRequestTarget =
  { ok: true; file: string; mime: string } | { ok: false; status: 400 | 403 | 404 };

/** Characters no path segment of ours contains: separators of any OS, NUL, drive or stream colons. */
const FORBIDDEN_IN_SEGMENT = /[/\\\0:]/;

/**
 * The file under `rendererRoot` that `url` names, or the status to refuse it with. Only
 * `rehearse-app://app/<path>` is ours (`/` is index.html; query and fragment are ignored). Each
 * percent-decoded segment must be a plain name: `.`, `..`, empty segments and segments that decode
 * to a separator (`%2F`, `%5C`), NUL or a colon are refused, and the joined path must still lie
 * inside the folder. This is a lexical check; the handler also compares real paths (symbolic
 * links) before opening the file.
 */
export function resolveAppRequest(url: string, rendererRoot: string, api: PathApi = path): AppRequestTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, status: 404 };
  }
  if (
    parsed.protocol !== `${APP_SCHEME}:` ||
    parsed.hostname.toLowerCase() !== APP_HOST ||
    parsed.port !== '' ||
    parsed.username !== '' ||
    parsed.password !== ''
  )
    return { ok: false, status: 404 };

  const raw = parsed.pathname === '' || parsed.pathname === '/' ? '/index.html' : parsed.pathname;
  const segments: string[] = [];
  for (const encoded of raw.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(encoded);
    } catch {
      return { ok: false, status: 400 };
    }
    if (segment === '' || segment === '.' || segment === '..' || FORBIDDEN_IN_SEGMENT.test(segment))
      return { ok: false, status: 403 };
    segments.push(segment);
  }
  const file = api.join(rendererRoot, ...segments);
  if (!isInsideFolder(rendererRoot, file, api)) return { ok: false, status: 403 };
  return { ok: true, file, mime: mimeTypeFor(file) };
}

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.webm': 'video/webm',
  '.mp4': 'video/mp4',
};

/** The Content-Type for a file of the renderer bundle (by extension; unknown ones are opaque bytes). */
export function mimeTypeFor(file: string): string {
  const dot = file.lastIndexOf('.');
  const ext = dot > Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) ? file.slice(dot) : '';
  return MIME_TYPES[ext.toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Headers of every `rehearse-app:` response. The CSP goes with every response, not only HTML: a
 * header is how a policy reaches the document (file:// pages could carry only the meta tag).
 */
export function appResponseHeaders(mime: string): Record<string, string> {
  return {
    'content-type': mime,
    'content-security-policy': APP_CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'no-cache',
  };
}
