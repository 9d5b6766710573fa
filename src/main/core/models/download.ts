/**
 * A resumable, hashing download of one URL into a `.part` file, with Node's global fetch.
 *
 * - An existing `.part` is hashed first, then the rest is asked for with `Range: bytes=N-`.
 *   206 appends; 200 (a server that ignores Range) truncates and starts over; 416 means the part is
 *   already complete (its size equals the total) or stale (deleted, start over).
 * - Network errors, stalls and 408/429/5xx answers are retried with exponential backoff, each retry
 *   resuming from what reached the disk. Other HTTP errors fail at once.
 * - Cancelling (AbortSignal) and a full disk keep the `.part` for a later resume.
 * The caller verifies the digest and renames the part into place.
 */
import { createHash, type Hash } from 'node:crypto';
import { open, rm, stat, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, isAppError } from '../../../shared/errors';
import { createLogger } from '../util/logger';
import { feedFile } from './file-hash';
import { backoffDelay, isTransientStatus, parseContentRange, rangeFrom } from './http-range';

const log = createLogger('models');

export interface DownloadProgress {
  receivedBytes: number;
  /** Expected size, or null when neither the catalog nor the server says. */
  totalBytes: number | null;
  bytesPerSecond: number;
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 1_000, maxDelayMs: 30_000 };

export interface DownloadOptions {
  url: string;
  partPath: string;
  /** Pinned size; a server offering another size is refused, and more bytes than this abort. */
  expectedBytes: number | null;
  /** Used in messages (a model name). */
  label: string;
  /** Hint attached to DOWNLOAD_FAILED. */
  failureHint: string;
  fetch: typeof fetch;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  retry?: RetryPolicy;
  /** An attempt that receives nothing for this long is dropped and retried. */
  idleTimeoutMs?: number;
  progressIntervalMs?: number;
}

export interface DownloadResult {
  sha256: string;
  bytes: number;
  /** Bytes already in the `.part` when the last attempt started (0 for a fresh download). */
  resumedFrom: number;
  /** HTTP requests made (a part that was already complete makes none). */
  requests: number;
}

/** A failure worth another attempt. */
class RetryableError extends Error {}

export async function downloadResumable(options: DownloadOptions): Promise<DownloadResult> {
  const retry = options.retry ?? DEFAULT_RETRY;
  const state = { requests: 0 };
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptOnce(options, state);
    } catch (raw) {
      const error = classify(raw, options);
      if (!(error instanceof RetryableError)) throw error;
      if (attempt >= retry.retries) {
        throw new AppError(
          'DOWNLOAD_FAILED',
          `Downloading ${options.label} failed after ${attempt + 1} attempts: ${error.message}`,
          { hint: options.failureHint, cause: raw },
        );
      }
      const delay = backoffDelay(attempt, retry.baseDelayMs, retry.maxDelayMs);
      log.warn('download attempt failed; retrying', {
        model: options.label,
        attempt: attempt + 1,
        delay,
        error: error.message,
      });
      try {
        await sleep(delay, undefined, { signal: options.signal });
      } catch {
        throw cancelled(options.label);
      }
    }
  }
}

