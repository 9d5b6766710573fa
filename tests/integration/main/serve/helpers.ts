/**
 * The loopback host of `rehearse serve` on a fresh data folder, with one stored recording, and raw
 * HTTP over `net` (fetch normalises URLs, so odd request targets need a socket of their own).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openCore, type Core } from '../../../../src/main/core/core';
import { createAttempt } from '../../../../src/main/core/db/repositories/attempts';
import { upsertProgramWithScenarios } from '../../../../src/main/core/db/repositories/programs';
import { startLoopbackHost, type LoopbackHost } from '../../../../src/main/serve/loopback-host';
import { samplePack } from '../core/store/fixtures/sample-pack';

/** The renderer the host serves: a stand-in index.html is all it needs. */
export const SHELL_HTML = '<!doctype html><html><body><div id="root"></div></body></html>';

export interface ServeFixture {
  core: Core;
  host: LoopbackHost;
  work: string;
  recordingId: string;
  /** The recording's bytes as stored. */
  recordingBytes: Buffer;
  close(): Promise<void>;
}

export async function startServeFixture(): Promise<ServeFixture> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-loopback-'));
  const rendererDir = path.join(work, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), SHELL_HTML);
  const core = await openCore({
    dataDir: path.join(work, 'data'),
    transport: 'loopback',
    demoPackPath: null,
  });
  await upsertProgramWithScenarios(core.store.db, { pack: samplePack(), packSha256: 'a'.repeat(64) });
  const attempt = await createAttempt(core.store.db, {
    programId: 'acme-cert',
    scenarioId: 'elevator-pitch',
    mode: 'practice',
  });
  const recordingBytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251));
  const recording = await core.store.recordings.save({
    attemptId: attempt.id,
    kind: 'video',
    mime: 'video/webm',
    data: recordingBytes,
  });
  const host = await startLoopbackHost({ core, rendererDir });
  return {
    core,
    host,
    work,
    recordingId: recording.id,
    recordingBytes,
    async close() {
      await host.close();
      await core.close();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Sends `head` (request line and headers, without the blank line) and `body` on a new socket, and
 * reads one response. Without `keep` the request says `Connection: close` (unless it is an upgrade),
 * so the response ends with the socket. With `keep` (or for an upgrade) the answer is read up to the
 * end of its headers and its Content-Length body; then `keep` gets the still open socket, which is
 * otherwise destroyed.
 */
export function rawRequest(
  port: number,
  head: string,
  body: Buffer | string = '',
  options: { keep?: (socket: net.Socket) => void } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (keepOpen: boolean) => {
      if (done) return;
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      if (end === -1) {
        done = true;
        socket.destroy();
        return reject(new Error(`no complete response to ${head.split('\r\n')[0]}: ${all.toString()}`));
      }
      const lines = all.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0] ?? '')?.[1]);
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      done = true;
      if (keepOpen && options.keep) options.keep(socket);
      else socket.destroy();
      resolve({ status, headers, body: all.subarray(end + 4) });
    };
    const upgrade = /^upgrade:/im.test(head);
    const framed = upgrade || options.keep !== undefined;
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (!framed) return;
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(all.subarray(0, end).toString('latin1'));
      if (!length || all.length - end - 4 >= Number(length[1])) finish(true);
    });
    socket.on('end', () => finish(false));
    socket.on('close', () => finish(false));
    socket.on('error', (error) => {
      if (!done) {
        done = true;
        reject(error);
      }
    });
    const payload = typeof body === 'string' ? Buffer.from(body) : body;
    const extra = framed ? '' : 'Connection: close\r\n';
    const length = payload.length > 0 ? `Content-Length: ${payload.length}\r\n` : '';
    socket.write(`${head}\r\n${extra}${length}\r\n`);
    if (payload.length > 0) socket.write(payload);
  });
}

/** The headers of a WebSocket handshake (RFC 6455 §4.1). */
export function upgradeHeaders(host: string, origin?: string): string {
  return [
    `Host: ${host}`,
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ...(origin ? [`Origin: ${origin}`] : []),
  ].join('\r\n');
}

/** Resolves when the server has closed `socket` (it ended or was destroyed). */
export function closedByServer(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed || socket.readableEnded) return resolve();
    socket.once('end', () => resolve());
    socket.once('close', () => resolve());
    socket.resume();
  });
}
