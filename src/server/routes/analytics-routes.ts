/** Readiness analytics per program, as JSON and as CSV tables (definitions in docs/server.md). */
import { z } from 'zod';
import { safeText } from '../../shared/text/safe-text';
import { defineRoute } from '../http/route-spec';
import { programReadiness } from '../analytics/readiness';
import { readinessCsv } from '../analytics/readiness-csv';
import { programReadinessSchema, readinessCsvTableSchema } from '../../shared/review/readiness';

const staff = ['coach', 'admin'] as const;
const params = z.object({ programId: safeText().min(1).max(100) });
export const analyticsRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/analytics/programs/:programId',
    summary:
      'Readiness of a program per scenario: submissions, pass rate, score histogram, failed criteria, time to first pass, partners not ready, AI-vs-coach agreement',
    tag: 'analytics',
    auth: 'session',
    roles: staff,
    params,
    response: { status: 200, schema: programReadinessSchema, description: 'Readiness figures' },
    handler: async ({ params, principal, deps, now }) => {
      const readiness = await programReadiness(deps.db, principal, params.programId, now);
      return { ...readiness, partnerCount: readiness.partners.length };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/analytics/programs/:programId.csv',
    summary: 'One table of the readiness figures as CSV (RFC 4180, header row)',
    tag: 'analytics',
    auth: 'session',
    roles: staff,
    params,
    query: z.object({ table: readinessCsvTableSchema }),
    response: { status: 200, description: 'CSV', contentType: 'text/csv' },
    handler: async ({ params, query, principal, deps, now, reply }) => {
      const readiness = await programReadiness(deps.db, principal, params.programId, now);
      const safeId = params.programId.replace(/[^A-Za-z0-9._-]/g, '_');
      reply
        .header('content-type', 'text/csv; charset=utf-8; header=present')
        .header('content-disposition', `attachment; filename="readiness-${safeId}-${query.table}.csv"`);
      return readinessCsv(readiness, query.table);
    },
  }),
];
