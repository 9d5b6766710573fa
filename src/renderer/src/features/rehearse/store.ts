/**
 * The Rehearse screen's state: brief → preparation countdown → recording → recorded (play back,
 * analyse, record again, discard). Recording streams to the core as it happens (see
 * capture-uploader.ts), so a closed window or an unplugged device keeps what was captured.
 */
import RecordRTC from 'recordrtc';
import { create } from 'zustand';
import type { AttemptDetail } from '../../../../shared/api/types';
import type { Scenario } from '../../../../shared/pack/schema';
import { call } from '../../lib/api';
import { errorText, notify, notifyError } from '../../lib/notifications';
import { createCaptureUploader, type CaptureUploader } from './capture-uploader';
import { listDevices, openMedia, pickVideoMime } from './media-devices';
import { createPcmCapture, PCM_MIME, type PcmCapture } from './pcm-capture';

export type Phase = 'loading' | 'brief' | 'preparing' | 'recording' | 'finishing' | 'recorded' | 'error';
export type StopReason = 'user' | 'time-limit' | 'device-lost' | 'upload-failed';

interface RehearseState {
  phase: Phase;
  programId: string;
  scenario: Scenario | null;
  error: string | null;
  stream: MediaStream | null;
  audioOnly: boolean;
  cameraProblem: string | null;
  cameras: MediaDeviceInfo[];
  microphones: MediaDeviceInfo[];
  cameraId: string | null;
  microphoneId: string | null;
  preparationSeconds: number;
  countdown: number;
  elapsed: number;
  level: number;
  stopReason: StopReason | null;
  attempt: AttemptDetail | null;
  load(programId: string, scenarioId: string): Promise<void>;
  chooseDevices(cameraId: string | null, microphoneId: string | null): Promise<void>;
  startPreparation(): void;
  startRecording(): Promise<void>;
  stopRecording(reason?: StopReason): Promise<void>;
  analyse(): Promise<string | null>;
  discard(): Promise<void>;
  recordAgain(): Promise<void>;
  teardown(): void;
}

// Live objects that do not belong in state.
let recorder: RecordRTC | null = null;
let pcm: PcmCapture | null = null;
let uploader: CaptureUploader | null = null;
let blobChain: Promise<void> = Promise.resolve();
let ticker: ReturnType<typeof setInterval> | null = null;
let meter: ReturnType<typeof setInterval> | null = null;
let startedAt = 0;
let attemptId: string | null = null;

function clearTimers() {
  if (ticker) clearInterval(ticker);
  if (meter) clearInterval(meter);
  ticker = meter = null;
}

const warnBeforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();

