/**
 * A real HTTP server on 127.0.0.1 (random port) serving generated model files, with switchable
 * misbehaviours, recording every request it gets.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour =
  /** Honours Range with 206 / 416 like a CDN. */
  | { kind: 'normal' }
  /** Always answers 200 with the whole file. */
  | { kind: 'ignore-range' }
  /** The first request gets `bytes` bytes and then the socket is destroyed; later ones are normal. */
  | { kind: 'cut-first'; bytes: number }
  /** Sends `bytes` bytes, then holds the response open until `release()` is called. */
  | { kind: 'hold'; bytes: number }
  /** Answers with an HTTP error. */
  | { kind: 'status'; status: number };

export interface RecordedRequest {
  path: string;
  range: string | undefined;
}

export interface FileSpec {
  data: Buffer;
  behaviour: Behaviour;
}

export interface ModelServer {
  url(path: string): string;
  requests: RecordedRequest[];
  /** Lets held responses finish. */
  release(): void;
  /** Resolves when a held response has sent its first bytes. */
  holding(): Promise<void>;
  close(): Promise<void>;
}

export function makeData(bytes: number): { data: Buffer; sha256: string } {
  const data = randomBytes(bytes);
  return { data, sha256: createHash('sha256').update(data).digest('hex') };
}

export async function startModelServer(files: Record<string, FileSpec>): Promise<ModelServer> {
  const requests: RecordedRequest[] = [];
  const seen = new Map<string, number>();
  const held: ServerResponse[] = [];
  let holdingResolve: (() => void) | undefined;
  const holdingPromise = new Promise<void>((resolve) => (holdingResolve = resolve));

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    requests.push({ path, range: req.headers.range });
    const count = (seen.get(path) ?? 0) + 1;
    seen.set(path, count);
    const spec = files[path];
    if (!spec) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const { data, behaviour } = spec;
    switch (behaviour.kind) {
      case 'status':
        res.writeHead(behaviour.status, { 'content-type': 'text/plain' }).end(`status ${behaviour.status}`);
        return;
      case 'ignore-range':
        res.writeHead(200, { 'content-length': data.length }).end(data);
        return;
      case 'cut-first':
        if (count === 1) {
          res.writeHead(200, { 'content-length': data.length });
          res.write(data.subarray(0, behaviour.bytes), () => res.socket?.destroy());
          return;
        }
        serveRange(req, res, data);
        return;
      case 'hold':
        res.writeHead(200, { 'content-length': data.length });
        held.push(res);
        res.write(data.subarray(0, behaviour.bytes), () => holdingResolve?.());
        res.on('close', () => held.splice(held.indexOf(res), 1));
        (res as ServerResponse & { rest?: Buffer }).rest = data.subarray(behaviour.bytes);
        return;
      case 'normal':
        serveRange(req, res, data);
        return;
    }
  };

  const server: Server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    release() {
      for (const res of [...held]) res.end((res as ServerResponse & { rest?: Buffer }).rest);
    },
    holding: () => holdingPromise,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function serveRange(req: IncomingMessage, res: ServerResponse, data: Buffer): void {
  const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (!match) {
    res.writeHead(200, { 'content-length': data.length, 'accept-ranges': 'bytes' }).end(data);
    return;
  }
  const start = Number(match[1]);
  if (start >= data.length) {
    res.writeHead(416, { 'content-range': `bytes */${data.length}` }).end();
    return;
  }
  res
    .writeHead(206, {
      'content-length': data.length - start,
      'content-range': `bytes ${start}-${data.length - 1}/${data.length}`,
      'accept-ranges': 'bytes',
    })
    .end(data.subarray(start));
}
