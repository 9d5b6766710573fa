/** Readiness analytics per program, as JSON and as CSV tables (definitions in docs/server.md). */
import { z } from 'zod';
import { safeText } from '../../shared/text/safe-text';
import { defineRoute } from '../http/route-spec';
import { programReadiness } from '../analytics/readiness';
import { CSV_TABLES, readinessCsv } from '../analytics/readiness-csv';

const staff = ['coach', 'admin'] as const;
const params = z.object({ programId: safeText().min(1).max(100) });
const nullableNumber = z.number().nullable();

const partnerSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  orgId: z.string(),
  orgName: z.string(),
});

const readinessSchema = z.object({
  program: z.object({ id: z.string(), title: z.string() }),
  generatedAt: z.string(),
  scenarios: z.array(
    z.object({
      scenarioId: z.string(),
      title: z.string(),
      submissions: z.number(),
      published: z.number(),
      passed: z.number(),
      passRate: nullableNumber,
      scored: z.number(),
      scoreHistogram: z.array(z.object({ from: z.number(), to: z.number(), count: z.number() })),
      mostFailedCriteria: z.array(
        z.object({ criterionId: z.string(), title: z.string(), failed: z.number(), scored: z.number() }),
      ),
      medianSecondsToFirstPass: nullableNumber,
      partnersPassed: z.number(),
      partnersNotReady: z.number(),
      agreement: z.array(
        z.object({
          criterionId: z.string(),
          title: z.string(),
          pairs: z.number(),
          meanAbsDiff: nullableNumber,
          withinQuarter: nullableNumber,
        }),
      ),
    }),
  ),
  partnersNotReady: z.array(partnerSchema.extend({ missingScenarios: z.array(z.string()) })),
  partnerCount: z.number(),
});

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
    response: { status: 200, schema: readinessSchema, description: 'Readiness figures' },
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
    query: z.object({ table: z.enum(CSV_TABLES) }),
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