async function attemptOnce(options: DownloadOptions, state: { requests: number }): Promise<DownloadResult> {
  const { partPath, expectedBytes } = options;
  let offset = await sizeOf(partPath);
  if (expectedBytes !== null && offset > expectedBytes) {
    log.warn('partial download is larger than the model; starting over', { model: options.label, offset });
    await rm(partPath, { force: true });
    offset = 0;
  }

  let hash = createHash('sha256');
  const progress = progressReporter(options, offset);
  if (offset > 0) {
    await feedFile(hash, partPath, { signal: options.signal });
    progress.report(offset, true);
  }
  if (expectedBytes !== null && offset === expectedBytes) {
    return finish(hash, partPath, offset, offset, state);
  }

  const controller = new AbortController();
  const onUserAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onUserAbort, { once: true });
  const idle = idleWatchdog(controller, options.idleTimeoutMs ?? 60_000);
  try {
    const headers: Record<string, string> = { 'accept-encoding': 'identity' };
    if (offset > 0) headers.range = rangeFrom(offset);
    state.requests++;
    const response = await options.fetch(options.url, {
      headers,
      signal: controller.signal,
      redirect: 'follow',
    });
    idle.reset();

    if (response.status === 416 && offset > 0) {
      await response.body?.cancel().catch(() => undefined);
      const range = parseContentRange(response.headers.get('content-range'));
      if (range?.total === offset) return await finish(hash, partPath, offset, offset, state);
      await rm(partPath, { force: true });
      throw new RetryableError(`the server refused to resume at byte ${offset} (HTTP 416); starting over`);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const what = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} from ${options.url}`;
      if (isTransientStatus(response.status)) throw new RetryableError(what);
      throw new AppError('DOWNLOAD_FAILED', `Downloading ${options.label} failed: ${what}`, {
        hint: options.failureHint,
      });
    }
    if (!response.body) throw new RetryableError(`empty response from ${options.url}`);

    let total: number | null;
    if (response.status === 206 && offset > 0) {
      const range = parseContentRange(response.headers.get('content-range'));
      if (range?.start !== offset) {
        await response.body.cancel().catch(() => undefined);
        await rm(partPath, { force: true });
        throw new RetryableError(
          `the server resumed at the wrong byte (${range?.start ?? 'unknown'} for ${offset}); starting over`,
        );
      }
      total = range.total;
    } else {
      if (offset > 0) {
        log.info('the server ignored the Range request; downloading from the start', {
          model: options.label,
        });
        hash = createHash('sha256');
        offset = 0;
        progress.restart();
      }
      total = lengthOf(response.headers.get('content-length'));
    }
    if (expectedBytes !== null && total !== null && total !== expectedBytes) {
      await response.body.cancel().catch(() => undefined);
      await rm(partPath, { force: true });
      throw new AppError(
        'CHECKSUM_MISMATCH',
        `The server offers ${total} bytes for ${options.label}; the pinned size is ${expectedBytes}`,
        {
          hint: 'The file upstream changed or the URL is wrong; update the catalog entry or place a trusted copy in the models folder.',
        },
      );
    }
    progress.setTotal(expectedBytes ?? total);

    // Each chunk is written before it is hashed, so the part on disk and the digest always agree,
    // whatever interrupts the stream (a reset connection, a cancel, a full disk).
    let received = offset;
    const handle = await open(partPath, offset > 0 ? 'a' : 'w');
    try {
      const body = Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>);
      for await (const chunk of body as AsyncIterable<Buffer>) {
        idle.reset();
        if (expectedBytes !== null && received + chunk.length > expectedBytes) {
          throw oversize(options.label, expectedBytes);
        }
        await writeAll(handle, chunk);
        hash.update(chunk);
        received += chunk.length;
        progress.report(received);
      }
    } finally {
      await handle.close();
    }
    if (total !== null && received < total) {
      throw new RetryableError(`the connection closed after ${received} of ${total} bytes`);
    }
    progress.report(received, true);
    return await finish(hash, partPath, received, offset, state);
  } catch (error) {
    if (idle.fired && !options.signal?.aborted) {
      throw new RetryableError(`no data for ${Math.round((options.idleTimeoutMs ?? 60_000) / 1000)} s`);
    }
    throw error;
  } finally {
    idle.stop();
    options.signal?.removeEventListener('abort', onUserAbort);
  }
}

async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  let written = 0;
  while (written < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, written, chunk.length - written);
    written += bytesWritten;
  }
}

async function finish(
  hash: Hash,
  partPath: string,
  bytes: number,
  resumedFrom: number,
  state: { requests: number },
): Promise<DownloadResult> {
  const handle = await open(partPath, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { sha256: hash.digest('hex'), bytes, resumedFrom, requests: state.requests };
}

/** Maps anything thrown by an attempt onto an AppError, or a RetryableError to try again. */
function classify(error: unknown, options: DownloadOptions): AppError | RetryableError {
  if (options.signal?.aborted) return cancelled(options.label);
  if (isAppError(error) || error instanceof RetryableError) return error;
  const code = errnoCode(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new AppError('DISK_FULL', `The disk is full while downloading ${options.label}`, {
      hint: 'Free some space and run the install again; it resumes where it stopped.',
      cause: error,
    });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new AppError('DATA_DIR_UNWRITABLE', `Cannot write ${options.partPath}: ${code}`, {
      hint: 'Make the models folder writable, or point REHEARSE_MODELS_DIR at one that is.',
      cause: error,
    });
  }
  return new RetryableError(describeNetworkError(error));
}

function cancelled(label: string): AppError {
  return new AppError('CANCELLED', `Downloading ${label} was cancelled`, {
    hint: 'Run the install again to resume from where it stopped.',
  });
}

function oversize(label: string, expected: number): AppError {
  return new AppError(
    'CHECKSUM_MISMATCH',
    `The server sent more than the pinned ${expected} bytes for ${label}`,
    {
      hint: 'The file upstream changed or the URL is wrong; update the catalog entry or place a trusted copy in the models folder.',
    },
  );
}

/** `fetch failed` and `terminated` hide the useful part in `cause`. */
function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = errnoCode(current);
    parts.push(code && !current.message.includes(code) ? `${current.message} (${code})` : current.message);
    current = current.cause;
  }
  return parts.length > 0 ? parts.join(': ') : String(error);
}

function errnoCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

function lengthOf(header: string | null): number | null {
  if (header === null || !/^\d+$/.test(header.trim())) return null;
  return Number(header.trim());
}

function progressReporter(options: DownloadOptions, startBytes: number) {
  const interval = options.progressIntervalMs ?? 100;
  let total: number | null = options.expectedBytes;
  let base = startBytes;
  let started = Date.now();
  let last = 0;
  return {
    setTotal(value: number | null) {
      total = value;
    },
    restart() {
      base = 0;
      started = Date.now();
    },
    report(receivedBytes: number, force = false) {
      if (!options.onProgress) return;
      const now = Date.now();
      if (!force && now - last < interval) return;
      last = now;
      const seconds = (now - started) / 1000;
      const bytesPerSecond = seconds > 0 ? Math.round((receivedBytes - base) / seconds) : 0;
      options.onProgress({ receivedBytes, totalBytes: total, bytesPerSecond: Math.max(0, bytesPerSecond) });
    },
  };
}

function idleWatchdog(controller: AbortController, timeoutMs: number) {
  let timer: NodeJS.Timeout | undefined;
  const watchdog = {
    fired: false,
    reset() {
      clearTimeout(timer);
      timer = setTimeout(() => {
        watchdog.fired = true;
        controller.abort(new Error(`no data for ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
    },
    stop() {
      clearTimeout(timer);
    },
  };
  watchdog.reset();
  return watchdog;
}
