/**
 * Time used against the scenario's answer limit.
 *
 * FORMULA: timeUsedRatio = durationSeconds / answerSeconds, where durationSeconds is the recording's
 * length (max of the declared duration and the last word end). null when there is no limit.
 *
 * REFERENCE RANGE: 0.6–1.0. SOURCE: a Rehearse default, not a published norm — an answer well under
 * the limit usually leaves content out; one over it would be cut off in the certification.
 */
export function timeUsedRatio(
  durationSeconds: number,
  answerSeconds: number | null | undefined,
): number | null {
  if (answerSeconds === null || answerSeconds === undefined || !(answerSeconds > 0)) return null;
  if (!(durationSeconds >= 0)) return null;
  return Math.round((durationSeconds / answerSeconds) * 1000) / 1000;
}
