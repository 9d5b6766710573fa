/** Small pure helpers for resumable HTTP downloads (RFC 9110 ranges). */

export interface ContentRange {
  /** First byte of the part sent, or null for an unsatisfied-range answer (`bytes *` over the total). */
  start: number | null;
  end: number | null;
  /** Full length of the resource, or null when the server wrote `*`. */
  total: number | null;
}

/** Parses `Content-Range: bytes 100-199/1000`, `bytes 100-199/*` or the unsatisfied form (star, slash, total); null if malformed. */
export function parseContentRange(header: string | null | undefined): ContentRange | null {
  if (!header) return null;
  const match = /^\s*bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)\s*$/i.exec(header);
  if (!match) return null;
  const [, start, end, total] = match;
  const range: ContentRange = {
    start: start === undefined ? null : Number(start),
    end: end === undefined ? null : Number(end),
    total: total === undefined || total === '*' ? null : Number(total),
  };
  if (range.start !== null && range.end !== null && range.end < range.start) return null;
  return range;
}

/** The `Range` header asking for everything from `offset` on. */
export function rangeFrom(offset: number): string {
  return `bytes=${offset}-`;
}

/** Statuses worth retrying: timeouts, rate limits and server-side failures. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** Delay before retry number `attempt` (0-based): exponential, capped. */
export function backoffDelay(attempt: number, baseMs: number, capMs = 30_000): number {
  return Math.min(capMs, baseMs * 2 ** attempt);
}
