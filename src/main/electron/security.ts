/**
 * Session- and app-wide hardening (Electron security checklist): the content security policy as a
 * response header, permissions (camera and microphone for our renderer only), and no navigation,
 * new windows or <webview> in any web contents. The decisions are pure functions in ./trust.ts.
 */
import { app, session, systemPreferences, type WebContents } from 'electron';
import { createLogger } from '../core/util/logger';
import { CONTENT_SECURITY_POLICY, isAppUrl, isPermissionAllowed } from './trust';

const log = createLogger('security');

export interface SecurityContext {
  /** The URL the window loads (file:// bundle, or the dev server in development). */
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

  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const name of Object.keys(headers))
      if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
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

  ses.setPermissionCheckHandler((contents, permission, requestingOrigin, details) =>
    isPermissionAllowed(
      {
        permission,
        requestingUrl: details.requestingUrl ?? requestingOrigin,
        fromOurWindow: fromOurWindow(contents),
      },
      context.appUrl,
    ),
  );

  // Every web contents, including any we did not create on purpose.
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      log.warn('blocked a new window', { url });
      return { action: 'deny' };
    });
    const stayHome = (event: { preventDefault(): void }, url: string) => {
      if (isAppUrl(url, context.appUrl)) return; // a reload of our own page
      event.preventDefault();
      log.warn('blocked a navigation', { url });
    };
    contents.on('will-navigate', (event) => stayHome(event, event.url));
    contents.on('will-redirect', (event) => stayHome(event, event.url));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
