/**
 * Readiness figures of one program, as small pure functions over rows fetched by readiness.ts
 * (definitions in docs/server.md, "Readiness analytics"). "Submission" means one that reached
 * `submitted` (awaiting-recording ones are not counted); "published" one whose review is published.
 */

/** Coach score below this (0..1) counts the criterion as failed. */
export const FAILED_BELOW = 0.5;
/** AI and coach "agree" on a criterion when their scores are at most this far apart (0..1). */
export const AGREEMENT_WITHIN = 0.25;

export interface ScenarioInfo {
  id: string;
  title: string;
  criteria: { id: string; title: string }[];
}

export interface SubmissionFact {
  id: string;
  partnerUserId: string;
  scenarioId: string;
  createdAt: string;
  /** Only for published submissions; null otherwise. */
  published: {
    decision: 'pass' | 'needs-work';
    publishedAt: string;
    /** 0..100 or null (analytics/coach-score.ts). */
    overallCoachScore: number | null;
    coach: { criterionId: string; coachScore: number | null }[];
    ai: { criterionId: string; score: number | null }[];
  } | null;
}

export interface PartnerInfo {
  id: string;
  name: string;
  email: string;
  orgId: string;
  orgName: string;
}

export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

/** Ten bins [0,10) … [80,90), [90,100]; scores outside 0..100 are clamped. */
export function scoreHistogram(scores: readonly number[]): HistogramBin[] {
  const bins = Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i * 10 + 10, count: 0 }));
  for (const score of scores) {
    const index = Math.min(9, Math.max(0, Math.floor(score / 10)));
    bins[index]!.count++;
  }
  return bins;
}

/** The middle value (mean of the two middle ones for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface CriterionFailures {
  criterionId: string;
  title: string;
  /** Published submissions where the coach scored it below FAILED_BELOW. */
  failed: number;
  /** Published submissions where the coach scored it at all. */
  scored: number;
}

/** Most often failed first (then by id); criteria never failed are kept with failed = 0. */
export function criterionFailures(
  facts: readonly SubmissionFact[],
  titles: ReadonlyMap<string, string> = new Map(),
): CriterionFailures[] {
  const byId = new Map<string, CriterionFailures>();
  for (const fact of facts)
    for (const c of fact.published?.coach ?? []) {
      if (c.coachScore === null) continue;
      const entry = byId.get(c.criterionId) ?? {
        criterionId: c.criterionId,
        title: titles.get(c.criterionId) ?? c.criterionId,
        failed: 0,
        scored: 0,
      };
      entry.scored++;
      if (c.coachScore < FAILED_BELOW) entry.failed++;
      byId.set(c.criterionId, entry);
    }
  return [...byId.values()].sort((a, b) => b.failed - a.failed || a.criterionId.localeCompare(b.criterionId));
}

export interface CriterionAgreement {
  criterionId: string;
  title: string;
  /** Published submissions with both an AI and a coach score for the criterion. */
  pairs: number;
  meanAbsDiff: number | null;
  /** Share of pairs with |AI − coach| ≤ AGREEMENT_WITHIN. */
  withinQuarter: number | null;
}

export function criterionAgreement(
  facts: readonly SubmissionFact[],
  titles: ReadonlyMap<string, string> = new Map(),
): CriterionAgreement[] {
  const diffs = new Map<string, number[]>();
  for (const fact of facts) {
    if (!fact.published) continue;
    const ai = new Map(fact.published.ai.map((c) => [c.criterionId, c.score]));
    for (const c of fact.published.coach) {
      const aiScore = ai.get(c.criterionId);
      if (c.coachScore === null || aiScore === null || aiScore === undefined) continue;
      diffs.set(c.criterionId, [...(diffs.get(c.criterionId) ?? []), Math.abs(aiScore - c.coachScore)]);
    }
  }
  return [...diffs.entries()]
    .map(([criterionId, values]) => ({
      criterionId,
      title: titles.get(criterionId) ?? criterionId,
      pairs: values.length,
      meanAbsDiff: values.reduce((s, v) => s + v, 0) / values.length,
      // A small epsilon so 0.25 exactly (e.g. 1 − 0.75) counts despite floating point.
      withinQuarter: values.filter((v) => v <= AGREEMENT_WITHIN + 1e-9).length / values.length,
    }))
    .sort((a, b) => a.criterionId.localeCompare(b.criterionId));
}

