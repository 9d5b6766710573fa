/** Camera and microphone access, with errors a person can act on. */
import { AppError } from '../../../../shared/errors';

export interface DeviceLists {
  cameras: MediaDeviceInfo[];
  microphones: MediaDeviceInfo[];
}

export async function listDevices(): Promise<DeviceLists> {
  const all = await navigator.mediaDevices.enumerateDevices();
  return {
    cameras: all.filter((d) => d.kind === 'videoinput'),
    microphones: all.filter((d) => d.kind === 'audioinput'),
  };
}

function explain(error: unknown, what: string): AppError {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return new AppError('FORBIDDEN', `Rehearse is not allowed to use the ${what}`, {
      hint: 'Allow camera and microphone access for this app (the icon in the address bar, or your system privacy settings), then try again.',
    });
  if (name === 'NotFoundError' || name === 'OverconstrainedError')
    return new AppError('NOT_FOUND', `No ${what} was found`, {
      hint: 'Connect one (or pick another in the device lists), then try again.',
    });
  if (name === 'NotReadableError' || name === 'AbortError')
    return new AppError('CONFLICT', `The ${what} is in use by another program or not responding`, {
      hint: 'Close other apps that use it (video calls), then try again.',
    });
  return new AppError(
    'INTERNAL',
    `Could not open the ${what}: ${error instanceof Error ? error.message : String(error)}`,
  );
}

const audioConstraints = (microphoneId: string | null): MediaTrackConstraints => ({
  ...(microphoneId ? { deviceId: { exact: microphoneId } } : {}),
  echoCancellation: true,
  noiseSuppression: true,
  channelCount: 1,
});

/**
 * Camera and microphone; without a camera (none, or it fails) the microphone alone, so the partner
 * can still rehearse. Throws an AppError saying what to do when the microphone is unavailable.
 */
export async function openMedia(
  cameraId: string | null,
  microphoneId: string | null,
): Promise<{ stream: MediaStream; audioOnly: boolean; cameraProblem: string | null }> {
  if (!navigator.mediaDevices?.getUserMedia)
    throw new AppError('FORBIDDEN', 'This browser gives no access to a camera or microphone here', {
      hint: 'Open Rehearse at http://127.0.0.1 (not another address), in a current Chromium, Chrome, Edge or Firefox.',
    });
  try {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: audioConstraints(microphoneId),
      video: {
        ...(cameraId ? { deviceId: { exact: cameraId } } : {}),
        width: { ideal: 1280 },
        height: { ideal: 720 },
      },
    });
    return { stream, audioOnly: false, cameraProblem: null };
  } catch (videoError) {
    const name = videoError instanceof DOMException ? videoError.name : '';
    if (name === 'NotAllowedError') throw explain(videoError, 'camera and microphone');
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: audioConstraints(microphoneId) });
      return { stream, audioOnly: true, cameraProblem: explain(videoError, 'camera').message };
    } catch (audioError) {
      throw explain(audioError, 'microphone');
    }
  }
}

/** The first container the browser's MediaRecorder can write, preferring VP8/Opus WebM. */
export function pickVideoMime(): string {
  const candidates = ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm', 'video/mp4'];
  return candidates.find((m) => MediaRecorder.isTypeSupported(m)) ?? 'video/webm';
}
