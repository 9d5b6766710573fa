/**
 * The tus endpoint under SUBMISSION_UPLOAD_PATH, mounted beside the route table: tus speaks its own
 * headers and raw bodies, so it gets a fastify scope whose content-type parser leaves the body
 * unread, and the reply is hijacked for @tus/server. Before that, every request (OPTIONS aside)
 * is checked here and refused with our usual JSON errors and log lines:
 *
 * - the caller is a partner's paired device (`Authorization: Bearer rhd_…`);
 * - creation (POST): `Upload-Metadata` names a submission of that partner which awaits its
 *   recording, and `Upload-Length` equals the manifest's bytes and stays under the server's limit;
 * - HEAD and PATCH: the upload belongs to one of that partner's submissions.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SUBMISSION_UPLOAD_PATH } from '../../shared/sync/protocol';
import { authenticate } from '../http/authenticate';
import { conflict, forbidden, HttpError, notFound, unprocessable } from '../http/http-error';
import type { ServerDeps } from '../http/server-deps';
import type { Principal } from '../identity/principal';
import { findOwnSubmission } from '../submissions/partner-submissions';
import { recordingBytesOf } from '../submissions/submission-view';
import { parseUploadMetadata } from './upload-metadata';
import type { RecordingUploads } from './recording-uploads';

const invalid = (message: string) => new HttpError(400, 'INVALID_INPUT', message);

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

async function authoriseCreation(
  request: FastifyRequest,
  principal: Principal,
  deps: ServerDeps,
  maxBytes: number,
): Promise<void> {
  if (header(request, 'upload-defer-length') !== undefined || header(request, 'upload-concat') !== undefined)
    throw invalid('Declare the recording’s size with Upload-Length');
  const lengthHeader = header(request, 'upload-length');
  if (lengthHeader === undefined || !/^\d{1,16}$/.test(lengthHeader))
    throw invalid('Upload-Length must be the recording’s size in bytes');
  const metadata = parseUploadMetadata(header(request, 'upload-metadata'));
  if (!metadata) throw invalid('Upload-Metadata is malformed');
  const submissionId = metadata.submissionId;
  if (!submissionId) throw invalid('Upload-Metadata must carry submissionId');
  const row = await findOwnSubmission(deps.db, principal, submissionId);
  if (row.status !== 'awaiting-recording')
    throw conflict(
      `Submission ${row.id} is not waiting for a recording (it is ${row.status})`,
      `upload for submission ${row.id} in status ${row.status}`,
    );
  const declared = Number(lengthHeader);
  if (declared > maxBytes)
    throw new HttpError(413, 'INVALID_INPUT', `Recordings may be at most ${maxBytes} bytes`, {
      reason: `upload of ${declared} bytes over the ${maxBytes}-byte limit`,
    });
  const expected = recordingBytesOf(row);
  if (declared !== expected)
    throw unprocessable(
      `Upload-Length ${declared} differs from the manifest’s ${expected} bytes`,
      `upload length ${declared} for submission ${row.id}, manifest says ${expected}`,
    );
}

async function authoriseTransfer(
  request: FastifyRequest,
  principal: Principal,
  deps: ServerDeps,
  uploadId: string,
): Promise<void> {
  if (uploadId === '') throw notFound('Name an upload: ' + SUBMISSION_UPLOAD_PATH + '<id>');
  const row = await deps.db
    .selectFrom('submissions')
    .select(['id', 'partner_user_id'])
    .where('recording_upload_id', '=', uploadId)
    .executeTakeFirst();
  if (!row || row.partner_user_id !== principal.user.id)
    throw notFound(
      'No such upload',
      row ? `upload ${uploadId} belongs to another user` : `no submission has upload ${uploadId}`,
    );
  request.log.debug({ submissionId: row.id, uploadId }, 'upload request authorised');
}

export function registerUploadRoutes(
  app: FastifyInstance,
  deps: ServerDeps,
  uploads: RecordingUploads,
  maxBytes: number,
): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    scope.route({
      method: ['OPTIONS', 'HEAD', 'POST', 'PATCH'],
      url: `${SUBMISSION_UPLOAD_PATH}*`,
      handler: async (request, reply) => {
        if (request.method !== 'OPTIONS') {
          const principal = await authenticate(request, 'device', deps);
          request.principalUserId = principal.user.id;
          if (principal.user.role !== 'partner')
            throw forbidden('Only partners upload recordings', `role ${principal.user.role} on tus upload`);
          const uploadId = (request.params as { '*': string })['*'];
          if (request.method === 'POST') {
            if (uploadId !== '') throw notFound('Create uploads at ' + SUBMISSION_UPLOAD_PATH);
            await authoriseCreation(request, principal, deps, maxBytes);
          } else await authoriseTransfer(request, principal, deps, uploadId);
        }
        await uploads.handle(request, reply);
      },
    });
  });
}
