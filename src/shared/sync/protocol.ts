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
import { findUnsafeText, safeText, withSafeStrings } from '../text/safe-text';
import { transcriptSchema } from '../transcript/transcript';

export const SUBMISSION_UPLOAD_PATH = '/api/uploads/';

/**
 * Media types a recording may declare: what the app records (audio/wav from the PCM capture,
 * video/webm or video/mp4 from MediaRecorder, with a `codecs` parameter) and what it imports
 * (src/main/core/recordings/recording-files.ts); application/octet-stream for an import of unknown
 * type. Anything else (text/html, image/svg+xml, …) would be served from the server's origin.
 */
export const RECORDING_MEDIA_TYPES: Readonly<Record<string, string>> = {
  'video/webm': 'webm',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/x-matroska': 'mkv',
  'audio/webm': 'webm',
  'audio/ogg': 'ogg',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/flac': 'flac',
  'application/octet-stream': 'bin',
};

const MIME_SYNTAX =
  /^([a-z0-9][a-z0-9.+-]*\/[a-z0-9][a-z0-9.+-]*)(\s*;\s*codecs=("?)[a-z0-9.,+ -]{1,100}\3)?$/i;

/**
 * True when `mime` is one of RECORDING_MEDIA_TYPES, optionally with a `codecs` parameter
 * (`video/webm;codecs=vp8,opus`): safe to send as a Content-Type.
 */
export function isAllowedRecordingMime(mime: string): boolean {
  return recordingFileExtension(mime) !== undefined;
}

/** The file extension for an allowed recording media type; undefined for any other. */
export function recordingFileExtension(mime: string): string | undefined {
  const base = MIME_SYNTAX.exec(mime)?.[1]?.toLowerCase();
  return base !== undefined && Object.hasOwn(RECORDING_MEDIA_TYPES, base)
    ? RECORDING_MEDIA_TYPES[base]
    : undefined;
}

/** How deep and how big the free-form `metrics` object of a manifest may be. */
export const METRICS_MAX_DEPTH = 32;
export const METRICS_MAX_VALUES = 200_000;

/** Why a JSON value is too deep or too big, or undefined; stops at the first offence. */
function jsonBoundsProblem(value: unknown, maxDepth: number, maxValues: number): string | undefined {
  let values = 0;
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const next = stack.pop();
    if (!next) break;
    values++;
    if (values > maxValues) return `may hold at most ${maxValues} values`;
    if (next.value !== null && typeof next.value === 'object') {
      if (next.depth > maxDepth) return `may be nested at most ${maxDepth} levels deep`;
      const children = Array.isArray(next.value) ? next.value : Object.values(next.value);
      for (const child of children) stack.push({ value: child, depth: next.depth + 1 });
    }
  }
  return undefined;
}

/** DeliveryMetrics as sent: any JSON object, bounded in depth and size, its strings safe text. */
const metricsSchema = z.record(safeText().max(200), z.unknown()).check((ctx) => {
  const problem = jsonBoundsProblem(ctx.value, METRICS_MAX_DEPTH, METRICS_MAX_VALUES);
  if (problem) {
    ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
    return;
  }
  const unsafe = findUnsafeText(ctx.value);
  if (unsafe)
    ctx.issues.push({ code: 'custom', message: unsafe.reason, path: unsafe.path, input: ctx.value });
});

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256');
const iso = z.iso.datetime({ offset: true });

export const evidenceSchema = z.strictObject({
  quote: safeText({ multiline: true }).max(2000),
  start: z.number().min(0),
  end: z.number().min(0),
});

/** The AI's draft for one criterion, as the coach will see it beside their own score. */
export const aiCriterionScoreSchema = z.strictObject({
  criterionId: safeText().min(1).max(64),
  met: z.boolean().nullable(),
  level: z.number().int().min(1).max(5).nullable(),
  /** 0..1 before weighting; null when no judge could score it. */
  score: z.number().min(0).max(1).nullable(),
  rationale: safeText({ multiline: true }).max(4000),
  evidence: z.array(evidenceSchema).max(20),
  judge: z.enum(['deterministic', 'llm']),
});
export type AiCriterionScore = z.infer<typeof aiCriterionScoreSchema>;

export const submissionManifestSchema = z.strictObject({
  /** Chosen by the app (the attempt's id): the idempotency key for retries and replays. */
  id: z.uuid(),
  programId: safeText().min(1).max(64),
  scenarioId: safeText().min(1).max(64),
  packVersion: safeText().min(1).max(64),
  recordedAt: iso,
  durationSeconds: z
    .number()
    .min(0)
    .max(4 * 3600),
  /** The recording to upload with tus, or null when the partner sends transcript and scores only. */
  recording: z
    .strictObject({
      kind: z.enum(['video', 'audio']),
      mime: z
        .string()
        .max(128)
        .refine(isAllowedRecordingMime, {
          message: `a recording media type: ${Object.keys(RECORDING_MEDIA_TYPES).join(', ')} (optionally with ;codecs=…)`,
        }),
      bytes: z
        .number()
        .int()
        .min(1)
        .max(4 * 1024 * 1024 * 1024),
      sha256,
    })
    .nullable(),
  transcript: withSafeStrings(transcriptSchema),
  /** DeliveryMetrics as computed on the device (src/shared/metrics); kept as the app sent it. */
  metrics: metricsSchema,
  ai: z.strictObject({
    score: z.number().min(0).max(100).nullable(),
    passed: z.boolean(),
    judgedBy: z.array(safeText().max(200)).max(10),
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
/** How the coaches' workspace names each status. */
export const SUBMISSION_STATUS_LABELS: Record<SubmissionStatus, string> = {
  'awaiting-recording': 'awaiting recording',
  submitted: 'submitted',
  'in-review': 'in review',
  published: 'published',
};

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
