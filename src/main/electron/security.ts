/**
 * Session- and app-wide hardening (Electron security checklist): the content security policy as a
 * response header, permissions (camera and microphone for our renderer only), no HID, serial, USB or
 * Bluetooth device, and no navigation of any frame away from our origin, no new windows and no
 * <webview> in any web contents. The decisions are pure functions in ./trust.ts.
 */
import { app, session, systemPreferences, type WebContents } from 'electron';
import { createLogger } from '../core/util/logger';
import { APP_CONTENT_SECURITY_POLICY } from './csp';
import { isDevicePermissionAllowed, isNavigationAllowed, isPermissionAllowed } from './trust';

const log = createLogger('security');

export interface SecurityContext {
  /** The URL the window loads (rehearse-app://app/index.html, or the dev server in development). */
  appUrl: string;
  /** Our window's web contents, if it is open. */
  window(): WebContents | undefined;
}

/** Call once, before `app` is ready: every renderer is sandboxed, whatever its webPreferences. */
export function enableSandboxEverywhere(): void {
  app.enableSandbox();
}

/** Call once the app is ready, before the window loads anything. */
export function applySecurityPolicy(context: SecurityContext): void {
  const ses = session.defaultSession;

  // rehearse-app: responses carry the policy already (./app-protocol.ts); this covers whatever else
  // the session loads (the dev server in development), replacing any policy a response brings.
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const name of Object.keys(headers))
      if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    headers['Content-Security-Policy'] = [APP_CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });

  const fromOurWindow = (contents: WebContents | null) =>
    contents !== null && contents === context.window() && !contents.isDestroyed();

  ses.setPermissionRequestHandler((contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    const allowed = isPermissionAllowed(
      {
        permission,
        requestingUrl: details.requestingUrl,
        fromOurWindow: fromOurWindow(contents),
        ...(mediaTypes === undefined ? {} : { mediaTypes }),
      },
      context.appUrl,
    );
    if (!allowed) {
      log.warn('denied a permission request', { permission, url: details.requestingUrl });
      callback(false);
      return;
    }
    // macOS asks the user once per app (the Info.plist usage strings come from electron-builder.yml).
    if (process.platform !== 'darwin') {
      callback(true);
      return;
    }
    const kinds = new Set(
      (mediaTypes ?? ['video', 'audio']).map((t) => (t === 'video' ? 'camera' : 'microphone')),
    );
    void Promise.all([...kinds].map((kind) => systemPreferences.askForMediaAccess(kind))).then(
      (granted) => callback(granted.every(Boolean)),
      () => callback(false),
    );
  });

  ses.setPermissionCheckHandler((contents, permission, requestingOrigin, details) => {
    // 'unknown' is what Chromium reports for checks not about one device (enumerateDevices labels).
    const mediaType = details.mediaType === 'unknown' ? undefined : details.mediaType;
    return isPermissionAllowed(
      {
        permission,
        requestingUrl: details.requestingUrl ?? requestingOrigin,
        fromOurWindow: fromOurWindow(contents),
        ...(mediaType === undefined ? {} : { mediaTypes: [mediaType] }),
      },
      context.appUrl,
    );
  });

  // WebHID, Web Serial, WebUSB, Web Bluetooth: no device for anyone. The pickers are answered with
  // "cancel" explicitly (preventDefault, no device id): left alone, Chromium may pick the first device.
  ses.setDevicePermissionHandler((details) => {
    const allowed = isDevicePermissionAllowed({ deviceType: details.deviceType, origin: details.origin });
    if (!allowed)
      log.warn('denied a device permission', { deviceType: details.deviceType, origin: details.origin });
    return allowed;
  });
  ses.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  ses.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  ses.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
  if (process.platform !== 'darwin')
    ses.setBluetoothPairingHandler((_details, callback) => callback({ confirmed: false }));

  // Every web contents, including any we did not create on purpose.
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      log.warn('blocked a new window', { url });
      return { action: 'deny' };
    });
    // will-frame-navigate covers the main frame and every subframe (will-navigate only the main
    // frame); will-redirect covers server redirects during a navigation. Reloads and loadURL from
    // main do not pass through here.
    const stayHome = (event: { preventDefault(): void; url: string; isMainFrame: boolean }) => {
      if (isNavigationAllowed({ url: event.url, isMainFrame: event.isMainFrame }, context.appUrl)) return;
      event.preventDefault();
      log.warn('blocked a navigation', { url: event.url, isMainFrame: event.isMainFrame });
    };
    contents.on('will-frame-navigate', stayHome);
    contents.on('will-redirect', stayHome);
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('select-bluetooth-device', (event, _devices, callback) => {
      event.preventDefault();
      callback('');
    });
  });
}
