/** The coach's score and note per rubric criterion, as stored in submission_reviews.criteria_json. */
import { z } from 'zod';
import { safeText } from '../../shared/text/safe-text';

export const coachCriterionSchema = z.strictObject({
  criterionId: safeText().min(1).max(64),
  /** 0..1 like the AI's draft score; null when the coach leaves it unscored. */
  coachScore: z.number().min(0).max(1).nullable(),
  note: safeText({ multiline: true }).max(4000).nullable(),
});
export type CoachCriterion = z.infer<typeof coachCriterionSchema>;

export function parseCoachCriteria(json: string): CoachCriterion[] {
  return z.array(coachCriterionSchema).parse(JSON.parse(json));
}
