import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkApiCall,
  isApiMethod,
  isAppUrl,
  isDevicePermissionAllowed,
  isNavigationAllowed,
  isPermissionAllowed,
  isTrustedSender,
} from '../../../../src/main/electron/trust';
import { APP_CONTENT_SECURITY_POLICY, RENDERER_META_CSP } from '../../../../src/main/electron/csp';

const app = 'rehearse-app://app/index.html';
const devApp = 'http://localhost:5173';

describe('isAppUrl', () => {
  it('accepts any page of our custom-scheme origin', () => {
    expect(isAppUrl(app, app)).toBe(true);
    expect(isAppUrl('rehearse-app://app/index.html#/review/a1', app)).toBe(true);
    expect(isAppUrl('rehearse-app://app/?x=1', app)).toBe(true);
    expect(isAppUrl('rehearse-app://APP/assets/index.js', app)).toBe(true);
    // permission checks carry only the origin
    expect(isAppUrl('rehearse-app://app', app)).toBe(true);
  });

  it('refuses file://, other hosts, schemes, ports, credentials and nonsense', () => {
    for (const url of [
      'file:///opt/Rehearse/resources/app.asar/out/renderer/index.html',
      'file://',
      'rehearse-app://evil/index.html',
      'rehearse-app://app:1/index.html',
      'rehearse-app://user@app/index.html',
      'rehearse-media://recording/x',
      'https://app/index.html',
      'https://example.com/',
      'about:blank',
      'not a url',
    ])
      expect(isAppUrl(url, app), url).toBe(false);
    expect(isAppUrl(app, 'javascript:alert(1)')).toBe(false);
    // a file:// app URL is no longer trusted at all
    const fileApp = 'file:///opt/Rehearse/resources/app.asar/out/renderer/index.html';
    expect(isAppUrl(fileApp, fileApp)).toBe(false);
  });

  it('in development accepts the dev server origin only', () => {
    expect(isAppUrl('http://localhost:5173/src/main.tsx', devApp)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', devApp)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', devApp)).toBe(false);
    expect(isAppUrl('https://localhost:5173/', devApp)).toBe(false);
    expect(isAppUrl(app, devApp)).toBe(false);
  });
});

describe('isNavigationAllowed', () => {
  it('lets the main frame stay on our origin only', () => {
    expect(isNavigationAllowed({ url: 'rehearse-app://app/index.html#/x', isMainFrame: true }, app)).toBe(
      true,
    );
    for (const url of [
      'https://example.com/',
      'file:///etc/passwd',
      'rehearse-media://recording/x',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
    ])
      expect(isNavigationAllowed({ url, isMainFrame: true }, app), url).toBe(false);
  });

  it('never lets a subframe navigate (the renderer has no frames; CSP forbids them too)', () => {
    for (const url of [app, 'https://example.com/', 'about:blank', 'about:srcdoc'])
      expect(isNavigationAllowed({ url, isMainFrame: false }, app), url).toBe(false);
  });
});

describe('isDevicePermissionAllowed', () => {
  it('refuses HID, serial and USB devices to every origin, ours included', () => {
    for (const deviceType of ['hid', 'serial', 'usb', 'bluetooth'])
      for (const origin of ['rehearse-app://app', 'https://example.com'])
        expect(isDevicePermissionAllowed({ deviceType, origin }), `${deviceType} ${origin}`).toBe(false);
  });
});

describe('isTrustedSender / checkApiCall', () => {
  const expected = { webContentsId: 7, appUrl: app };
  const ours = { webContentsId: 7, frameUrl: `${app}#/`, isTopFrame: true };

  it('trusts our window top frame showing our renderer', () => {
    expect(isTrustedSender(ours, expected)).toBe(true);
    expect(checkApiCall(ours, expected, 'attempts.list')).toBeUndefined();
  });

  it('refuses other web contents, subframes, foreign pages and a closed window', () => {
    const cases = [
      { ...ours, webContentsId: 8 },
      { ...ours, isTopFrame: false },
      { ...ours, frameUrl: 'https://example.com/' },
      { ...ours, frameUrl: 'file:///opt/Rehearse/resources/app.asar/out/renderer/index.html' },
      { ...ours, frameUrl: undefined },
    ];
    for (const sender of cases) {
      expect(isTrustedSender(sender, expected), JSON.stringify(sender)).toBe(false);
      expect(checkApiCall(sender, expected, 'app.info')?.code).toBe('FORBIDDEN');
    }
    expect(isTrustedSender(ours, { webContentsId: undefined, appUrl: app })).toBe(false);
  });

  it('refuses unknown methods from a trusted sender', () => {
    for (const method of ['nope.run', '__proto__', 'hasOwnProperty', 42, undefined]) {
      expect(isApiMethod(method)).toBe(false);
      expect(checkApiCall(ours, expected, method)?.code).toBe('INVALID_INPUT');
    }
    expect(isApiMethod('capture.append')).toBe(true);
  });
});

