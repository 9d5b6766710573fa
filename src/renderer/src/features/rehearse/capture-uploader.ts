/**
 * Sends recorded bytes to the core while recording, in order, one request at a time per track, so
 * nothing captured depends on the window staying open. A failed chunk is retried twice; after
 * that the uploader reports the error (the recording stops, what was stored is kept).
 */
import { call } from '../../lib/api';

export type TrackKind = 'video' | 'audio';

export interface CaptureUploader {
  push(kind: TrackKind, mime: string, data: Uint8Array): void;
  /** Resolves when every pushed chunk is stored; rejects with the first error. */
  drain(): Promise<void>;
  bytes(kind: TrackKind): number;
}

export function createCaptureUploader(attemptId: string, onError: (error: unknown) => void): CaptureUploader {
  const offsets: Record<TrackKind, number> = { video: 0, audio: 0 };
  let chain: Promise<void> = Promise.resolve();
  let failed: unknown = null;

  async function send(kind: TrackKind, mime: string, data: Uint8Array): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const { bytes } = await call('capture.append', {
          attemptId,
          kind,
          mime,
          offset: offsets[kind],
          data: data as Uint8Array<ArrayBuffer>,
        });
        offsets[kind] = bytes;
        return;
      } catch (error) {
        if (attempt >= 2) throw error;
        await new Promise((r) => setTimeout(r, 300 * (attempt + 1)));
      }
    }
  }

  return {
    push(kind, mime, data) {
      if (failed || data.byteLength === 0) return;
      chain = chain.then(() =>
        failed
          ? undefined
          : send(kind, mime, data).catch((error: unknown) => {
              failed = error;
              onError(error);
            }),
      );
    },
    async drain() {
      await chain;
      if (failed) throw failed;
    },
    bytes: (kind) => offsets[kind],
  };
}
