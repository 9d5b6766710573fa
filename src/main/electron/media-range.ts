/**
 * The pure parts of the `rehearse-media://recording/<recordingId>` protocol (the Electron handler is
 * src/main/electron/media-protocol.ts): the URL, HTTP Range requests (RFC 9110 §14) so that <video>
 * can seek, the response status and headers, and the check that a file lies inside the recordings
 * folder. No Electron import; unit-tested in tests/unit/electron/media-range.test.ts.
 */
import path from 'node:path';
import type { ErrorCode } from '../../shared/errors';

export const MEDIA_SCHEME = 'rehearse-media';
const MEDIA_HOST = 'recording';

/** Recording ids are UUIDs; anything outside this alphabet is refused before the core is asked. */
const RECORDING_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;

/** The recording id of `rehearse-media://recording/<id>` (query and fragment ignored), else undefined. */
export function parseMediaUrl(url: string): { recordingId: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${MEDIA_SCHEME}:` || parsed.hostname.toLowerCase() !== MEDIA_HOST)
    return undefined;
  if (parsed.username || parsed.password || parsed.port) return undefined;
  const match = /^\/([^/]+)\/?$/.exec(parsed.pathname);
  if (!match?.[1]) return undefined;
  let recordingId: string;
  try {
    recordingId = decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
  return RECORDING_ID.test(recordingId) ? { recordingId } : undefined;
}

/** Byte positions, both inclusive (as in Content-Range). */
export interface ByteRange {
  start: number;
  end: number;
}

export type RangeRequest =
  /** No Range header, or one we ignore (malformed, several ranges, other unit): send everything. */
  | { kind: 'full' }
  | ({ kind: 'partial' } & ByteRange)
  /** Syntactically fine but outside the file: 416. */
  | { kind: 'unsatisfiable' };

const DIGITS = /^\d+$/;

/**
 * Reads a Range header against a file of `size` bytes. Only a single `bytes=` range is honoured
 * (`a-b`, `a-`, `-n`); a server may ignore a Range header (RFC 9110 §14.2), so malformed headers
 * and multi-range requests get the whole file. An end past the file is clamped to its last byte.
 */
export function parseRange(header: string | null | undefined, size: number): RangeRequest {
  if (header === null || header === undefined) return { kind: 'full' };
  const match = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!match) return { kind: 'full' };
  const spec = (match[1] ?? '').trim();
  if (spec.includes(',')) return { kind: 'full' };
  const dash = spec.indexOf('-');
  if (dash === -1) return { kind: 'full' };
  const first = spec.slice(0, dash).trim();
  const last = spec.slice(dash + 1).trim();

  if (first === '') {
    // suffix range: the last n bytes
    if (!DIGITS.test(last)) return { kind: 'full' };
    const length = Number(last);
    if (!Number.isSafeInteger(length)) return { kind: 'full' };
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 };
  }
  if (!DIGITS.test(first) || (last !== '' && !DIGITS.test(last))) return { kind: 'full' };
  const start = Number(first);
  const end = last === '' ? Infinity : Number(last);
  if (!Number.isSafeInteger(start) || (last !== '' && !Number.isSafeInteger(end))) return { kind: 'full' };
  if (end < start) return { kind: 'full' }; // invalid range-spec: ignore the header
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: Math.min(end, size - 1) };
}

export interface MediaResponsePlan {
  status: 200 | 206 | 416;
  headers: Record<string, string>;
  /** The bytes to send (inclusive); absent for 416 and for an empty file. */
  range?: ByteRange;
}

/** Status, headers and byte range of the response to a media request. */
export function planMediaResponse(
  rangeHeader: string | null | undefined,
  size: number,
  mime: string,
): MediaResponsePlan {
  const common = {
    'accept-ranges': 'bytes',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  const request = parseRange(rangeHeader, size);
  if (request.kind === 'unsatisfiable')
    return { status: 416, headers: { ...common, 'content-range': `bytes */${size}` } };
  const type = { 'content-type': mime };
  if (request.kind === 'full')
    return {
      status: 200,
      headers: { ...common, ...type, 'content-length': String(size) },
      ...(size > 0 ? { range: { start: 0, end: size - 1 } } : {}),
    };
  const { start, end } = request;
  return {
    status: 206,
    headers: {
      ...common,
      ...type,
      'content-length': String(end - start + 1),
      'content-range': `bytes ${start}-${end}/${size}`,
    },
    range: { start, end },
  };
}

/** The HTTP status for a failed lookup. */
export function statusForError(code: ErrorCode): number {
  switch (code) {
    case 'NOT_FOUND':
      return 404;
    case 'FORBIDDEN':
      return 403;
    case 'INVALID_INPUT':
      return 400;
    case 'TIMEOUT':
      return 504;
    case 'CANCELLED':
      return 503;
    default:
      return 500;
  }
}

type PathApi = Pick<typeof path, 'relative' | 'isAbsolute' | 'resolve' | 'sep'>;

/**
 * Whether `candidate` is strictly inside `folder` (not the folder itself). Both should already be
 * real paths (symbolic links resolved) when the question is about the file system. On Windows pass
 * `path.win32`: a path on another drive is never inside.
 */
export function isInsideFolder(folder: string, candidate: string, api: PathApi = path): boolean {
  const rel = api.relative(api.resolve(folder), api.resolve(candidate));
  if (rel === '' || api.isAbsolute(rel)) return false;
  return rel !== '..' && !rel.startsWith(`..${api.sep}`);
}
