/**
 * "The overall coach score" of a published review, one definition for the analytics and the xAPI
 * statements: the coach's overall score (0..100) when given, else the mean of the coach's criterion
 * scores (0..1) times 100, else null (nothing scored).
 */
export function overallCoachScore(
  overallScore: number | string | null,
  criteria: readonly { coachScore: number | null }[],
): number | null {
  if (overallScore !== null) return Number(overallScore);
  const scored = criteria.map((c) => c.coachScore).filter((s): s is number => s !== null);
  if (scored.length === 0) return null;
  return (scored.reduce((sum, s) => sum + s, 0) / scored.length) * 100;
}
