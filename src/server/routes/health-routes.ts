/**
 * Liveness (`/health`: the process answers) and readiness (`/ready`: database reachable, migrated).
 * Not ready is 503 UNAVAILABLE with Retry-After and the reason, for a load balancer to wait on.
 */
import { z } from 'zod';
import { checkDbReadiness, DB_RETRY_AFTER_SECONDS } from '../db/open-server-db';
import { defineRoute } from '../http/route-spec';
import { HttpStatusError } from '../http/error-status';

export const healthRoutes = [
  defineRoute({
    method: 'GET',
    url: '/health',
    summary: 'The process is alive',
    tag: 'operations',
    auth: 'none',
    response: { status: 200, schema: z.object({ status: z.literal('ok') }), description: 'Alive' },
    handler: async () => ({ status: 'ok' as const }),
  }),
  defineRoute({
    method: 'GET',
    url: '/ready',
    summary: 'The database is reachable and every migration has run (503 otherwise)',
    tag: 'operations',
    auth: 'none',
    response: { status: 200, schema: z.object({ status: z.literal('ready') }), description: 'Ready' },
    handler: async ({ deps }) => {
      const readiness = await checkDbReadiness(deps.db);
      const headers = { 'retry-after': String(DB_RETRY_AFTER_SECONDS) };
      if (!readiness.reachable)
        throw new HttpStatusError(
          503,
          'UNAVAILABLE',
          `The database is not reachable${readiness.reason ? `: ${readiness.reason}` : ''}`,
          { headers },
        );
      if (readiness.pendingMigrations.length > 0)
        throw new HttpStatusError(
          503,
          'UNAVAILABLE',
          `Migrations not applied: ${readiness.pendingMigrations.join(', ')}`,
          { headers },
        );
      return { status: 'ready' as const };
    },
  }),
];
