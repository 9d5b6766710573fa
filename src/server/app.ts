/**
 * buildServer: the fastify instance with every route, ready for `app.inject` in tests or `listen`
 * in start-server.ts. It does not open or migrate the database; the caller passes it in.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Kysely } from 'kysely';
import { createFailureThrottle } from './auth/failure-throttle';
import type { ServerDatabase } from './db/schema';
import { installErrorHandling, tusRefusal } from './http/error-handling';
import { createOutboundGuard, type OutboundGuard } from './integrations/outbound-guard';
import { buildOpenApiDocument } from './http/openapi';
import { installOriginCheck } from './http/origin-check';
import { registerRoutes } from './http/register-routes';
import { installResponseHeaders } from './http/response-headers';
import type { AnyRouteSpec } from './http/route-spec';
import type { ServerDeps } from './http/server-deps';
import { analyticsRoutes } from './routes/analytics-routes';
import { authRoutes } from './routes/auth-routes';
import { deviceRoutes } from './routes/device-routes';
import { healthRoutes } from './routes/health-routes';
import { integrationRoutes } from './routes/integration-routes';
import { invitationRoutes } from './routes/invitation-routes';
import { organisationRoutes } from './routes/organisation-routes';
import { partnerRoutes } from './routes/partner-routes';
import { packRoutes } from './routes/pack-routes';
import { programRoutes } from './routes/program-routes';
import { reviewRoutes } from './routes/review-routes';
import { submissionRoutes } from './routes/submission-routes';
import { uploadRoutes } from './routes/upload-routes';
import { workspaceStatic } from './routes/workspace-static';
import type { RecordingStorage } from './storage/recording-storage';
import { createRecordingUploads } from './uploads/recording-uploads';

export const serverRoutes: readonly AnyRouteSpec[] = [
  ...healthRoutes,
  ...authRoutes,
  ...invitationRoutes,
  ...organisationRoutes,
  ...programRoutes,
  ...partnerRoutes,
  ...deviceRoutes,
  ...packRoutes,
  ...submissionRoutes,
  ...reviewRoutes,
  ...analyticsRoutes,
  ...integrationRoutes,
  ...uploadRoutes,
];

const FIFTEEN_MINUTES = 15 * 60 * 1000;

export interface BuildServerOptions {
  db: Kysely<ServerDatabase>;
  storage: RecordingStorage;
  /** The tus file store's folder: unfinished uploads, kept across restarts. */
  uploadDir: string;
  /** The largest recording accepted, in bytes. */
  maxRecordingBytes: number;
  sessionTtlSeconds: number;
  /** fastify's pino logger options; false (the default) is silent, as tests want. */
  logger?: FastifyServerOptions['logger'];
  trustProxy?: boolean;
  /**
   * The server's public URL (https://review.example.com): cookie-authenticated writes must come
   * from its origin. Unset, the origin must match the request's Host.
   */
  publicUrl?: string;
  /** The clock; tests move it to expire sessions, invitations and codes. */
  now?: () => Date;
  version?: string;
  /** Checks webhook URLs when they are subscribed (the worker checks again at delivery). */
  outboundGuard?: OutboundGuard;
}

export function buildServer(options: BuildServerOptions): FastifyInstance {
  const now = options.now ?? (() => new Date());
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: options.trustProxy ?? false,
    bodyLimit: 64 * 1024,
    // Closing stops accepting at once and drops idle keep-alive sockets; in-flight requests finish.
    forceCloseConnections: 'idle',
  });
  const nowMs = () => now().getTime();
  const uploads = createRecordingUploads({
    db: options.db,
    storage: options.storage,
    directory: options.uploadDir,
    maxBytes: options.maxRecordingBytes,
    now,
    refusal: tusRefusal,
  });
  const deps: ServerDeps = {
    db: options.db,
    storage: options.storage,
    uploads,
    sessionTtlSeconds: options.sessionTtlSeconds,
    maxRecordingBytes: options.maxRecordingBytes,
    now,
    outboundGuard: options.outboundGuard ?? createOutboundGuard(),
    throttles: {
      loginByAddress: createFailureThrottle({ limit: 5, windowMs: FIFTEEN_MINUTES, now: nowMs }),
      loginByEmail: createFailureThrottle({ limit: 5, windowMs: FIFTEEN_MINUTES, now: nowMs }),
      redeemByAddress: createFailureThrottle({ limit: 10, windowMs: FIFTEEN_MINUTES, now: nowMs }),
    },
  };
  installErrorHandling(app);
  installResponseHeaders(app);
  installOriginCheck(app, options.publicUrl === undefined ? {} : { publicUrl: options.publicUrl });
  registerRoutes(app, serverRoutes, deps);
  const openApi = buildOpenApiDocument(serverRoutes, options.version ?? 'dev');
  app.get('/openapi.json', async () => openApi);
  void app.register(workspaceStatic);
  return app;
}
