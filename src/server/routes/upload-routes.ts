/**
 * The tus endpoint under SUBMISSION_UPLOAD_PATH, in the route table like every other route (so it
 * is in /openapi.json): tus speaks its own headers and raw bodies, so these entries carry
 * `rawBody` (registerRoutes gives them a scope whose content-type parser leaves the body unread)
 * and the handler hands the request to @tus/server, which hijacks the reply. Before that, every
 * request (OPTIONS aside) is checked here and refused with our usual JSON errors and log lines:
 *
 * - the caller is a partner's paired device (`Authorization: Bearer rhd_…`);
 * - creation (POST): `Upload-Metadata` names a submission of that partner which awaits its
 *   recording, and `Upload-Length` equals the manifest's bytes and stays under the server's limit;
 * - HEAD and PATCH: the upload belongs to one of that partner's submissions.
 */
import type { FastifyRequest } from 'fastify';
import { SUBMISSION_UPLOAD_PATH } from '../../shared/sync/protocol';
import { conflict, invalidInput, notFound, unprocessable } from '../errors';
import { HttpStatusError } from '../http/error-status';
import { setSecurityHeaders } from '../http/response-headers';
import { defineRoute, type AnyRouteSpec, type RouteContext } from '../http/route-spec';
import type { ServerDeps } from '../http/server-deps';
import type { Principal } from '../identity/principal';
import { findOwnSubmission, findUploadSubmission } from '../submissions/partner-submissions';
import { recordingBytesOf } from '../submissions/submission-view';
import { parseUploadMetadata } from '../uploads/upload-metadata';

const invalid = (message: string) => invalidInput(message);

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
    throw new HttpStatusError(413, 'INVALID_INPUT', `Recordings may be at most ${maxBytes} bytes`, {
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
  const row = await findUploadSubmission(deps.db, uploadId);
  if (!row || row.partnerUserId !== principal.user.id)
    throw notFound(
      'No such upload',
      row ? `upload ${uploadId} belongs to another user` : `no submission has upload ${uploadId}`,
    );
  request.log.debug({ submissionId: row.id, uploadId }, 'upload request authorised');
}

const uploadPath = `${SUBMISSION_UPLOAD_PATH}:uploadId`;

async function passToTus({ request, reply, deps }: RouteContext<unknown, unknown, 'none' | 'device'>) {
  // tus writes the raw response itself, so the headers every API answer carries go on it first.
  setSecurityHeaders(reply.raw);
  await deps.uploads.handle(request, reply);
}

async function transfer(ctx: RouteContext<unknown, unknown, 'device'>) {
  const { uploadId } = ctx.request.params as { uploadId: string };
  await authoriseTransfer(ctx.request, ctx.principal, ctx.deps, uploadId);
  await passToTus(ctx);
}

const tusResponse = (status: 200 | 201 | 204, description: string) => ({
  status,
  description: `${description} (tus 1.0.0; the answer is tus's own headers, not JSON)`,
});

const tusOptions = (url: string) =>
  defineRoute({
    method: 'OPTIONS',
    url,
    summary: 'tus capabilities: Tus-Version, Tus-Extension, Tus-Max-Size',
    tag: 'uploads',
    auth: 'none',
    rawBody: {},
    response: tusResponse(204, 'The server’s tus capabilities'),
    handler: passToTus,
  });

export const uploadRoutes: readonly AnyRouteSpec[] = [
  tusOptions(SUBMISSION_UPLOAD_PATH),
  tusOptions(uploadPath),
  defineRoute({
    method: 'POST',
    url: SUBMISSION_UPLOAD_PATH,
    summary:
      'Begins a submission’s recording upload: Upload-Length (the manifest’s bytes), Upload-Metadata with submissionId',
    tag: 'uploads',
    auth: 'device',
    roles: ['partner'],
    rawBody: {},
    response: {
      ...tusResponse(201, 'Upload created; Location names it'),
      alternatives: {
        409: 'The submission is not waiting for a recording',
        413: 'Over the size limit',
        422: 'Upload-Length differs from the manifest',
      },
    },
    handler: async (ctx) => {
      await authoriseCreation(ctx.request, ctx.principal, ctx.deps, ctx.deps.uploads.maxBytes);
      await passToTus(ctx);
    },
  }),
  defineRoute({
    method: 'HEAD',
    url: uploadPath,
    summary: 'How many bytes of an upload the server has (Upload-Offset)',
    tag: 'uploads',
    auth: 'device',
    roles: ['partner'],
    rawBody: {},
    response: tusResponse(200, 'Upload-Offset and Upload-Length'),
    handler: transfer,
  }),
  defineRoute({
    method: 'PATCH',
    url: uploadPath,
    summary: 'Appends bytes at Upload-Offset; the last byte checks the sha256 against the manifest',
    tag: 'uploads',
    auth: 'device',
    roles: ['partner'],
    rawBody: { contentType: 'application/offset+octet-stream' },
    response: {
      ...tusResponse(204, 'Bytes stored; the new Upload-Offset'),
      alternatives: {
        422: 'The complete recording does not match the manifest’s sha256 (CHECKSUM_MISMATCH)',
      },
    },
    handler: transfer,
  }),
];
