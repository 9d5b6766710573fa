/** The coach's score and note per rubric criterion, as stored in submission_reviews.criteria_json. */
import { z } from 'zod';

export const coachCriterionSchema = z.strictObject({
  criterionId: z.string().min(1).max(64),
  /** 0..1 like the AI's draft score; null when the coach leaves it unscored. */
  coachScore: z.number().min(0).max(1).nullable(),
  note: z.string().max(4000).nullable(),
});
export type CoachCriterion = z.infer<typeof coachCriterionSchema>;

export function parseCoachCriteria(json: string): CoachCriterion[] {
  return z.array(coachCriterionSchema).parse(JSON.parse(json));
}