export interface PartnerScenarioProgress {
  partnerId: string;
  scenarioId: string;
  submissions: number;
  firstSubmittedAt: string | null;
  /** The earliest publication of a passing review. */
  firstPassedAt: string | null;
  secondsToFirstPass: number | null;
}

/** One entry per partner and scenario, partners and scenarios in the order given. */
export function partnerProgress(
  partners: readonly PartnerInfo[],
  scenarios: readonly ScenarioInfo[],
  facts: readonly SubmissionFact[],
): PartnerScenarioProgress[] {
  const out: PartnerScenarioProgress[] = [];
  for (const partner of partners)
    for (const scenario of scenarios) {
      const mine = facts.filter((f) => f.partnerUserId === partner.id && f.scenarioId === scenario.id);
      const firstSubmittedAt = mine.map((f) => f.createdAt).sort()[0] ?? null;
      const firstPassedAt =
        mine
          .filter((f) => f.published?.decision === 'pass')
          .map((f) => f.published!.publishedAt)
          .sort()[0] ?? null;
      out.push({
        partnerId: partner.id,
        scenarioId: scenario.id,
        submissions: mine.length,
        firstSubmittedAt,
        firstPassedAt,
        secondsToFirstPass:
          firstSubmittedAt && firstPassedAt
            ? (Date.parse(firstPassedAt) - Date.parse(firstSubmittedAt)) / 1000
            : null,
      });
    }
  return out;
}

export interface NotReadyPartner extends PartnerInfo {
  /** Scenarios of the program without a passed submission, in the program's order. */
  missingScenarios: string[];
}

export function partnersNotReady(
  partners: readonly PartnerInfo[],
  scenarios: readonly ScenarioInfo[],
  progress: readonly PartnerScenarioProgress[],
): NotReadyPartner[] {
  const passed = new Set(
    progress.filter((p) => p.firstPassedAt).map((p) => `${p.partnerId}\n${p.scenarioId}`),
  );
  return partners
    .map((partner) => ({
      ...partner,
      missingScenarios: scenarios.filter((s) => !passed.has(`${partner.id}\n${s.id}`)).map((s) => s.id),
    }))
    .filter((p) => p.missingScenarios.length > 0);
}

export interface ScenarioCounts {
  submissions: number;
  published: number;
  passed: number;
}

export interface ScenarioReadiness extends ScenarioCounts {
  scenarioId: string;
  title: string;
  /** passed / published; null when nothing is published. */
  passRate: number | null;
  /** Published submissions with an overall coach score (the histogram's total). */
  scored: number;
  scoreHistogram: HistogramBin[];
  mostFailedCriteria: CriterionFailures[];
  medianSecondsToFirstPass: number | null;
  partnersPassed: number;
  partnersNotReady: number;
  agreement: CriterionAgreement[];
}

export function scenarioReadiness(
  scenario: ScenarioInfo,
  counts: ScenarioCounts,
  facts: readonly SubmissionFact[],
  progress: readonly PartnerScenarioProgress[],
): ScenarioReadiness {
  const mine = facts.filter((f) => f.scenarioId === scenario.id);
  const titles = new Map(scenario.criteria.map((c) => [c.id, c.title]));
  const scores = mine
    .map((f) => f.published?.overallCoachScore)
    .filter((s): s is number => s !== null && s !== undefined);
  const own = progress.filter((p) => p.scenarioId === scenario.id);
  return {
    scenarioId: scenario.id,
    title: scenario.title,
    ...counts,
    passRate: counts.published === 0 ? null : counts.passed / counts.published,
    scored: scores.length,
    scoreHistogram: scoreHistogram(scores),
    mostFailedCriteria: criterionFailures(mine, titles),
    medianSecondsToFirstPass: median(
      own.map((p) => p.secondsToFirstPass).filter((s): s is number => s !== null),
    ),
    partnersPassed: own.filter((p) => p.firstPassedAt).length,
    partnersNotReady: own.filter((p) => !p.firstPassedAt).length,
    agreement: criterionAgreement(mine, titles),
  };
}
