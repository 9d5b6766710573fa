/**
 * HTTP Range requests (RFC 9110 §14) for recordings, so that <video> can seek: the one Range
 * implementation behind both the loopback host's /media/ route (src/main/serve) and the Electron
 * `rehearse-media:` protocol (src/main/electron/media-protocol.ts). Pure; unit-tested in
 * tests/unit/main/electron/media-range.test.ts.
 */

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
