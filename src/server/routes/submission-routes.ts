/**
 * Formal submissions from the desktop app (src/shared/sync/protocol.ts): the manifest with the
 * device token, then the partner's polling for status and, once published, the coach's result.
 */
import { z } from 'zod';
import { safeText } from '../../shared/text/safe-text';
import { submissionManifestSchema, submissionSchema } from '../../shared/sync/protocol';
import { HttpStatusError } from '../http/error-status';
import { defineRoute } from '../http/route-spec';
import {
  createOrReplaySubmission,
  findOwnSubmission,
  listOwnSubmissions,
} from '../submissions/partner-submissions';
import { toSubmission } from '../submissions/submission-view';

export const submissionRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/submissions',
    summary:
      'Submit an attempt for assessment (idempotent by manifest id); with a recording it awaits the tus upload',
    tag: 'submissions',
    auth: 'device',
    roles: ['partner'],
    body: submissionManifestSchema,
    bodyLimit: 32 * 1024 * 1024,
    response: {
      status: 201,
      schema: submissionSchema,
      description: 'Submission stored (413 when the recording is larger than the server accepts)',
      alternatives: { 200: 'The same manifest was already submitted: the stored submission' },
    },
    handler: async ({ body, principal, deps, request, reply, now }) => {
      // Refused here rather than at the upload, where every try would get 413 and the submission
      // would wait for a recording forever.
      if (body.recording && body.recording.bytes > deps.maxRecordingBytes)
        throw new HttpStatusError(
          413,
          'INVALID_INPUT',
          `The recording is ${body.recording.bytes} bytes; this server accepts recordings of at most ${deps.maxRecordingBytes} bytes`,
          { reason: `manifest ${body.id} declares ${body.recording.bytes} bytes over the limit` },
        );
      const deviceId = principal.via.kind === 'device' ? principal.via.deviceId : '';
      const { created, row } = await createOrReplaySubmission(deps.db, principal, deviceId, body, now);
      if (created) request.log.info({ submissionId: row.id, status: row.status }, 'submission received');
      else reply.code(200);
      return toSubmission(deps.db, row, deps.uploads.offsetOf);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/submissions',
    summary: 'The caller’s own submissions, oldest change first; `updatedSince` returns only later changes',
    tag: 'submissions',
    auth: 'session-or-device',
    roles: ['partner'],
    query: z.object({
      updatedSince: z.iso
        .datetime({ offset: true })
        .transform((value) => new Date(value).toISOString())
        .optional(),
    }),
    response: {
      status: 200,
      schema: z.object({ submissions: z.array(submissionSchema) }),
      description: 'Submissions',
    },
    handler: async ({ query, principal, deps }) => {
      const rows = await listOwnSubmissions(deps.db, principal, query.updatedSince);
      return {
        submissions: await Promise.all(rows.map((row) => toSubmission(deps.db, row, deps.uploads.offsetOf))),
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/submissions/:submissionId',
    summary: 'One of the caller’s submissions; `result` appears once a coach has published it',
    tag: 'submissions',
    auth: 'session-or-device',
    roles: ['partner'],
    params: z.object({ submissionId: safeText().min(1).max(100) }),
    response: { status: 200, schema: submissionSchema, description: 'Submission' },
    handler: async ({ params, principal, deps }) =>
      toSubmission(
        deps.db,
        await findOwnSubmission(deps.db, principal, params.submissionId),
        deps.uploads.offsetOf,
      ),
  }),
];
