/**
 * Readiness analytics of one program (GET /api/analytics/programs/:programId and its CSV tables;
 * definitions in docs/server.md, "Readiness analytics"), as the server answers and the coaches'
 * workspace reads them.
 */
import { z } from 'zod';

const nullableNumber = z.number().nullable();

export const scenarioReadinessSchema = z.object({
  scenarioId: z.string(),
  title: z.string(),
  submissions: z.number(),
  published: z.number(),
  passed: z.number(),
  /** passed / published; null when nothing is published. */
  passRate: nullableNumber,
  scored: z.number(),
  /** Ten bins of the overall coach score (0..100). */
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
});
export type ScenarioReadiness = z.infer<typeof scenarioReadinessSchema>;

export const readinessPartnerSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  orgId: z.string(),
  orgName: z.string(),
});

export const programReadinessSchema = z.object({
  program: z.object({ id: z.string(), title: z.string() }),
  generatedAt: z.string(),
  scenarios: z.array(scenarioReadinessSchema),
  partnersNotReady: z.array(readinessPartnerSchema.extend({ missingScenarios: z.array(z.string()) })),
  partnerCount: z.number(),
});
export type ProgramReadiness = z.infer<typeof programReadinessSchema>;

/** The tables of GET /api/analytics/programs/:programId.csv?table=… */
export const READINESS_CSV_TABLES = ['scenarios', 'criteria', 'partners', 'agreement'] as const;
export const readinessCsvTableSchema = z.enum(READINESS_CSV_TABLES);
export type ReadinessCsvTable = z.infer<typeof readinessCsvTableSchema>;
