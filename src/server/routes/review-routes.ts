/**
 * The coaches' review API (the web workspace will sit on it): the queue, one submission with the
 * AI's draft, scores per criterion, comments pinned to moments of the recording, publishing, and
 * the recording itself. Coaches reach only the programs they coach; admins their vendor's.
 */
import { z } from 'zod';
import { safeText } from '../../shared/text/safe-text';
import {
  commentBodySchema,
  publishBodySchema,
  reviewDetailSchema,
  reviewQueueSchema,
  saveScoresBodySchema,
} from '../../shared/review/coach-review';
import { coachCommentSchema, recordingFileExtension } from '../../shared/sync/protocol';
import { parseByteRange } from '../http/byte-range';
import { notFound } from '../errors';
import { HttpStatusError } from '../http/error-status';
import { defineRoute } from '../http/route-spec';
import { addCoachComment, publishReview, saveCoachScores } from '../submissions/coach-review';
import {
  findReviewableSubmission,
  listReviewQueue,
  storedRecordingOf,
} from '../submissions/review-repository';
import { buildReviewDetail } from '../submissions/review-view';

const staff = ['coach', 'admin'] as const;
const submissionParams = z.object({ submissionId: safeText().min(1).max(100) });

export const reviewRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/review/queue',
    summary: 'Submissions waiting for review (submitted or in review), oldest first',
    tag: 'review',
    auth: 'session',
    roles: staff,
    response: {
      status: 200,
      schema: reviewQueueSchema,
      description: 'Queue',
    },
    handler: async ({ principal, deps }) => ({
      submissions: await listReviewQueue(deps.db, principal),
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/review/submissions/:submissionId',
    summary: 'One submission for review: manifest with the AI’s draft, recording availability, review so far',
    tag: 'review',
    auth: 'session',
    roles: staff,
    params: submissionParams,
    response: { status: 200, schema: reviewDetailSchema, description: 'Submission for review' },
    handler: async ({ params, principal, deps }) =>
      buildReviewDetail(deps, await findReviewableSubmission(deps.db, principal, params.submissionId)),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/review/submissions/:submissionId/scores',
    summary:
      'Save the coach’s score and note per criterion (replaces earlier scores); the submission is then in review',
    tag: 'review',
    auth: 'session',
    roles: staff,
    params: submissionParams,
    body: saveScoresBodySchema,
    response: { status: 200, schema: reviewDetailSchema, description: 'Scores saved' },
    handler: async ({ params, body, principal, deps, now }) => {
      await saveCoachScores(deps.db, principal, params.submissionId, body, now);
      return buildReviewDetail(deps, await findReviewableSubmission(deps.db, principal, params.submissionId));
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/review/submissions/:submissionId/comments',
    summary:
      'Comment on the submission, pinned to a moment of the recording (`at`, seconds) or general (null)',
    tag: 'review',
    auth: 'session',
    roles: staff,
    params: submissionParams,
    body: commentBodySchema,
    response: { status: 201, schema: coachCommentSchema, description: 'Comment added' },
    handler: async ({ params, body, principal, deps, now }) =>
      addCoachComment(deps.db, principal, params.submissionId, body, now),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/review/submissions/:submissionId/publish',
    summary: 'Publish the decision; the partner then sees the result. Final.',
    tag: 'review',
    auth: 'session',
    roles: staff,
    params: submissionParams,
    body: publishBodySchema,
    response: { status: 200, schema: reviewDetailSchema, description: 'Published' },
    handler: async ({ params, body, principal, deps, request, now }) => {
      await publishReview(deps.db, principal, params.submissionId, body.decision, now);
      request.log.info({ submissionId: params.submissionId, decision: body.decision }, 'review published');
      return buildReviewDetail(deps, await findReviewableSubmission(deps.db, principal, params.submissionId));
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/review/submissions/:submissionId/recording',
    summary: 'The recording, with Range support for seeking',
    tag: 'review',
    auth: 'session',
    roles: staff,
    params: submissionParams,
    response: {
      status: 200,
      description: 'The recording',
      contentType: 'application/octet-stream',
      alternatives: { 206: 'The requested byte range' },
    },
    handler: async ({ params, principal, deps, request, reply }) => {
      const { row } = await findReviewableSubmission(deps.db, principal, params.submissionId);
      const recording = storedRecordingOf(row);
      const stored = recording ? await deps.storage.stat(recording.storageKey) : null;
      if (!recording || !stored)
        throw notFound('This submission has no recording yet', `no stored recording for ${row.id}`);
      const size = stored.bytes;
      const wanted = parseByteRange(request.headers.range, size);
      if (wanted.kind === 'unsatisfiable')
        throw new HttpStatusError(416, 'INVALID_INPUT', 'The requested range is outside the recording', {
          headers: { 'content-range': `bytes */${size}` },
        });
      // Checked again when served: a row stored before the allow-list may hold any type.
      const extension = recording.mime ? recordingFileExtension(recording.mime) : undefined;
      const mime = extension && recording.mime ? recording.mime : 'application/octet-stream';
      reply
        .header('accept-ranges', 'bytes')
        .header('content-type', mime)
        .header(
          'content-disposition',
          `inline; filename="recording-${row.id.replace(/[^A-Za-z0-9-]/g, '_')}.${extension ?? 'bin'}"`,
        );
      if (wanted.kind === 'whole') {
        reply.header('content-length', String(size));
        return deps.storage.read(recording.storageKey);
      }
      const { start, end } = wanted.range;
      reply
        .code(206)
        .header('content-range', `bytes ${start}-${end}/${size}`)
        .header('content-length', String(end - start + 1));
      return deps.storage.read(recording.storageKey, wanted.range);
    },
  }),
];
