/**
 * The review screen's player controller, shared through context so that the transcript, the
 * timeline, the criteria and the improvements can all seek the one <video>.
 */
import { createContext, useContext, useMemo, useRef, type RefObject } from 'react';
import { notifyError } from '../../../lib/notifications';
import { clampTime } from '../playback';
import { useReview } from '../store';

export interface PlayerController {
  /** Moves playback to `seconds` (clamped to the recording) and optionally starts playing. */
  seek(seconds: number, options?: { play?: boolean }): void;
  seekBy(deltaSeconds: number): void;
  toggle(): void;
}

const noop: PlayerController = { seek: () => undefined, seekBy: () => undefined, toggle: () => undefined };

export const PlayerContext = createContext<PlayerController>(noop);

export const usePlayer = (): PlayerController => useContext(PlayerContext);

function play(video: HTMLVideoElement): void {
  video.play().catch((error: unknown) => {
    // AbortError: a newer seek or pause interrupted it. NotSupportedError: the element's own
    // error event already explains that the recording cannot be played.
    const name = error instanceof DOMException ? error.name : '';
    if (name !== 'AbortError' && name !== 'NotSupportedError') notifyError(error);
  });
}

/** One controller per review screen, bound to the <video> in `videoRef` (if any). */
export function usePlayerController(): {
  videoRef: RefObject<HTMLVideoElement | null>;
  controller: PlayerController;
} {
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const controller = useMemo<PlayerController>(() => {
    const knownDuration = () => {
      const d = videoRef.current?.duration;
      return d !== undefined && Number.isFinite(d) ? d : useReview.getState().mediaDuration;
    };
    const seek: PlayerController['seek'] = (seconds, options) => {
      const target = clampTime(seconds, knownDuration());
      const video = videoRef.current;
      if (video) {
        video.currentTime = target;
        if (options?.play) play(video);
      }
      useReview.getState().setCurrentTime(target);
    };
    return {
      seek,
      seekBy(delta) {
        const now = videoRef.current?.currentTime ?? useReview.getState().currentTime;
        seek(now + delta);
      },
      toggle() {
        const video = videoRef.current;
        if (!video) return;
        if (video.paused || video.ended) play(video);
        else video.pause();
      },
    };
  }, []);
  return { videoRef, controller };
}
