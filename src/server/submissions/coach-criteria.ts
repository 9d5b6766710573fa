/** The coach's score and note per rubric criterion, as stored in submission_reviews.criteria_json. */
import { z } from 'zod';
import { coachCriterionSchema, type CoachCriterion } from '../../shared/review/coach-review';

export function parseCoachCriteria(json: string): CoachCriterion[] {
  return z.array(coachCriterionSchema).parse(JSON.parse(json));
}