describe('isPermissionAllowed', () => {
  const media = { permission: 'media', requestingUrl: `${app}#/rehearse`, fromOurWindow: true };

  it('allows camera and microphone for our renderer in our window', () => {
    expect(isPermissionAllowed(media, app)).toBe(true);
    expect(isPermissionAllowed({ ...media, mediaTypes: ['video', 'audio'] }, app)).toBe(true);
    // permission checks carry only the origin
    expect(isPermissionAllowed({ ...media, requestingUrl: 'rehearse-app://app' }, app)).toBe(true);
    expect(isPermissionAllowed({ ...media, requestingUrl: 'http://localhost:5173' }, devApp)).toBe(true);
  });

  it('denies every other permission, other windows, other pages and unknown media types', () => {
    for (const permission of [
      'geolocation',
      'notifications',
      'display-capture',
      'openExternal',
      'clipboard-read',
      'hid',
      'serial',
      'usb',
      'midiSysex',
      'fileSystem',
    ])
      expect(isPermissionAllowed({ ...media, permission }, app), permission).toBe(false);
    expect(isPermissionAllowed({ ...media, fromOurWindow: false }, app)).toBe(false);
    expect(isPermissionAllowed({ ...media, requestingUrl: 'https://example.com/' }, app)).toBe(false);
    expect(isPermissionAllowed({ ...media, requestingUrl: undefined }, app)).toBe(false);
    // the old file:// renderer's opaque origin is no longer ours
    for (const requestingUrl of ['file:///', 'file://', 'null'])
      expect(isPermissionAllowed({ ...media, requestingUrl }, app), requestingUrl).toBe(false);
    expect(isPermissionAllowed({ ...media, mediaTypes: ['video', 'screen'] }, app)).toBe(false);
  });
});

/** `directive -> sources` of a policy string. */
const directives = (policy: string) =>
  new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );

describe('content security policies', () => {
  const html = readFileSync(path.resolve(__dirname, '../../../../src/renderer/index.html'), 'utf8');
  const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];

  it('the meta tag of src/renderer/index.html is RENDERER_META_CSP', () => {
    expect(meta).toBe(RENDERER_META_CSP);
  });

  it('has no unsafe sources, no inline styles and no WebSocket wildcard', () => {
    for (const policy of [RENDERER_META_CSP, APP_CONTENT_SECURITY_POLICY]) {
      expect(policy).not.toMatch(/unsafe-|\*/);
      const d = directives(policy);
      expect(d.get('default-src')).toEqual(["'none'"]);
      expect(d.get('script-src')).toEqual(["'self'"]);
      expect(d.get('style-src')).toEqual(["'self'"]);
      expect(d.get('connect-src')).toEqual(["'self'"]);
      expect(d.get('object-src')).toEqual(["'none'"]);
      expect(d.get('base-uri')).toEqual(["'none'"]);
      expect(d.get('media-src')).toContain('rehearse-media:');
    }
  });

  it('the header adds only what a meta tag cannot carry, and narrows nothing the meta allows', () => {
    // Both policies apply at once (each must allow a load), so the header repeats the meta tag's
    // directives word for word and adds frame-ancestors, which Chromium ignores in a <meta>.
    const m = directives(RENDERER_META_CSP);
    const h = directives(APP_CONTENT_SECURITY_POLICY);
    expect(m.has('frame-ancestors')).toBe(false);
    expect(h.get('frame-ancestors')).toEqual(["'none'"]);
    for (const [name, sources] of m) expect(h.get(name), name).toEqual(sources);
    expect([...h.keys()].filter((name) => !m.has(name))).toEqual(['frame-ancestors']);
  });
});
