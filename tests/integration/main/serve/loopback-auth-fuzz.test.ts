/**
 * Every spelling of a protected path that a router, a proxy or a browser might treat as `/api/…` or
 * `/media/…` is refused without the launch token; the canonical paths still work with it.
 * Variants are generated, so a new encoding trick is one line here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  rawRequest,
  SHELL_HTML,
  startServeFixture,
  upgradeHeaders,
  type RawResponse,
  type ServeFixture,
} from './helpers';

let fx: ServeFixture;
let hostHeader: string;

beforeAll(async () => {
  fx = await startServeFixture();
  hostHeader = `127.0.0.1:${fx.host.port}`;
});
afterAll(async () => {
  await fx.close();
});

const hex = (c: string, upper: boolean) => {
  const h = c.charCodeAt(0).toString(16);
  return `%${upper ? h.toUpperCase() : h}`;
};

/** Spellings of the segment `name` (e.g. "api"): each letter percent-encoded, double-encoded, cased. */
function segmentVariants(name: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    for (const upper of [false, true]) out.add(name.slice(0, i) + hex(c, upper) + name.slice(i + 1));
    out.add(`${name.slice(0, i)}%25${c.charCodeAt(0).toString(16)}${name.slice(i + 1)}`);
  }
  out.add([...name].map((c) => hex(c, false)).join(''));
  out.add([...name].map((c) => `%25${c.charCodeAt(0).toString(16)}`).join(''));
  out.add(name.toUpperCase());
  out.add(name[0]!.toUpperCase() + name.slice(1));
  out.add([...name].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join(''));
  return [...out];
}

/** Request targets that may reach `/<name>/<rest>` once decoded or normalised. */
function pathVariants(name: string, rest: string, port: number): string[] {
  const out = new Set<string>();
  for (const seg of segmentVariants(name)) out.add(`/${seg}/${rest}`);
  for (const seg of segmentVariants(rest.split('?')[0]!.slice(0, 3)))
    out.add(`/${name}/${seg}${rest.slice(3)}`);
  const canonical = `/${name}/${rest}`;
  out.add(`/${name}%2f${rest}`);
  out.add(`/${name}%2F${rest}`);
  out.add(`%2f${name}/${rest}`);
  out.add(`/%2f${name}/${rest}`);
  out.add(`/x/../${name}/${rest}`);
  out.add(`/x/%2e%2e/${name}/${rest}`);
  out.add(`/./${name}/${rest}`);
  out.add(`/%2e/${name}/${rest}`);
  out.add(`/${name}/./${rest}`);
  out.add(`/${name}/x/../${rest}`);
  out.add(`/${name}/../${name}/${rest}`);
  out.add(`//${name}/${rest}`);
  out.add(`///${name}/${rest}`);
  out.add(`/${name}//${rest}`);
  out.add(`\\${name}/${rest}`);
  out.add(`/${name}\\${rest}`);
  out.add(`/\\${name}/${rest}`);
  out.add(`/%5c${name}/${rest}`);
  out.add(`${canonical}?`);
  out.add(`${canonical}#`);
  out.add(`${canonical}?token=`);
  out.add(`${canonical}#token=x`);
  out.add(`${canonical}/`);
  out.add(`${canonical};`);
  out.add(`${canonical}%00`);
  for (const authority of [`127.0.0.1:${port}`, `localhost:${port}`, 'evil.example', `evil.example:${port}`])
    for (const scheme of ['http', 'HTTP', 'ws']) out.add(`${scheme}://${authority}${canonical}`);
  out.add(`http://127.0.0.1:${port}//${name}/${rest}`);
  out.add(`http://127.0.0.1:${port}/%61${name.slice(1)}/${rest}`);
  out.add(`*`);
  out.add(`${name}/${rest}`);
  out.add(canonical);
  return [...out];
}

/** A refusal: 4xx, and nothing from the API, the recording or the WebSocket came back. */
function expectRefused(what: string, response: RawResponse) {
  const text = response.body.toString('latin1');
  const isShell = response.status === 200 && text === SHELL_HTML;
  expect(isShell || [400, 401, 403, 404, 405].includes(response.status), `${what} → ${response.status}`).toBe(
    true,
  );
  expect(text, what).not.toContain('"ok":true');
  expect(response.body.includes(fx.recordingBytes.subarray(0, 64)), what).toBe(false);
}

