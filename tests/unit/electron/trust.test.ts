import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkApiCall,
  CONTENT_SECURITY_POLICY,
  isApiMethod,
  isAppUrl,
  isPermissionAllowed,
  isTrustedSender,
} from '../../../src/main/electron/trust';

const fileApp = pathToFileURL('/opt/Rehearse/resources/app.asar/out/renderer/index.html').href;
const devApp = 'http://localhost:5173';

describe('isAppUrl', () => {
  it('accepts exactly our bundled index.html, whatever the query or fragment', () => {
    expect(isAppUrl(fileApp, fileApp, 'linux')).toBe(true);
    expect(isAppUrl(`${fileApp}#/review/a1`, fileApp, 'linux')).toBe(true);
    expect(isAppUrl(`${fileApp}?x=1`, fileApp, 'linux')).toBe(true);
  });

  it('refuses other files, other schemes and nonsense', () => {
    expect(
      isAppUrl('file:///opt/Rehearse/resources/app.asar/out/renderer/other.html', fileApp, 'linux'),
    ).toBe(false);
    expect(isAppUrl('file:///etc/passwd', fileApp, 'linux')).toBe(false);
    expect(
      isAppUrl('file://evil-host/opt/Rehearse/resources/app.asar/out/renderer/index.html', fileApp, 'linux'),
    ).toBe(false);
    expect(isAppUrl('https://example.com/', fileApp, 'linux')).toBe(false);
    expect(isAppUrl('not a url', fileApp, 'linux')).toBe(false);
    expect(isAppUrl(fileApp, 'javascript:alert(1)', 'linux')).toBe(false);
  });

  it('compares Windows paths without case, others with case', () => {
    const winApp = 'file:///C:/Program%20Files/Rehearse/resources/app.asar/out/renderer/index.html';
    const lower = 'file:///c:/program%20files/rehearse/resources/app.asar/out/renderer/index.html';
    expect(isAppUrl(lower, winApp, 'win32')).toBe(true);
    expect(isAppUrl(lower, winApp, 'linux')).toBe(false);
  });

  it('in development accepts the dev server origin only', () => {
    expect(isAppUrl('http://localhost:5173/src/main.tsx', devApp)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', devApp)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', devApp)).toBe(false);
    expect(isAppUrl('https://localhost:5173/', devApp)).toBe(false);
  });
});

describe('isTrustedSender / checkApiCall', () => {
  const expected = { webContentsId: 7, appUrl: fileApp };
  const ours = { webContentsId: 7, frameUrl: `${fileApp}#/`, isTopFrame: true };

  it('trusts our window top frame showing our renderer', () => {
    expect(isTrustedSender(ours, expected, 'linux')).toBe(true);
    expect(checkApiCall(ours, expected, 'attempts.list', 'linux')).toBeUndefined();
  });

  it('refuses other web contents, subframes, foreign pages and a closed window', () => {
    const cases = [
      { ...ours, webContentsId: 8 },
      { ...ours, isTopFrame: false },
      { ...ours, frameUrl: 'https://example.com/' },
      { ...ours, frameUrl: undefined },
    ];
    for (const sender of cases) {
      expect(isTrustedSender(sender, expected, 'linux'), JSON.stringify(sender)).toBe(false);
      expect(checkApiCall(sender, expected, 'app.info', 'linux')?.code).toBe('FORBIDDEN');
    }
    expect(isTrustedSender(ours, { webContentsId: undefined, appUrl: fileApp }, 'linux')).toBe(false);
  });

  it('refuses unknown methods from a trusted sender', () => {
    for (const method of ['nope.run', '__proto__', 'hasOwnProperty', 42, undefined]) {
      expect(isApiMethod(method)).toBe(false);
      expect(checkApiCall(ours, expected, method, 'linux')?.code).toBe('INVALID_INPUT');
    }
    expect(isApiMethod('capture.append')).toBe(true);
  });
});

describe('isPermissionAllowed', () => {
  const media = { permission: 'media', requestingUrl: fileApp, fromOurWindow: true };

  it('allows camera and microphone for our renderer in our window', () => {
    expect(isPermissionAllowed(media, fileApp, 'linux')).toBe(true);
    expect(isPermissionAllowed({ ...media, mediaTypes: ['video', 'audio'] }, fileApp, 'linux')).toBe(true);
    // permission checks from a file:// page carry only its opaque origin
    expect(isPermissionAllowed({ ...media, requestingUrl: 'file:///' }, fileApp, 'linux')).toBe(true);
    expect(isPermissionAllowed({ ...media, requestingUrl: 'http://localhost:5173' }, devApp, 'linux')).toBe(
      true,
    );
  });

  it('denies every other permission, other windows, other pages and unknown media types', () => {
    for (const permission of [
      'geolocation',
      'notifications',
      'display-capture',
      'openExternal',
      'clipboard-read',
    ])
      expect(isPermissionAllowed({ ...media, permission }, fileApp, 'linux'), permission).toBe(false);
    expect(isPermissionAllowed({ ...media, fromOurWindow: false }, fileApp, 'linux')).toBe(false);
    expect(isPermissionAllowed({ ...media, requestingUrl: 'https://example.com/' }, fileApp, 'linux')).toBe(
      false,
    );
    expect(isPermissionAllowed({ ...media, requestingUrl: undefined }, fileApp, 'linux')).toBe(false);
    expect(isPermissionAllowed({ ...media, requestingUrl: 'file:///' }, devApp, 'linux')).toBe(false);
    expect(isPermissionAllowed({ ...media, mediaTypes: ['video', 'screen'] }, fileApp, 'linux')).toBe(false);
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  it('is the same policy as the meta tag in src/renderer/index.html', () => {
    const html = readFileSync(path.resolve(__dirname, '../../../src/renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain('media-src');
    expect(CONTENT_SECURITY_POLICY).toContain('rehearse-media:');
  });
});
