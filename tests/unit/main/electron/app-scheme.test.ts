import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  appResponseHeaders,
  mimeTypeFor,
  PRIVILEGED_SCHEMES,
  resolveAppRequest,
} from '../../../../src/main/electron/app-scheme';
import { MEDIA_SCHEME } from '../../../../src/main/electron/media-range';
import { APP_CONTENT_SECURITY_POLICY } from '../../../../src/main/electron/csp';

const root = '/opt/Rehearse/resources/app.asar/out/renderer';

describe('PRIVILEGED_SCHEMES', () => {
  it('registers the renderer scheme as a standard, secure origin that can fetch, and never bypasses CSP', () => {
    const appScheme = PRIVILEGED_SCHEMES.find((s) => s.scheme === APP_SCHEME);
    expect(appScheme?.privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: true });
    expect(APP_ENTRY_URL).toBe('rehearse-app://app/index.html');
    for (const { scheme, privileges } of PRIVILEGED_SCHEMES) {
      expect(privileges.bypassCSP, scheme).not.toBe(true);
      expect(privileges.allowServiceWorkers, scheme).not.toBe(true);
    }
  });

  it('keeps the media scheme streaming (seekable <video>) in the same single registration', () => {
    const media = PRIVILEGED_SCHEMES.find((s) => s.scheme === MEDIA_SCHEME);
    expect(media?.privileges).toMatchObject({ standard: true, secure: true, stream: true });
    expect(new Set(PRIVILEGED_SCHEMES.map((s) => s.scheme)).size).toBe(PRIVILEGED_SCHEMES.length);
  });
});

describe('resolveAppRequest', () => {
  it('maps URLs of our origin to files inside the renderer folder', () => {
    expect(resolveAppRequest('rehearse-app://app/index.html', root)).toEqual({
      ok: true,
      file: `${root}/index.html`,
      mime: 'text/html; charset=utf-8',
    });
    expect(resolveAppRequest('rehearse-app://app/', root)).toMatchObject({
      ok: true,
      file: `${root}/index.html`,
    });
    expect(resolveAppRequest('rehearse-app://app', root)).toMatchObject({
      ok: true,
      file: `${root}/index.html`,
    });
    expect(resolveAppRequest('rehearse-app://APP/assets/index-abc.js?v=1#x', root)).toEqual({
      ok: true,
      file: `${root}/assets/index-abc.js`,
      mime: 'text/javascript; charset=utf-8',
    });
    expect(resolveAppRequest('rehearse-app://app/assets/a%20b.css', root)).toMatchObject({
      ok: true,
      file: `${root}/assets/a b.css`,
    });
  });

  it('resolves dot segments (plain or %2e) at the origin root, as the URL standard does, never above it', () => {
    // Chromium canonicalises the URL the same way before the handler sees it.
    for (const url of [
      'rehearse-app://app/../main/index.js',
      'rehearse-app://app/assets/../../main/index.js',
      'rehearse-app://app/%2e%2e/main/index.js',
      'rehearse-app://app/assets/%2E%2E/%2e%2E/%2e/main/index.js',
    ])
      expect(resolveAppRequest(url, root), url).toMatchObject({ ok: true, file: `${root}/main/index.js` });
  });

  it('refuses every way out of the folder: encoded slashes and dots, backslashes, NUL, drives, empty segments', () => {
    for (const url of [
      'rehearse-app://app/%2E%2E%2Fmain%2Findex.js',
      'rehearse-app://app/..%2f..%2f..%2fetc%2fpasswd',
      'rehearse-app://app/assets%2F..%2F..%2Fpackage.json',
      'rehearse-app://app/..%5c..%5cwindows%5cwin.ini',
      'rehearse-app://app/assets\\..\\..\\package.json',
      'rehearse-app://app/index.html%00.png',
      'rehearse-app://app/C:%5CWindows%5Cwin.ini',
      'rehearse-app://app/%2Fetc%2Fpasswd',
      'rehearse-app://app//etc/passwd',
      'rehearse-app://app/%E0%A4%A',
    ]) {
      const result = resolveAppRequest(url, root);
      expect(result.ok, url).toBe(false);
    }
  });

  it('refuses other schemes, hosts, ports and credentials', () => {
    for (const url of [
      'file:///opt/Rehearse/resources/app.asar/out/renderer/index.html',
      'https://app/index.html',
      'rehearse-media://recording/abc',
      'rehearse-app://evil/index.html',
      'rehearse-app://app:8080/index.html',
      'rehearse-app://user:pw@app/index.html',
      'not a url',
    ])
      expect(resolveAppRequest(url, root), url).toEqual({ ok: false, status: 404 });
  });

  it('on Windows joins with backslashes and stays inside the folder', () => {
    const winRoot = 'C:\\Program Files\\Rehearse\\resources\\app.asar\\out\\renderer';
    expect(resolveAppRequest('rehearse-app://app/assets/x.js', winRoot, path.win32)).toMatchObject({
      ok: true,
      file: `${winRoot}\\assets\\x.js`,
    });
    expect(resolveAppRequest('rehearse-app://app/..%5Cmain%5Cindex.js', winRoot, path.win32).ok).toBe(false);
    expect(resolveAppRequest('rehearse-app://app/D:/x.js', winRoot, path.win32).ok).toBe(false);
  });
});

describe('mimeTypeFor / appResponseHeaders', () => {
  it('names the types of what Vite emits, and nothing is sniffed', () => {
    expect(mimeTypeFor('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeFor('/x/a.CSS')).toBe('text/css; charset=utf-8');
    expect(mimeTypeFor('/x/a.mjs')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeFor('/x/a.svg')).toBe('image/svg+xml');
    expect(mimeTypeFor('/x/a.woff2')).toBe('font/woff2');
    expect(mimeTypeFor('/x/a.wasm')).toBe('application/wasm');
    expect(mimeTypeFor('/x/LICENSE')).toBe('application/octet-stream');
  });

  it('sends the strict CSP with every response', () => {
    const headers = appResponseHeaders('text/html; charset=utf-8');
    expect(headers['content-security-policy']).toBe(APP_CONTENT_SECURITY_POLICY);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
  });
});
