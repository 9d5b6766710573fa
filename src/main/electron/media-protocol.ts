/**
 * `rehearse-media://recording/<recordingId>`: plays stored recordings in <video>/<audio> with
 * seeking (HTTP Range). The core (in its utility process) resolves the id to a file with
 * `store.recordings.resolvePath`, which refuses anything outside the recordings folder; main then
 * opens the file once with `openFileInside` (no symbolic link followed, a regular file inside the
 * real recordings folder, checked on the open descriptor) and streams that descriptor, so nothing can
 * be swapped in between. The Range logic is shared with the loopback host (core/recordings/byte-range).
 * The scheme is registered as privileged, with `rehearse-app`, by ./app-protocol.ts.
 */
import { protocol } from 'electron';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ApiResult } from '../../shared/api/contract';
import { isAppError } from '../../shared/errors';
import { openFileInside, type OpenedFile } from '../core/recordings/recording-files';
import { createLogger } from '../core/util/logger';
import type { MediaFile } from './core-channel';
import { MEDIA_SCHEME, parseMediaUrl, planMediaResponse, statusForError } from './media-range';

const log = createLogger('media-protocol');

const empty = (status: number, headers?: Record<string, string>) => new Response(null, { status, headers });

/**
 * Registers the handler on the default session. `lookUp` asks the core (see core-channel's
 * `media`); `recordingsRoot` is the recordings folder of the data folder main handed to the core.
 */
export function handleMediaProtocol(
  lookUp: (recordingId: string) => Promise<ApiResult<MediaFile>>,
  recordingsRoot: string,
): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return empty(405, { allow: 'GET, HEAD' });
    const target = parseMediaUrl(request.url);
    if (!target) return empty(404);

    const found = await lookUp(target.recordingId);
    if (!found.ok) return empty(statusForError(found.error.code));

    let opened: OpenedFile;
    try {
      opened = await openFileInside(recordingsRoot, path.relative(recordingsRoot, found.value.path));
    } catch (error) {
      if (isAppError(error) && error.code === 'FORBIDDEN') {
        log.warn('refused a recording path outside the recordings folder', {
          recordingId: target.recordingId,
        });
        return empty(403);
      }
      return empty(404);
    }
    const { handle, size } = opened;

    const plan = planMediaResponse(request.headers.get('range'), size, found.value.mime);
    if (request.method === 'HEAD' || !plan.range) {
      await handle.close();
      return empty(plan.status, plan.headers);
    }
    const stream = handle.createReadStream({ start: plan.range.start, end: plan.range.end });
    // Node's web ReadableStream and the DOM lib's are the same object at runtime, different types.
    const body = Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
    return new Response(body, { status: plan.status, headers: plan.headers });
  });
}
