/**
 * One table of routes is the single source of truth: `registerRoutes` turns each entry into a
 * fastify route (authentication, role check, zod validation of params and body, the response
 * parsed through its schema so no stray column leaks), and `buildOpenApiDocument` describes the
 * same entries. A route cannot exist without its description, nor the other way round.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { UserRole } from '../db/schema';
import type { Principal } from '../identity/principal';
import type { ServerDeps } from './server-deps';

/**
 * none: public; session: web sign-in only; session-or-device: also a paired device's token;
 * device: a paired device's token only (what the desktop app sends submissions with).
 */
export type AuthMode = 'none' | 'session' | 'session-or-device' | 'device';

export interface RouteContext<B, P, A extends AuthMode, Q = unknown> {
  body: B;
  params: P;
  query: Q;
  principal: A extends 'none' ? null : Principal;
  request: FastifyRequest;
  reply: FastifyReply;
  deps: ServerDeps;
  now: Date;
}

export interface RouteSpec<
  B = unknown,
  P = unknown,
  R = unknown,
  A extends AuthMode = AuthMode,
  Q = unknown,
> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';
  /** fastify syntax: /api/devices/:deviceId */
  url: string;
  summary: string;
  tag: string;
  auth: A;
  /** Roles allowed (after authentication); all roles when omitted. */
  roles?: readonly UserRole[];
  params?: z.ZodType<P>;
  /** The query string's parameters (all strings on the wire). */
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /**
   * The body is left unread for the handler (the tus upload routes, whose bytes @tus/server
   * streams itself); `contentType` is what the OpenAPI document says it is.
   */
  rawBody?: { contentType?: string };
  /** Overrides the server-wide 64 KiB body limit (packs and manifests are larger). */
  bodyLimit?: number;
  /**
   * `status` is set before the handler runs; a handler may choose another status in `alternatives`
   * with `reply.code()` (e.g. 200 for an idempotent replay of a 201), or send a stream.
   */
  response: {
    status: 200 | 201 | 204;
    schema?: z.ZodType<R>;
    description: string;
    alternatives?: Readonly<Record<number, string>>;
    /** The media type of a non-JSON response (a recording). */
    contentType?: string;
  };
  handler(ctx: RouteContext<B, P, A, Q>): Promise<R>;
}

export function defineRoute<B, P, R, A extends AuthMode, Q = unknown>(
  spec: RouteSpec<B, P, R, A, Q>,
): RouteSpec<B, P, R, A, Q> {
  return spec;
}

// The handler's context is checked where each route is defined; the table only needs its shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRouteSpec = RouteSpec<any, any, any, AuthMode, any>;