export const useRehearse = create<RehearseState>((set, get) => {
  async function openDevices(cameraId: string | null, microphoneId: string | null) {
    get()
      .stream?.getTracks()
      .forEach((t) => t.stop());
    await pcm?.close();
    pcm = null;
    try {
      const media = await openMedia(cameraId, microphoneId);
      pcm = createPcmCapture(media.stream);
      const devices = await listDevices();
      set({
        stream: media.stream,
        audioOnly: media.audioOnly,
        cameraProblem: media.cameraProblem,
        ...devices,
        error: null,
      });
      if (meter) clearInterval(meter);
      meter = setInterval(() => set({ level: pcm?.level() ?? 0 }), 100);
      for (const track of media.stream.getTracks())
        track.addEventListener('ended', () => {
          if (get().phase === 'recording') void get().stopRecording('device-lost');
          else set({ error: `The ${track.kind === 'video' ? 'camera' : 'microphone'} was disconnected` });
        });
    } catch (error) {
      set({ stream: null, error: errorText(error) });
    }
  }

  return {
    phase: 'loading',
    programId: '',
    scenario: null,
    error: null,
    stream: null,
    audioOnly: false,
    cameraProblem: null,
    cameras: [],
    microphones: [],
    cameraId: null,
    microphoneId: null,
    preparationSeconds: 0,
    countdown: 0,
    elapsed: 0,
    level: 0,
    stopReason: null,
    attempt: null,

    async load(programId, scenarioId) {
      get().teardown();
      set({
        phase: 'loading',
        programId,
        scenario: null,
        error: null,
        attempt: null,
        stopReason: null,
        elapsed: 0,
      });
      try {
        const [{ scenario }, settings] = await Promise.all([
          call('scenario.get', { programId, scenarioId }),
          call('settings.get', {}),
        ]);
        set({
          scenario,
          cameraId: settings.cameraId,
          microphoneId: settings.microphoneId,
          preparationSeconds: settings.preparationSeconds ?? scenario.timing.prepSeconds,
          phase: 'brief',
        });
        await openDevices(settings.cameraId, settings.microphoneId);
      } catch (error) {
        set({ phase: 'error', error: errorText(error) });
      }
    },

    async chooseDevices(cameraId, microphoneId) {
      set({ cameraId, microphoneId });
      await openDevices(cameraId, microphoneId);
      call('settings.update', { cameraId, microphoneId }).catch(notifyError);
    },

    startPreparation() {
      const { preparationSeconds } = get();
      if (preparationSeconds <= 0) return void get().startRecording();
      set({ phase: 'preparing', countdown: preparationSeconds });
      clearInterval(ticker ?? undefined);
      ticker = setInterval(() => {
        const left = get().countdown - 1;
        if (left > 0) return set({ countdown: left });
        if (ticker) clearInterval(ticker);
        ticker = null;
        void get().startRecording();
      }, 1000);
    },

    async startRecording() {
      const { stream, scenario, programId, audioOnly } = get();
      if (!stream || !scenario || !pcm) return;
      if (ticker) clearInterval(ticker);
      ticker = null;
      try {
        const attempt = await call('attempt.create', { programId, scenarioId: scenario.id });
        attemptId = attempt.id;
      } catch (error) {
        set({ phase: 'brief' });
        return notifyError(error);
      }
      const id = attemptId;
      uploader = createCaptureUploader(id, (error) => {
        notifyError(error);
        void get().stopRecording('upload-failed');
      });
      const up = uploader;
      blobChain = Promise.resolve();
      if (!audioOnly) {
        const mime = pickVideoMime();
        recorder = new RecordRTC(stream, {
          type: 'video',
          mimeType: mime as 'video/webm',
          recorderType: RecordRTC.MediaStreamRecorder,
          timeSlice: 1000,
          disableLogs: true,
          ondataavailable: (blob: Blob) => {
            blobChain = blobChain.then(async () =>
              up.push('video', mime, new Uint8Array(await blob.arrayBuffer())),
            );
          },
        });
        recorder.startRecording();
      }
      pcm.start((block) => up.push('audio', PCM_MIME, block));
      startedAt = performance.now();
      window.addEventListener('beforeunload', warnBeforeUnload);
      set({ phase: 'recording', elapsed: 0, stopReason: null });
      ticker = setInterval(() => {
        const elapsed = (performance.now() - startedAt) / 1000;
        set({ elapsed });
        if (elapsed >= scenario.timing.answerSeconds) void get().stopRecording('time-limit');
      }, 200);
    },

    async stopRecording(reason = 'user') {
      if (get().phase !== 'recording' || !attemptId) return;
      const id = attemptId;
      const durationSeconds = (performance.now() - startedAt) / 1000;
      if (ticker) clearInterval(ticker);
      ticker = null;
      set({ phase: 'finishing', stopReason: reason, elapsed: durationSeconds });
      pcm?.stop();
      const rec = recorder;
      recorder = null;
      if (rec) await new Promise<void>((resolve) => rec.stopRecording(() => resolve()));
      try {
        await blobChain;
        await uploader?.drain().catch(() => undefined); // what failed was reported already
        const attempt = await call('capture.finish', { attemptId: id, durationSeconds });
        set({ phase: 'recorded', attempt });
        if (reason === 'time-limit') notify('Time is up: the recording stopped at the scenario’s limit.');
        if (reason === 'device-lost')
          notify('A device was disconnected, so the recording stopped. What was captured is kept.', 'error');
      } catch (error) {
        notifyError(error);
        set({ phase: 'brief', error: errorText(error) });
      } finally {
        window.removeEventListener('beforeunload', warnBeforeUnload);
        rec?.destroy();
      }
    },

    async analyse() {
      const attempt = get().attempt;
      if (!attempt) return null;
      try {
        await call('analysis.start', { attemptId: attempt.id });
        return attempt.id;
      } catch (error) {
        notifyError(error);
        return null;
      }
    },

    async discard() {
      const attempt = get().attempt;
      if (attempt) await call('capture.discard', { attemptId: attempt.id }).catch(notifyError);
      set({ attempt: null, phase: 'brief', elapsed: 0, stopReason: null });
    },

    async recordAgain() {
      await get().discard();
      get().startPreparation();
    },

    teardown() {
      const release = () => {
        clearTimers();
        get()
          .stream?.getTracks()
          .forEach((t) => t.stop());
        void pcm?.close();
        pcm = null;
        set({ stream: null, level: 0 });
      };
      // Leaving the screen mid-recording keeps the recording: stop it properly first.
      if (get().phase === 'recording') void get().stopRecording('user').finally(release);
      else release();
    },
  };
});
