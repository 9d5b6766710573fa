/**
 * The coaches' web workspace (src/workspace, built by `npm run build:workspace` into out/workspace),
 * served at /workspace/ with @fastify/static. Paths that are not files fall back to index.html so the
 * app's own routes (/workspace/submissions/:id) survive a reload; missing assets stay 404. Every
 * answer of this scope carries a strict Content-Security-Policy: the app loads only its own scripts,
 * styles and the recording, and talks only to this origin.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../errors';

export const WORKSPACE_PREFIX = '/workspace/';

export const WORKSPACE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** out/workspace next to the sources (the server runs from source through tsx); REHEARSE_WORKSPACE_DIR overrides. */
export function defaultWorkspaceDir(): string {
  return process.env.REHEARSE_WORKSPACE_DIR ?? path.resolve(import.meta.dirname, '../../../out/workspace');
}

export async function workspaceStatic(app: FastifyInstance, options: { root?: string } = {}): Promise<void> {
  const root = options.root ?? defaultWorkspaceDir();
  app.addHook('onSend', async (_request, reply) => {
    reply
      .header('content-security-policy', WORKSPACE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY')
      .header('cross-origin-opener-policy', 'same-origin');
  });
  app.get('/workspace', (_request, reply) => reply.redirect(WORKSPACE_PREFIX, 301));
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    // Not built: say so instead of a bare 404 (npm run build builds it).
    app.get(`${WORKSPACE_PREFIX}*`, async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The coach workspace is not built here: run `npm run build:workspace`.'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: WORKSPACE_PREFIX,
    // Routes for the files present at start; everything else reaches the fallback below.
    wildcard: false,
    index: false,
    setHeaders: (res, filePath) => {
      res.setHeader(
        'cache-control',
        filePath.includes(`${path.sep}assets${path.sep}`)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      );
    },
  });
  app.get(`${WORKSPACE_PREFIX}*`, async (request, reply) => {
    const rest = (request.params as { '*': string })['*'];
    // A missing script or style is a real 404, never the HTML page.
    if (rest.startsWith('assets/') || /\.[a-z0-9]+$/i.test(rest))
      throw notFound('No such file in the workspace', `no workspace file ${rest}`);
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
