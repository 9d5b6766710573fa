/**
 * Headers on every answer of the API (JSON, CSV, recordings, tus, errors): the browser must not
 * sniff a type (`nosniff`), and a response opened as a page runs nothing and may not be framed
 * (a CSP of `default-src 'none'; sandbox`), so a stored document can never execute on the server's
 * origin. The workspace's own pages replace the CSP with theirs (workspace-static.ts), which runs
 * after this hook.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';

export const API_CSP =
  "default-src 'none'; sandbox; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': API_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

/** For responses written outside fastify's reply (tus hijacks the reply). */
export function setSecurityHeaders(response: ServerResponse): void {
  for (const [name, value] of Object.entries(API_SECURITY_HEADERS)) response.setHeader(name, value);
}

export function installResponseHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply) => {
    reply.headers(API_SECURITY_HEADERS);
  });
}
