/** The readiness figures as CSV tables, one per `?table=`. */
import { toCsv, type CsvCell } from './csv';
import type { ReadinessCsvTable } from '../../shared/review/readiness';
import type { ProgramReadiness } from './readiness';

/** Four decimals are plenty for rates and score differences. */
const round = (value: number | null) => (value === null ? null : Math.round(value * 10_000) / 10_000);

export function readinessCsv(readiness: ProgramReadiness, table: ReadinessCsvTable): string {
  switch (table) {
    case 'scenarios':
      return toCsv(
        [
          'scenario_id',
          'title',
          'submissions',
          'published',
          'passed',
          'pass_rate',
          'scored',
          'median_seconds_to_first_pass',
          'partners_passed',
          'partners_not_ready',
          ...Array.from({ length: 10 }, (_, i) => `score_${i * 10}_${i * 10 + 10}`),
        ],
        readiness.scenarios.map((s): CsvCell[] => [
          s.scenarioId,
          s.title,
          s.submissions,
          s.published,
          s.passed,
          round(s.passRate),
          s.scored,
          round(s.medianSecondsToFirstPass),
          s.partnersPassed,
          s.partnersNotReady,
          ...s.scoreHistogram.map((b) => b.count),
        ]),
      );
    case 'criteria':
      return toCsv(
        ['scenario_id', 'criterion_id', 'title', 'failed', 'scored'],
        readiness.scenarios.flatMap((s) =>
          s.mostFailedCriteria.map((c): CsvCell[] => [
            s.scenarioId,
            c.criterionId,
            c.title,
            c.failed,
            c.scored,
          ]),
        ),
      );
    case 'agreement':
      return toCsv(
        ['scenario_id', 'criterion_id', 'title', 'pairs', 'mean_abs_diff', 'share_within_0_25'],
        readiness.scenarios.flatMap((s) =>
          s.agreement.map((a): CsvCell[] => [
            s.scenarioId,
            a.criterionId,
            a.title,
            a.pairs,
            round(a.meanAbsDiff),
            round(a.withinQuarter),
          ]),
        ),
      );
    case 'partners': {
      const byId = new Map(readiness.partners.map((p) => [p.id, p]));
      return toCsv(
        [
          'partner_id',
          'name',
          'email',
          'org_id',
          'org_name',
          'scenario_id',
          'submissions',
          'first_submitted_at',
          'first_passed_at',
          'seconds_to_first_pass',
          'passed',
        ],
        readiness.progress.map((p): CsvCell[] => {
          const partner = byId.get(p.partnerId);
          return [
            p.partnerId,
            partner?.name,
            partner?.email,
            partner?.orgId,
            partner?.orgName,
            p.scenarioId,
            p.submissions,
            p.firstSubmittedAt,
            p.firstPassedAt,
            p.secondsToFirstPass,
            p.firstPassedAt !== null,
          ];
        }),
      );
    }
  }
}
