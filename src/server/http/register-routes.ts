/** Turns the route table into fastify routes; see route-spec.ts. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { authenticate } from './authenticate';
import { forbidden, invalidInput } from '../errors';
import type { AnyRouteSpec } from './route-spec';
import type { ServerDeps } from './server-deps';

function parseInput<T>(schema: z.ZodType<T> | undefined, value: unknown, what: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw invalidInput(`Invalid ${what}: ${where}${issue?.message ?? 'malformed'}`);
}

/** Remembered for the refusal log line. */
declare module 'fastify' {
  interface FastifyRequest {
    principalUserId?: string;
  }
}

export function registerRoutes(
  app: FastifyInstance,
  routes: readonly AnyRouteSpec[],
  deps: ServerDeps,
): void {
  const raw = routes.filter((spec) => spec.rawBody);
  for (const spec of routes) if (!spec.rawBody) registerRoute(app, spec, deps);
  if (raw.length === 0) return;
  // Raw-body routes get their own scope whose only content-type parser leaves the body unread.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    for (const spec of raw) registerRoute(scope, spec, deps);
  });
}

function registerRoute(app: FastifyInstance, spec: AnyRouteSpec, deps: ServerDeps): void {
  app.route({
    method: spec.method,
    url: spec.url,
    ...(spec.bodyLimit === undefined ? {} : { bodyLimit: spec.bodyLimit }),
    handler: async (request: FastifyRequest, reply) => {
      let principal = null;
      if (spec.auth !== 'none') {
        principal = await authenticate(request, spec.auth, deps);
        request.principalUserId = principal.user.id;
        if (spec.roles && !spec.roles.includes(principal.user.role))
          throw forbidden(
            `This needs the ${spec.roles.join(' or ')} role`,
            `role ${principal.user.role} on ${spec.method} ${spec.url}`,
          );
      }
      const params = parseInput(spec.params, request.params, 'path');
      const query = parseInput(spec.query, request.query, 'query string');
      const body = parseInput(spec.body, request.body, 'request body');
      reply.code(spec.response.status);
      const result = await spec.handler({
        body,
        params,
        query,
        principal,
        request,
        reply,
        deps,
        now: deps.now(),
      });
      // A handler that answered itself (a hijacked reply: tus) is done.
      if (reply.sent) return reply;
      if (spec.response.status === 204) return reply.send();
      return spec.response.schema ? spec.response.schema.parse(result) : result;
    },
  });
}
