/**
 * Resumable recording uploads (tus 1.0.0) with @tus/server and a @tus/file-store folder on disk, so
 * an upload survives a server restart. routes/upload-routes.ts authenticates and authorises every request
 * before it reaches `handle`; the hooks here tie uploads to submissions:
 *
 * - creation records the upload's id on the submission (an earlier unfinished upload is dropped);
 * - the last byte triggers a sha256 of the file: a match moves it into RecordingStorage and the
 *   submission becomes `submitted`; a mismatch deletes the upload, leaves the submission
 *   `awaiting-recording`, logs the refusal and fails the final PATCH with 422 CHECKSUM_MISMATCH;
 * - a failure while storing a matching file (a full disk) fails that PATCH with 500 and keeps the
 *   upload: @tus/server runs onUploadFinish on every PATCH that leaves the offset at the length, so
 *   the app's empty PATCH at the final offset retries acceptance (see docs/sync.md).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileStore } from '@tus/file-store';
import { Server as TusServer } from '@tus/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { SUBMISSION_UPLOAD_PATH } from '../../shared/sync/protocol';
import type { ServerDatabase, SubmissionRow } from '../db/schema';
import { AppError } from '../../shared/errors';
import { recordIntegrationEvent } from '../submissions/submission-events';
import type { RecordingStorage } from '../storage/recording-storage';

export interface RecordingUploads {
  /** Hands an authorised request to the tus server; fastify's reply is hijacked. */
  handle(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Bytes received so far; 0 when the upload is gone. */
  offsetOf(uploadId: string): Promise<number>;
  /** The largest recording accepted, in bytes. */
  readonly maxBytes: number;
}

/**
 * How a hook's refusal becomes tus's answer (status and our usual JSON body), logged when the
 * request is given. The HTTP layer supplies it (http/error-handling.ts `tusRefusal`), so this
 * module throws AppError and never picks a status.
 */
export type TusRefusal = (error: AppError, request?: FastifyRequest) => { status_code: number; body: string };

export interface RecordingUploadsOptions {
  db: Kysely<ServerDatabase>;
  storage: RecordingStorage;
  /** The tus file store's folder (upload bytes plus a `.json` of each upload's state). */
  directory: string;
  maxBytes: number;
  now(): Date;
  refusal: TusRefusal;
}

/** Where a received recording lives in RecordingStorage. */
export function recordingStorageKey(row: Pick<SubmissionRow, 'partner_org_id' | 'id'>): string {
  return `${row.partner_org_id}/${row.id}/recording`;
}

async function sha256OfStream(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(stream, hash);
  return hash.digest('hex');
}

/**
 * FileStore's constructor starts an unawaited `fs.mkdir` whose callback throws on failure, an
 * uncaught exception if the folder vanishes meanwhile (a test's temp folder, an operator's rm).
 * The folder is created synchronously before construction instead.
 */
class PreparedFileStore extends FileStore {}
Object.defineProperty(PreparedFileStore.prototype, 'checkOrCreateDirectory', { value: () => undefined });

export function createRecordingUploads(options: RecordingUploadsOptions): RecordingUploads {
  const { db, storage, refusal } = options;
  fs.mkdirSync(options.directory, { recursive: true });
  const store = new PreparedFileStore({ directory: options.directory });
  /** The fastify request behind each raw request, for the hooks' log lines. */
  const requests = new WeakMap<object, FastifyRequest>();
  const fastifyRequestOf = (req: { runtime?: { node?: { req: object } } }) => {
    const raw = req.runtime?.node?.req;
    return raw ? requests.get(raw) : undefined;
  };

  async function discardUpload(uploadId: string): Promise<void> {
    await store.remove(uploadId).catch(() => undefined);
  }

  async function acceptRecording(row: SubmissionRow, uploadId: string): Promise<void> {
    const key = recordingStorageKey(row);
    await storage.write(key, store.read(uploadId));
    const at = options.now().toISOString();
    await db.transaction().execute(async (trx) => {
      const moved = await trx
        .updateTable('submissions')
        .set({ status: 'submitted', recording_storage_key: key, recording_upload_id: null, updated_at: at })
        .where('id', '=', row.id)
        .where('recording_upload_id', '=', uploadId)
        .executeTakeFirst();
      if (moved.numUpdatedRows === 1n) await recordIntegrationEvent(trx, 'attempt.submitted', row.id, at);
    });
    await discardUpload(uploadId);
  }

  async function refuseRecording(row: SubmissionRow, uploadId: string): Promise<void> {
    await discardUpload(uploadId);
    await db
      .updateTable('submissions')
      .set({ recording_upload_id: null, updated_at: options.now().toISOString() })
      .where('id', '=', row.id)
      .where('recording_upload_id', '=', uploadId)
      .execute();
  }

  const tus = new TusServer({
    path: SUBMISSION_UPLOAD_PATH.replace(/\/$/, ''),
    datastore: store,
    relativeLocation: true,
    maxSize: options.maxBytes,
    // The app uploads from Node (tus-js-client in the core), never from a web page: no origin may
    // read these answers (tus would otherwise send Access-Control-Allow-Origin: *).
    allowedOrigins: () => false,
    allowedCredentials: false,
    async onUploadCreate(_req, upload) {
      const submissionId = upload.metadata?.submissionId;
      if (!submissionId) throw refusal(new AppError('INVALID_INPUT', 'submissionId metadata missing'));
      const previous = await db
        .selectFrom('submissions')
        .select('recording_upload_id')
        .where('id', '=', submissionId)
        .executeTakeFirstOrThrow();
      await db
        .updateTable('submissions')
        .set({ recording_upload_id: upload.id, updated_at: options.now().toISOString() })
        .where('id', '=', submissionId)
        .where('status', '=', 'awaiting-recording')
        .execute();
      if (previous.recording_upload_id) await discardUpload(previous.recording_upload_id);
      return {};
    },
    async onUploadFinish(req, upload) {
      const request = fastifyRequestOf(req);
      const row = await db
        .selectFrom('submissions')
        .selectAll()
        .where('recording_upload_id', '=', upload.id)
        .executeTakeFirst();
      if (!row) {
        await discardUpload(upload.id);
        throw refusal(new AppError('NOT_FOUND', 'This upload no longer belongs to a submission'));
      }
      const actual = await sha256OfStream(store.read(upload.id));
      if (actual !== row.recording_sha256) {
        await refuseRecording(row, upload.id);
        const error = new AppError(
          'CHECKSUM_MISMATCH',
          'The uploaded recording does not match the sha256 in the manifest; it was discarded, upload it again',
          {
            reason: `recording of submission ${row.id}: sha256 ${actual}, manifest says ${row.recording_sha256}`,
          },
        );
        throw refusal(error, request);
      }
      await acceptRecording(row, upload.id);
      request?.log.info({ submissionId: row.id, bytes: upload.size }, 'recording received');
      return {};
    },
  });

  return {
    maxBytes: options.maxBytes,
    async handle(request, reply) {
      requests.set(request.raw, request);
      reply.hijack();
      await tus.handle(request.raw, reply.raw);
    },
    async offsetOf(uploadId) {
      try {
        return (await store.getUpload(uploadId)).offset;
      } catch {
        return 0;
      }
    },
  };
}
