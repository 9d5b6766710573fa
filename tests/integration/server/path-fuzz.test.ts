/**
 * Path-normalisation fuzz: every protected route of the route table (and the tus endpoint), called
 * over a raw socket so the request-target reaches the server exactly as written: percent-encoded
 * and double-encoded letters, mixed case, encoded slashes, dot segments (plain and encoded),
 * duplicate slashes, trailing slashes and dots, path parameters, backslashes and absolute-form
 * targets. Anonymously and with partner A's cookie and device token against vendor B's resources,
 * no variant may succeed (2xx) where the canonical request with the same credentials does not, and
 * none may fail with a 5xx.
 */
import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serverRoutes } from '../../../src/server/app';
import {
  backends,
  openTestServer,
  recordingBytes,
  sampleManifest,
  seedWorld,
  send,
  type TestServer,
  tusCreationHeaders,
  unavailable,
  uploadPack,
  type World,
} from './harness';

interface Target {
  label: string;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body?: string;
}

/** Sends one request as raw bytes; the status code, or 0 when the server closed without answering. */
function rawStatus(port: number, target: Target, requestTarget: string, auth: Record<string, string>) {
  return new Promise<number>((resolve, reject) => {
    const body = target.body ?? '';
    const headers = {
      host: `127.0.0.1:${port}`,
      connection: 'close',
      ...target.headers,
      ...auth,
      ...(body
        ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }
        : {}),
    };
    const head = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('latin1');
    socket.on('connect', () =>
      socket.write(`${target.method} ${requestTarget} HTTP/1.1\r\n${head}\r\n${body}`),
    );
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0)));
  });
}

const hex = (c: string) => c.charCodeAt(0).toString(16).toUpperCase();

/** The request-targets that a lenient normaliser might route to the same handler as `path`. */
function pathVariants(path: string, port: number): string[] {
  const segments = path.split('/').slice(1);
  const [first = '', ...rest] = segments;
  const join = (parts: string[]) => `/${parts.join('/')}`;
  const encodeFirstLetter = (s: string, prefix: string) => s.replace(/[a-z]/i, (c) => `${prefix}${hex(c)}`);
  const variants = [
    join([encodeFirstLetter(first, '%'), ...rest]),
    join(segments.map((s) => encodeFirstLetter(s, '%'))),
    join(segments.map((s) => s.replace(/[a-z]/gi, (c) => `%${hex(c).toLowerCase()}`))),
    join(segments.map((s) => encodeFirstLetter(s, '%25'))),
    path.toUpperCase(),
    join(segments.map((s) => s.charAt(0).toUpperCase() + s.slice(1))),
    `/${segments.join('%2F')}`,
    `/${segments.join('%2f')}`,
    `/${first}%5C${rest.join('/')}`,
    `/${first}\\${rest.join('/')}`,
    join([first, '.', ...rest]),
    join([first, 'x', '..', ...rest]),
    join([first, '%2e', ...rest]),
    join([first, 'x', '%2e%2e', ...rest]),
    join([first, 'x', '%2E%2E', ...rest]),
    join(['x', '..', ...segments]),
    `/${segments.join('//')}`,
    `/${path}`,
    `${path}/`,
    `${path}/.`,
    `${path}//`,
    `${path};x=1`,
    `${path}%20`,
    `http://127.0.0.1:${port}${path}`,
    `http://evil.test${path}`,
    `//evil.test${path}`,
  ];
  return [...new Set(variants)].filter((v) => v !== path);
}

describe.each(backends)('path variants of protected routes (%s)', (backend) => {
  beforeEach((ctx) => {
    if (unavailable(backend))
      ctx.skip('no PostgreSQL here: set REHEARSE_TEST_DATABASE_URL (.ci/run starts one)');
  });
  let server: TestServer;
  let a: World;
  let b: World;
  let port: number;
  let bDeviceId: string;
  let bAwaitingId: string;
  let bSubmittedId: string;

  beforeAll(async () => {
    if (unavailable(backend)) return;
    server = await openTestServer(backend);
    a = await seedWorld(server, { letter: 'a' });
    b = await seedWorld(server, { letter: 'b' });
    await uploadPack(server, b);
    const awaiting = sampleManifest(b.programId, { recording: recordingBytes(2048) });
    const submitted = sampleManifest(b.programId);
    for (const manifest of [awaiting, submitted])
      expect(
        (await send(server.app, 'POST', '/api/submissions', b.partner.deviceToken, manifest)).statusCode,
      ).toBe(201);
    bAwaitingId = awaiting.id;
    bSubmittedId = submitted.id;
    bDeviceId = (await send(server.app, 'GET', '/api/devices', b.partner.deviceToken)).json().devices[0].id;
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    port = (server.app.server.address() as net.AddressInfo).port;
  });
  afterAll(() => server?.close());

  it('gives no variant a success the canonical request does not get, and no variant a 5xx', async () => {
    const targets: Target[] = serverRoutes
      .filter((route) => route.auth !== 'none')
      // Signing out with A's cookie would end the session the other calls use; its variants are
      // still tried anonymously below.
      .map((route) => ({
        label: `${route.method} ${route.url}`,
        method: route.method,
        path: route.url
          .replace(':programId', b.programId)
          .replace(':orgId', b.partnerOrgId)
          .replace(':userId', b.coach.id)
          .replace(':deviceId', bDeviceId)
          .replace(':submissionId', bSubmittedId)
          .replace(':webhookId', 'webhook-of-b'),
        query: route.url.endsWith('.csv') ? '?table=scenarios' : '',
        headers: {},
        ...(route.method === 'POST' || route.method === 'PUT' ? { body: '{}' } : {}),
      }));
    targets.push({
      label: 'tus creation for B’s submission',
      method: 'POST',
      path: '/api/uploads/',
      query: '',
      headers: tusCreationHeaders(bAwaitingId, 2048),
    });
    const credentials: [string, Record<string, string>][] = [
      ['anonymous', {}],
      ['partner A cookie', { cookie: a.partner.cookie }],
      ['partner A device', { authorization: `Bearer ${a.partner.deviceToken}` }],
    ];
    const findings: string[] = [];
    let requests = 0;
    for (const [who, auth] of credentials)
      for (const target of targets) {
        if (who !== 'anonymous' && target.label === 'POST /api/auth/logout') continue;
        const canonical = await rawStatus(port, target, target.path + target.query, auth);
        requests++;
        if (who === 'anonymous' && canonical !== 401)
          findings.push(`${who} ${target.label}: canonical ${canonical}`);
        for (const variant of pathVariants(target.path, port)) {
          const status = await rawStatus(port, target, variant + target.query, auth);
          requests++;
          const succeeded = status >= 200 && status < 300;
          if ((succeeded && !(canonical >= 200 && canonical < 300)) || status >= 500)
            findings.push(`${who} ${target.method} ${variant}: ${status} (canonical ${canonical})`);
        }
      }
    expect(findings).toEqual([]);
    expect(requests).toBeGreaterThan(targets.length * credentials.length * 20);
  });
});
