/**
 * Where the server keeps recording files. Keys are relative, slash-separated names such as
 * `<orgId>/<submissionId>/video.webm`; an implementation stores bytes under a key and hands them
 * back. The disk store is the default; an S3-compatible store can implement the same interface.
 */
import type { Readable } from 'node:stream';

export interface StoredObject {
  key: string;
  bytes: number;
}

export interface ByteRange {
  start: number;
  end: number;
}

export interface RecordingStorage {
  /** Writes the whole object; readers never see a half-written one. Replaces an existing key. */
  write(key: string, source: Readable | Uint8Array): Promise<StoredObject>;
  /** Null when there is no such key. */
  stat(key: string): Promise<StoredObject | null>;
  /** Throws NOT_FOUND when there is no such key. `range` is inclusive on both ends, in bytes. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** Removing a missing key is not an error. */
  remove(key: string): Promise<void>;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A key is 1–8 segments of letters, digits, dot, dash and underscore, none starting with a dot. */
export function isValidStorageKey(key: string): boolean {
  const segments = key.split('/');
  return segments.length >= 1 && segments.length <= 8 && segments.every((s) => SEGMENT.test(s));
}
