import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export interface HashProgress {
  hashedBytes: number;
  totalBytes: number;
}

export interface HashFileOptions {
  signal?: AbortSignal;
  onProgress?: (progress: HashProgress) => void;
  /** Minimum milliseconds between progress calls (the last one always comes). */
  progressIntervalMs?: number;
}

/** Streams a file into `hash` (which the caller may keep feeding) and returns the bytes read. */
export async function feedFile(hash: Hash, path: string, options: HashFileOptions = {}): Promise<number> {
  const { size } = await stat(path);
  const interval = options.progressIntervalMs ?? 100;
  let hashed = 0;
  let lastReport = 0;
  const stream = createReadStream(path, { highWaterMark: 1 << 20, signal: options.signal });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    hashed += chunk.length;
    const now = Date.now();
    if (options.onProgress && now - lastReport >= interval) {
      lastReport = now;
      options.onProgress({ hashedBytes: hashed, totalBytes: size });
    }
  }
  options.onProgress?.({ hashedBytes: hashed, totalBytes: Math.max(size, hashed) });
  return hashed;
}

/** SHA-256 (lower-case hex) and size of a whole file. */
export async function hashFile(
  path: string,
  options: HashFileOptions = {},
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  const bytes = await feedFile(hash, path, options);
  return { sha256: hash.digest('hex'), bytes };
}
