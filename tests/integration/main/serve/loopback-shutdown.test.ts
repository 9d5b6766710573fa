/**
 * The loopback host lets go of its sockets: a refused WebSocket upgrade is closed at once (it used
 * to stay in CLOSE_WAIT for ever), and close() ends every connection, WebSockets and keep-alive
 * HTTP included, instead of waiting for the browser to hang up.
 */
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closedByServer, rawRequest, startServeFixture, upgradeHeaders, type ServeFixture } from './helpers';

let fx: ServeFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

/** A bound far above the 1 s grace close() gives, so a busy machine does not fail the test. */
const GENEROUS_MS = 10_000;

describe('loopback host sockets', () => {
  it('closes every refused WebSocket upgrade (300 without the token, from a foreign origin, to no route)', async () => {
    fx = await startServeFixture();
    const { port, origin } = fx.host;
    const host = `127.0.0.1:${port}`;
    const attempts = [
      `GET /api/events HTTP/1.1\r\n${upgradeHeaders(host, origin)}`,
      `GET /api/events?token=${fx.host.token} HTTP/1.1\r\n${upgradeHeaders(host, 'http://evil.example')}`,
      `GET /api/app.info?token=${fx.host.token} HTTP/1.1\r\n${upgradeHeaders(host, origin)}`,
    ];
    for (let batch = 0; batch < 6; batch++) {
      const kept: Array<Promise<void>> = [];
      await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const response = await rawRequest(port, attempts[i % attempts.length]!, '', {
            keep: (socket) => kept.push(closedByServer(socket)),
          });
          expect(response.status).not.toBe(101);
        }),
      );
      expect(kept).toHaveLength(50);
      await Promise.all(kept); // each one closed by the server, none left half-open
    }
  });

  it('close() ends an open WebSocket and a keep-alive connection promptly', async () => {
    fx = await startServeFixture();
    const { port, origin, token } = fx.host;
    const host = `127.0.0.1:${port}`;
    let ws: net.Socket | undefined;
    let http: net.Socket | undefined;
    const upgraded = await rawRequest(
      port,
      `GET /api/events?token=${token} HTTP/1.1\r\n${upgradeHeaders(host, origin)}`,
      '',
      {
        keep: (socket) => (ws = socket),
      },
    );
    expect(upgraded.status).toBe(101);
    const page = await rawRequest(port, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive`, '', {
      keep: (socket) => (http = socket),
    });
    expect(page.status).toBe(200);
    // This client never answers the close frame, like a stalled or suspended browser tab.
    const wsClosed = closedByServer(ws!);
    const httpClosed = closedByServer(http!);

    const started = Date.now();
    await fx.host.close();
    await Promise.all([wsClosed, httpClosed]);
    expect(Date.now() - started).toBeLessThan(GENEROUS_MS);
  });
});
