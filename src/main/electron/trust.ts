/**
 * Who the main process trusts, as pure functions (unit-tested in tests/unit/main/electron/trust.test.ts):
 * the IPC sender check and the navigation, permission and device decisions (the content security
 * policies are in ./csp.ts). Electron's objects are reduced to plain facts by the glue in src/main/electron/index.ts and security.ts.
 */
import { apiInputSchemas, type ApiMethod } from '../../shared/api/contract';
import type { SerializedError } from '../../shared/errors';
import { APP_HOST, APP_SCHEME } from './app-scheme';

const parse = (url: string): URL | undefined => {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
};

/**
 * Whether `url` belongs to our renderer. `appUrl` is what the window loads: the bundled renderer on
 * the custom origin `rehearse-app://app` (any path: the protocol handler serves nothing but the
 * renderer folder), or, in development only, the electron-vite dev server (same origin). Anything
 * else — file:// included — is not ours.
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  const candidate = parse(url);
  const app = parse(appUrl);
  if (!candidate || !app || candidate.username || candidate.password) return false;
  if (app.protocol === `${APP_SCHEME}:`)
    return (
      candidate.protocol === app.protocol &&
      candidate.port === '' &&
      candidate.hostname.toLowerCase() === APP_HOST &&
      app.hostname.toLowerCase() === APP_HOST
    );
  if (app.protocol === 'http:' || app.protocol === 'https:') return candidate.origin === app.origin;
  return false;
}

/** A navigation as `will-frame-navigate` / `will-redirect` report it. */
export interface NavigationFacts {
  url: string;
  isMainFrame: boolean;
}

/**
 * Only the main frame may navigate, and only within our origin (a reload, or the hash routes). The
 * renderer has no frames (CSP: default-src 'none' covers frame-src), so no subframe navigates at all.
 */
export function isNavigationAllowed(facts: NavigationFacts, appUrl: string): boolean {
  return facts.isMainFrame && isAppUrl(facts.url, appUrl);
}

/**
 * WebHID, Web Serial and WebUSB (and Web Bluetooth, chosen through the same kind of picker): the
 * app uses none of them, so no origin, ours included, gets a device.
 */
export function isDevicePermissionAllowed(_facts: { deviceType: string; origin: string }): boolean {
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
): boolean {
  return (
    expected.webContentsId !== undefined &&
    sender.webContentsId === expected.webContentsId &&
    sender.isTopFrame &&
    sender.frameUrl !== undefined &&
    isAppUrl(sender.frameUrl, expected.appUrl)
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
): SerializedError | undefined {
  if (!isTrustedSender(sender, expected))
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
 * older Chromium; neither is allowed. HID, serial and USB checks (`hid`, `serial`, `usb`) are refused
 * here as well as in isDevicePermissionAllowed.
 */
export function isPermissionAllowed(facts: PermissionFacts, appUrl: string): boolean {
  if (facts.permission !== 'media' || !facts.fromOurWindow || facts.requestingUrl === undefined) return false;
  if (facts.mediaTypes?.some((type) => type !== 'video' && type !== 'audio')) return false;
  return isAppUrl(facts.requestingUrl, appUrl);
}
