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

/** none: public; session: web sign-in only; session-or-device: also a paired device's token. */
export type AuthMode = 'none' | 'session' | 'session-or-device';

export interface RouteContext<B, P, A extends AuthMode> {
  body: B;
  params: P;
  principal: A extends 'none' ? null : Principal;
  request: FastifyRequest;
  reply: FastifyReply;
  deps: ServerDeps;
  now: Date;
}

export interface RouteSpec<B = unknown, P = unknown, R = unknown, A extends AuthMode = AuthMode> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** fastify syntax: /api/devices/:deviceId */
  url: string;
  summary: string;
  tag: string;
  auth: A;
  /** Roles allowed (after authentication); all roles when omitted. */
  roles?: readonly UserRole[];
  params?: z.ZodType<P>;
  body?: z.ZodType<B>;
  response: { status: 200 | 201 | 204; schema?: z.ZodType<R>; description: string };
  handler(ctx: RouteContext<B, P, A>): Promise<R>;
}

export function defineRoute<B, P, R, A extends AuthMode>(spec: RouteSpec<B, P, R, A>): RouteSpec<B, P, R, A> {
  return spec;
}

// The handler's context is checked where each route is defined; the table only needs its shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRouteSpec = RouteSpec<any, any, any, AuthMode>;
