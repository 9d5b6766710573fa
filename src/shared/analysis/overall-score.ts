/**
 * The overall score, one definition for the AI's combined judgment and the coach's review:
 *   score = 100 × Σ weight·score / Σ weight over the rubric criteria that have a score,
 * with each criterion's score in 0..1 and its weight from the rubric; rounded to 0.1; null when
 * no criterion has a score. Criteria not in the rubric are ignored.
 */
export function overallScore(
  rubric: readonly { id: string; weight: number }[],
  scoreOf: (criterionId: string) => number | null | undefined,
): number | null {
  let weighted = 0;
  let weights = 0;
  for (const criterion of rubric) {
    const score = scoreOf(criterion.id);
    if (score === null || score === undefined) continue;
    weighted += criterion.weight * score;
    weights += criterion.weight;
  }
  return weights > 0 ? Math.round((1000 * weighted) / weights) / 10 : null;
}
