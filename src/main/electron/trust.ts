/**
 * Who the main process trusts, as pure functions (unit-tested in tests/unit/electron/trust.test.ts):
 * the IPC sender check, the permission decision and the content security policy. Electron's objects
 * are reduced to plain facts by the glue in src/main/electron/index.ts and security.ts.
 */
import { apiInputSchemas, type ApiMethod } from '../../shared/api/contract';
import type { SerializedError } from '../../shared/errors';

/**
 * The same policy as the <meta http-equiv="Content-Security-Policy"> in src/renderer/index.html
 * (a unit test keeps the two equal); main also sends it as a response header.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "media-src 'self' blob: rehearse-media:; connect-src 'self' ws://127.0.0.1:*; object-src 'none'; " +
  "base-uri 'none'; frame-ancestors 'none'";

const parse = (url: string): URL | undefined => {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
};

function decodedPath(url: URL): string | undefined {
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
}

/**
 * Whether `url` is our renderer. `appUrl` is what the window loads: the bundled
 * `file:///…/out/renderer/index.html` (exactly that file; query and fragment may differ) or, in
 * development only, the electron-vite dev server (same origin).
 */
export function isAppUrl(url: string, appUrl: string, platform: NodeJS.Platform = process.platform): boolean {
  const candidate = parse(url);
  const app = parse(appUrl);
  if (!candidate || !app) return false;
  if (app.protocol === 'file:') {
    if (candidate.protocol !== 'file:' || candidate.host !== app.host) return false;
    const a = decodedPath(candidate);
    const b = decodedPath(app);
    if (a === undefined || b === undefined) return false;
    return platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b;
  }
  if (app.protocol === 'http:' || app.protocol === 'https:') return candidate.origin === app.origin;
  return false;
}

/** What the IPC relay knows about the sender of a message. */
export interface SenderFacts {
  /** `event.sender.id` */
  webContentsId: number;
  /** `event.senderFrame?.url`; undefined when the frame is gone. */
  frameUrl: string | undefined;
  /** Whether `event.senderFrame` is the top frame (`parent === null`). */
  isTopFrame: boolean;
}

/** Only our window's top frame, showing our renderer, may talk to the core. */
export function isTrustedSender(
  sender: SenderFacts,
  expected: { webContentsId: number | undefined; appUrl: string },
  platform: NodeJS.Platform = process.platform,
): boolean {
  return (
    expected.webContentsId !== undefined &&
    sender.webContentsId === expected.webContentsId &&
    sender.isTopFrame &&
    sender.frameUrl !== undefined &&
    isAppUrl(sender.frameUrl, expected.appUrl, platform)
  );
}

export function isApiMethod(method: unknown): method is ApiMethod {
  return typeof method === 'string' && Object.hasOwn(apiInputSchemas, method);
}

/**
 * The relay's check before a call reaches the core: undefined when it may pass, else the error to
 * answer with. Inputs are validated with zod by the core's dispatcher (the one place every
 * transport goes through), not twice.
 */
export function checkApiCall(
  sender: SenderFacts,
  expected: { webContentsId: number | undefined; appUrl: string },
  method: unknown,
  platform: NodeJS.Platform = process.platform,
): SerializedError | undefined {
  if (!isTrustedSender(sender, expected, platform))
    return { code: 'FORBIDDEN', message: 'Calls are accepted from the Rehearse window only' };
  if (!isApiMethod(method))
    return {
      code: 'INVALID_INPUT',
      message: `Unknown API method "${typeof method === 'string' ? method.slice(0, 64) : typeof method}"`,
    };
  return undefined;
}

/** What a permission request or check is about. */
export interface PermissionFacts {
  permission: string;
  /** The requesting frame's URL (or origin, for checks that carry no URL). */
  requestingUrl: string | undefined;
  /** Whether the request comes from our window (its webContents). */
  fromOurWindow: boolean;
  /** For `media`: which devices (`video` = camera, `audio` = microphone). */
  mediaTypes?: readonly string[];
}

/**
 * Everything is refused except camera and microphone (`media`) for our own renderer in our own
 * window. Screen capture also arrives as `display-capture`, or as `media` with other media types in
 * older Chromium; neither is allowed.
 */
export function isPermissionAllowed(
  facts: PermissionFacts,
  appUrl: string,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (facts.permission !== 'media' || !facts.fromOurWindow || facts.requestingUrl === undefined) return false;
  if (facts.mediaTypes?.some((type) => type !== 'video' && type !== 'audio')) return false;
  return isAppUrl(facts.requestingUrl, appUrl, platform) || isFileOriginOfApp(facts.requestingUrl, appUrl);
}

/**
 * Permission checks sometimes carry only an origin. For the dev server isAppUrl already compares
 * origins; for a file:// renderer Chromium reports `file://` (an opaque origin that cannot be
 * narrowed further, which is why the caller also requires our window).
 */
function isFileOriginOfApp(origin: string, appUrl: string): boolean {
  return parse(appUrl)?.protocol === 'file:' && (origin === 'file://' || origin === 'file:///');
}
