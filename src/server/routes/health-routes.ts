/** Liveness (`/health`: the process answers) and readiness (`/ready`: database reachable, migrated). */
import { z } from 'zod';
import { checkDbReadiness } from '../db/open-server-db';
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
      if (!readiness.reachable) throw new HttpStatusError(503, 'INTERNAL', 'The database is not reachable');
      if (readiness.pendingMigrations.length > 0)
        throw new HttpStatusError(
          503,
          'INTERNAL',
          `Migrations not applied: ${readiness.pendingMigrations.join(', ')}`,
        );
      return { status: 'ready' as const };
    },
  }),
];
