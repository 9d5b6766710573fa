/**
 * The pure parts of the `rehearse-media://recording/<recordingId>` protocol (the Electron handler is
 * src/main/electron/media-protocol.ts): the URL and the status for a failed lookup. Range handling
 * (shared with the loopback host) lives in src/main/core/recordings/byte-range.ts and the folder
 * check in recording-files.ts; both are re-exported here. No Electron import; unit-tested in tests/unit/main/electron/media-range.test.ts.
 */
import type { ErrorCode } from '../../shared/errors';

export {
  parseRange,
  planMediaResponse,
  type ByteRange,
  type MediaResponsePlan,
  type RangeRequest,
} from '../core/recordings/byte-range';
export { isInsideFolder } from '../core/recordings/recording-files';

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