describe('the loopback host without the launch token', () => {
  it('refuses every spelling of POST /api/<method>', async () => {
    const variants = [
      ...pathVariants('api', 'app.info', fx.host.port),
      ...pathVariants('api', 'practice.deleteAll', fx.host.port),
      ...pathVariants('api', 'sync.unpair', fx.host.port),
    ];
    expect(variants.length).toBeGreaterThan(100);
    for (const target of variants) {
      const body = '{}';
      const response = await rawRequest(
        fx.host.port,
        `POST ${target} HTTP/1.1\r\nHost: ${hostHeader}\r\nContent-Type: application/json`,
        body,
      );
      expectRefused(`POST ${target}`, response);
      expect(response.status, `POST ${target}`).not.toBe(200);
    }
    // Nothing was deleted or unpaired meanwhile.
    expect(await fx.core.store.recordings.get(fx.recordingId)).toBeDefined();
  });

  it('refuses every spelling of GET and HEAD /media/<recording>', async () => {
    const variants = pathVariants('media', fx.recordingId, fx.host.port);
    for (const target of variants)
      for (const method of ['GET', 'HEAD']) {
        const response = await rawRequest(
          fx.host.port,
          `${method} ${target} HTTP/1.1\r\nHost: ${hostHeader}`,
        );
        expectRefused(`${method} ${target}`, response);
        expect(response.headers['content-type'] ?? '', `${method} ${target}`).not.toContain('video');
      }
  });

  it('refuses a WebSocket upgrade to every spelling of /api/events, from any origin', async () => {
    const variants = pathVariants('api', 'events', fx.host.port);
    for (const target of variants)
      for (const origin of [undefined, fx.host.origin, 'http://evil.example', 'null']) {
        const response = await rawRequest(
          fx.host.port,
          `GET ${target} HTTP/1.1\r\n${upgradeHeaders(hostHeader, origin)}`,
        );
        expect(response.status, `upgrade ${target} from ${origin}`).not.toBe(101);
        expectRefused(`upgrade ${target} from ${origin}`, response);
      }
  });
});

describe('the loopback host with the launch token', () => {
  const auth = () => `Authorization: Bearer ${fx.host.token}`;

  it('answers the canonical API path', async () => {
    const response = await rawRequest(
      fx.host.port,
      `POST /api/app.info HTTP/1.1\r\nHost: ${hostHeader}\r\n${auth()}\r\nContent-Type: application/json`,
      '{}',
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString())).toMatchObject({
      ok: true,
      value: { transport: 'loopback' },
    });
  });

  it('serves the recording at the canonical media path (header or ?token=)', async () => {
    for (const [target, header] of [
      [`/media/${fx.recordingId}`, `\r\n${auth()}`],
      [`/media/${fx.recordingId}?token=${fx.host.token}`, ''],
    ] as const) {
      const response = await rawRequest(
        fx.host.port,
        `GET ${target} HTTP/1.1\r\nHost: ${hostHeader}${header}`,
      );
      expect(response.status).toBe(200);
      expect(response.body.equals(fx.recordingBytes)).toBe(true);
    }
  });

  it('upgrades /api/events?token= from its own origin only', async () => {
    const ok = await rawRequest(
      fx.host.port,
      `GET /api/events?token=${fx.host.token} HTTP/1.1\r\n${upgradeHeaders(hostHeader, fx.host.origin)}`,
    );
    expect(ok.status).toBe(101);
    for (const origin of [undefined, 'http://evil.example', 'null', `http://127.0.0.1:${fx.host.port + 1}`]) {
      const refused = await rawRequest(
        fx.host.port,
        `GET /api/events?token=${fx.host.token} HTTP/1.1\r\n${upgradeHeaders(hostHeader, origin)}`,
      );
      expect(refused.status, `origin ${origin}`).toBe(403);
    }
  });

  it('refuses an API call made from another origin even with the token', async () => {
    const response = await rawRequest(
      fx.host.port,
      `POST /api/app.info HTTP/1.1\r\nHost: ${hostHeader}\r\n${auth()}\r\nOrigin: http://evil.example\r\nContent-Type: application/json`,
      '{}',
    );
    expect(response.status).toBe(403);
  });

  it('still checks the Host header', async () => {
    const response = await rawRequest(
      fx.host.port,
      `POST /api/app.info HTTP/1.1\r\nHost: evil.example:${fx.host.port}\r\n${auth()}\r\nContent-Type: application/json`,
      '{}',
    );
    expect(response.status).toBe(403);
  });

  it('limits connect-src to its own port', async () => {
    const response = await rawRequest(fx.host.port, `GET / HTTP/1.1\r\nHost: ${hostHeader}`);
    expect(response.status).toBe(200);
    const csp = response.headers['content-security-policy'] ?? '';
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${fx.host.port}`);
    expect(csp).not.toContain('ws://127.0.0.1:*');
  });
});
