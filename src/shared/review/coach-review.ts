/**
 * The coaches' review API (/api/review/…): the queue, one submission for review, the coach's
 * scores per criterion, comments and publishing. The server's routes validate with and respond
 * through these schemas; the coaches' workspace types its calls with the inferred types.
 */
import { z } from 'zod';
import {
  coachCommentSchema,
  submissionManifestSchema,
  submissionSchema,
  submissionStatusSchema,
} from '../sync/protocol';
import { safeText } from '../text/safe-text';

export type CoachComment = z.infer<typeof coachCommentSchema>;

export const decisionSchema = z.enum(['pass', 'needs-work']);
export type Decision = z.infer<typeof decisionSchema>;

/** The coach's score and note per rubric criterion (stored as submission_reviews.criteria_json). */
export const coachCriterionSchema = z.strictObject({
  criterionId: safeText().min(1).max(64),
  /** 0..1 like the AI's draft score; null when the coach leaves it unscored. */
  coachScore: z.number().min(0).max(1).nullable(),
  note: safeText({ multiline: true }).max(4000).nullable(),
});
export type CoachCriterion = z.infer<typeof coachCriterionSchema>;

const queuePartnerSchema = z.object({ id: z.string(), name: z.string(), email: z.string() });

/** GET /api/review/queue, one entry. */
export const queueItemSchema = z.object({
  id: z.string(),
  status: submissionStatusSchema,
  programId: z.string(),
  scenarioId: z.string(),
  packVersion: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  partner: queuePartnerSchema,
  aiScore: z.number().nullable(),
  hasRecording: z.boolean(),
});
export type QueueItem = z.infer<typeof queueItemSchema>;

export const reviewQueueSchema = z.object({ submissions: z.array(queueItemSchema) });
export type ReviewQueue = z.infer<typeof reviewQueueSchema>;

export const reviewPartnerSchema = queuePartnerSchema.extend({ orgId: z.string() });
export type ReviewPartner = z.infer<typeof reviewPartnerSchema>;

export const reviewRecordingSchema = z.object({
  kind: z.enum(['video', 'audio']),
  mime: z.string(),
  bytes: z.number(),
  /** True once the upload arrived and matched; GET …/recording streams it. */
  available: z.boolean(),
});

export const coachReviewSchema = z.object({
  criteria: z.array(coachCriterionSchema),
  overallScore: z.number().nullable(),
  decision: decisionSchema.nullable(),
  publishedAt: z.string().nullable(),
  coachUserId: z.string(),
});
export type CoachReview = z.infer<typeof coachReviewSchema>;

/** GET /api/review/submissions/:id, and the answer to saving scores and publishing. */
export const reviewDetailSchema = z.object({
  submission: submissionSchema,
  partner: reviewPartnerSchema,
  manifest: submissionManifestSchema,
  recording: reviewRecordingSchema.nullable(),
  review: coachReviewSchema.nullable(),
  comments: z.array(coachCommentSchema),
});
export type ReviewDetail = z.infer<typeof reviewDetailSchema>;

/** PUT /api/review/submissions/:id/scores (replaces earlier scores). */
export const saveScoresBodySchema = z.object({
  criteria: z.array(coachCriterionSchema).max(100),
  overallScore: z.number().min(0).max(100).nullable().optional(),
});
export type SaveScoresBody = z.infer<typeof saveScoresBodySchema>;

/** POST /api/review/submissions/:id/comments: pinned to `at` seconds of the recording, or general. */
export const commentBodySchema = z.object({
  at: z.number().min(0).max(86_400).nullable(),
  text: safeText({ multiline: true }).trim().min(1).max(4000),
});
export type CommentBody = z.infer<typeof commentBodySchema>;

/** POST /api/review/submissions/:id/publish */
export const publishBodySchema = z.object({ decision: decisionSchema });
export type PublishBody = z.infer<typeof publishBodySchema>;
