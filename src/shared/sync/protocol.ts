/**
 * The wire protocol between the desktop app (the partner's device) and the sync server, for formal
 * submissions. Both sides validate with these schemas; neither imports the other.
 *
 *   POST /api/submissions            device token; body SubmissionManifest → Submission
 *                                    (idempotent by id: the same manifest again answers 200 with the
 *                                    stored submission; a different manifest under that id is 409)
 *   tus  /api/uploads/               device token; the recording, resumable (tus 1.0.0), metadata
 *                                    `submissionId`; accepted only when size and sha256 match the
 *                                    manifest, which then becomes `submitted`
 *   GET  /api/submissions/:id        device token or session (owner) → Submission, with the published
 *                                    result once a coach has published it (never before)
 *   POST /api/programs/:id/packs     admin; body { pack } (a ScenarioPack) → the versions the server knows;
 *                                    a manifest naming an unknown (programId, packVersion) is refused (422)
 */
import { z } from 'zod';
import { transcriptSchema } from '../transcript/transcript';

export const SUBMISSION_UPLOAD_PATH = '/api/uploads/';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256');
const iso = z.iso.datetime({ offset: true });

export const evidenceSchema = z.strictObject({
  quote: z.string().max(2000),
  start: z.number().min(0),
  end: z.number().min(0),
});

/** The AI's draft for one criterion, as the coach will see it beside their own score. */
export const aiCriterionScoreSchema = z.strictObject({
  criterionId: z.string().min(1).max(64),
  met: z.boolean().nullable(),
  level: z.number().int().min(1).max(5).nullable(),
  /** 0..1 before weighting; null when no judge could score it. */
  score: z.number().min(0).max(1).nullable(),
  rationale: z.string().max(4000),
  evidence: z.array(evidenceSchema).max(20),
  judge: z.enum(['deterministic', 'llm']),
});
export type AiCriterionScore = z.infer<typeof aiCriterionScoreSchema>;

export const submissionManifestSchema = z.strictObject({
  /** Chosen by the app (the attempt's id): the idempotency key for retries and replays. */
  id: z.uuid(),
  programId: z.string().min(1).max(64),
  scenarioId: z.string().min(1).max(64),
  packVersion: z.string().min(1).max(64),
  recordedAt: iso,
  durationSeconds: z
    .number()
    .min(0)
    .max(4 * 3600),
  /** The recording to upload with tus, or null when the partner sends transcript and scores only. */
  recording: z
    .strictObject({
      kind: z.enum(['video', 'audio']),
      mime: z.string().min(1).max(128),
      bytes: z
        .number()
        .int()
        .min(1)
        .max(4 * 1024 * 1024 * 1024),
      sha256,
    })
    .nullable(),
  transcript: transcriptSchema,
  /** DeliveryMetrics as computed on the device (src/shared/metrics); kept as the app sent it. */
  metrics: z.record(z.string(), z.unknown()),
  ai: z.strictObject({
    score: z.number().min(0).max(100).nullable(),
    passed: z.boolean(),
    judgedBy: z.array(z.string().max(200)).max(10),
    criteria: z.array(aiCriterionScoreSchema).max(100),
  }),
});
export type SubmissionManifest = z.infer<typeof submissionManifestSchema>;

export const coachCommentSchema = z.strictObject({
  id: z.string(),
  /** Seconds into the recording the comment is pinned to, or null for a general comment. */
  at: z.number().min(0).nullable(),
  text: z.string().max(4000),
  author: z.string().max(200),
  createdAt: iso,
});

export const publishedResultSchema = z.strictObject({
  decision: z.enum(['pass', 'needs-work']),
  /** The coach's score per criterion beside the AI's draft. */
  criteria: z.array(
    z.strictObject({
      criterionId: z.string(),
      aiScore: z.number().min(0).max(1).nullable(),
      coachScore: z.number().min(0).max(1).nullable(),
      note: z.string().max(4000).nullable(),
    }),
  ),
  overallScore: z.number().min(0).max(100).nullable(),
  comments: z.array(coachCommentSchema),
  publishedAt: iso,
  coach: z.string().max(200),
});
export type PublishedResult = z.infer<typeof publishedResultSchema>;

export const submissionStatusSchema = z.enum(['awaiting-recording', 'submitted', 'in-review', 'published']);
export type SubmissionStatus = z.infer<typeof submissionStatusSchema>;

export const submissionSchema = z.strictObject({
  id: z.uuid(),
  status: submissionStatusSchema,
  programId: z.string(),
  scenarioId: z.string(),
  packVersion: z.string(),
  createdAt: iso,
  updatedAt: iso,
  /** Bytes of the recording received so far (tus offset), when a recording is expected. */
  recordingBytesReceived: z.number().int().min(0).nullable(),
  /** Present only once published. */
  result: publishedResultSchema.nullable(),
});
export type Submission = z.infer<typeof submissionSchema>;

/** Error body of every refusal: `{ error: { code, message } }` (codes from src/shared/errors.ts). */
export const protocolErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }),
});
