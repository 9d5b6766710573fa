/**
 * Uploads one recording file with tus (resumable): a stored upload URL resumes where the server
 * stopped; otherwise a new upload is created at the endpoint. tus-js-client's own retries are off:
 * the outbox worker owns retrying (with backoff that outlives the process).
 */
import { createReadStream } from 'node:fs';
import { DetailedError, Upload } from 'tus-js-client';
import type { AppError } from '../../../shared/errors';
import { refusalMessage, type FetchLike } from './server-api';
import { answerError, unreachable } from './sync-errors';

export interface TusUploadOptions {
  file: string;
  bytes: number;
  endpoint: string;
  /** Resume this upload instead of creating one. */
  uploadUrl: string | null;
  token: string;
  submissionId: string;
  chunkSize: number;
  /** Called once the server has created the upload (persist it before sending bytes matters). */
  onUploadUrl(url: string): void;
  onProgress(bytesSent: number, bytesTotal: number): void;
}

export interface RunningUpload {
  /** Resolves when every byte is on the server; rejects with an AppError (sync-errors.ts) or AbortedUpload. */
  done: Promise<void>;
  /** Stops sending; the server keeps what it has, and the stored URL resumes it later. */
  abort(): Promise<void>;
  /** The upload's absolute URL once the server has created it (or the one resumed). */
  url(): string | null;
}

export class AbortedUpload extends Error {
  constructor() {
    super('upload stopped');
    this.name = 'AbortedUpload';
  }
}

function toSyncError(error: Error): AppError {
  if (error instanceof DetailedError && error.originalResponse) {
    const response = error.originalResponse;
    const status = response.getStatus();
    // 409 (offset moved, e.g. the tail of a PATCH cut short by a quit arrived late) and 423 (the
    // upload is locked by that older request) clear up on their own: the next try asks the offset anew.
    return answerError(status, refusalMessage(status, response.getBody()), {
      cause: error,
      retryAfter: response.getHeader('Retry-After') ?? null,
      ...((status === 409 || status === 423) && { code: 'UNAVAILABLE' as const }),
    });
  }
  return unreachable(`The upload was interrupted (${error.message})`, error);
}

export function startTusUpload(options: TusUploadOptions): RunningUpload {
  let aborted = false;
  let reject: (error: Error) => void = () => undefined;
  let resolve: () => void = () => undefined;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  let announced = options.uploadUrl;
  // tus-js-client reads an fs.ReadStream that has a path as a seekable file (so it can resume at
  // any offset); its types only list browser inputs, hence the cast.
  const stream = createReadStream(options.file);
  stream.on('error', () => undefined); // a missing file surfaces through the upload's onError
  const source = stream as unknown as Buffer;
  const upload = new Upload(source, {
    endpoint: options.endpoint,
    uploadUrl: options.uploadUrl,
    uploadSize: options.bytes,
    chunkSize: options.chunkSize,
    retryDelays: null,
    storeFingerprintForResuming: false,
    removeFingerprintOnSuccess: false,
    metadata: { submissionId: options.submissionId },
    headers: { Authorization: `Bearer ${options.token}` },
    onUploadUrlAvailable: () => {
      if (upload.url && upload.url !== announced) {
        announced = upload.url;
        options.onUploadUrl(upload.url);
      }
    },
    onProgress: (sent, total) => options.onProgress(sent, total),
    onSuccess: () => resolve(),
    onError: (error) => reject(aborted ? new AbortedUpload() : toSyncError(error)),
  });
  upload.start();
  return {
    done,
    url: () => (upload.url ? new URL(upload.url, options.endpoint).toString() : null),
    async abort() {
      if (aborted) return;
      aborted = true;
      await upload.abort(false).catch(() => undefined);
      reject(new AbortedUpload());
    },
  };
}

const FINISH_TIMEOUT_MS = 60_000;

/**
 * Sends an empty PATCH at the final offset of an upload whose bytes are all on the server: tus
 * servers run their end-of-upload step (here: checksum and moving the file into storage) on every
 * PATCH that leaves the offset at the length, so this asks the server to accept the recording
 * again after that step failed (a full disk, say). Throws an AppError (sync-errors.ts) when it is refused.
 */
export async function finishTusUpload(
  fetchImpl: FetchLike,
  input: { uploadUrl: string; token: string; bytes: number; signal?: AbortSignal },
): Promise<void> {
  const signals = [AbortSignal.timeout(FINISH_TIMEOUT_MS), ...(input.signal ? [input.signal] : [])];
  let response: Response;
  try {
    response = await fetchImpl(input.uploadUrl, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${input.token}`,
        'tus-resumable': '1.0.0',
        'upload-offset': String(input.bytes),
        'content-type': 'application/offset+octet-stream',
      },
      body: new Uint8Array(0),
      signal: AbortSignal.any(signals),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw unreachable(`Could not reach the server (${reason})`, error);
  }
  const body = await response.text().catch(() => '');
  if (response.status !== 204 && response.status !== 200)
    throw answerError(response.status, refusalMessage(response.status, body), {
      retryAfter: response.headers.get('retry-after'),
    });
}
