/**
 * `rehearse-media://recording/<recordingId>`: plays stored recordings in <video>/<audio> with
 * seeking (HTTP Range). The core (in its utility process) resolves the id to a file with
 * `store.recordings.resolvePath`, which refuses anything outside the recordings folder; main checks
 * the real path once more before opening it. The parsing and header logic is in ./media-range.ts;
 * the scheme is registered as privileged, with `rehearse-app`, by ./app-protocol.ts.
 */
import { protocol } from 'electron';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { ApiResult } from '../../shared/api/contract';
import { createLogger } from '../core/util/logger';
import type { MediaFile } from './core-channel';
import {
  isInsideFolder,
  MEDIA_SCHEME,
  parseMediaUrl,
  planMediaResponse,
  statusForError,
} from './media-range';

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

    let file: string;
    let size: number;
    try {
      const [realRoot, realFile] = await Promise.all([
        fs.promises.realpath(recordingsRoot),
        fs.promises.realpath(found.value.path),
      ]);
      if (!isInsideFolder(realRoot, realFile)) {
        log.warn('refused a recording path outside the recordings folder', {
          recordingId: target.recordingId,
        });
        return empty(403);
      }
      const stat = await fs.promises.stat(realFile);
      if (!stat.isFile()) return empty(404);
      file = realFile;
      size = stat.size;
    } catch {
      return empty(404);
    }

    const plan = planMediaResponse(request.headers.get('range'), size, found.value.mime);
    if (request.method === 'HEAD' || !plan.range) return empty(plan.status, plan.headers);
    const stream = fs.createReadStream(file, plan.range);
    // Node's web ReadableStream and the DOM lib's are the same object at runtime, different types.
    const body = Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
    return new Response(body, { status: plan.status, headers: plan.headers });
  });
}
