/**
 * The Settings screen's state: a mirror of what the core says (settings, disk use, models and their
 * download progress) plus the media devices this browser sees. Components only read it and call
 * its actions; every failed call ends as a notification and leaves the stored values untouched.
 */
import { create } from 'zustand';
import type { ApiEvents } from '../../../../shared/api/contract';
import type { ModelProgress, ModelSummary, Settings, StorageUsage } from '../../../../shared/api/types';
import { deserializeError } from '../../../../shared/errors';
import { call, on } from '../../lib/api';
import { errorText, notify, notifyError } from '../../lib/notifications';

export interface Resource<T> {
  data: T | null;
  loading: boolean;
  /** Why the last load failed (shown in place of the data when there is none). */
  error: string | null;
}

export interface MediaDeviceOption {
  deviceId: string;
  /** Empty until the user has allowed camera or microphone access once. */
  label: string;
}

export interface Devices {
  cameras: MediaDeviceOption[];
  microphones: MediaDeviceOption[];
  /** False when no device has a label yet (permission not granted). */
  labelled: boolean;
}

export type ModelAction = 'installing' | 'cancelling' | 'removing';

interface SettingsState {
  settings: Resource<Settings>;
  usage: Resource<StorageUsage>;
  models: Resource<ModelSummary[]>;
  devices: Resource<Devices>;
  /** Latest progress of each running download. */
  progress: Record<string, ModelProgress>;
  /** A request in flight for a model (buttons stay disabled meanwhile). */
  modelActions: Record<string, ModelAction>;
  /** Setting keys being saved. */
  saving: Partial<Record<keyof Settings, true>>;
  deletingPractice: boolean;

  loadAll(): Promise<void>;
  loadSettings(): Promise<void>;
  loadUsage(): Promise<void>;
  loadModels(): Promise<void>;
  loadDevices(): Promise<void>;
  /** Asks for camera and microphone access once so that devices show their names. */
  requestDeviceLabels(): Promise<void>;
  /** Saves some settings; resolves true when stored, false after a failure (already notified). */
  save(patch: Partial<Settings>): Promise<boolean>;
  installModel(modelId: string): Promise<void>;
  cancelInstall(modelId: string): Promise<void>;
  removeModel(modelId: string): Promise<void>;
  /** Resolves with the number deleted, or null after a failure (already notified). */
  deleteAllPractice(): Promise<number | null>;
  /** Follows model and attempt events; returns the unsubscribe function. */
  subscribe(): () => void;
}

const idle = <T>(): Resource<T> => ({ data: null, loading: false, error: null });

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  const next = { ...record };
  delete next[key];
  return next;
}

export const useSettings = create<SettingsState>((set, get) => {
  /** Loads one resource, keeping the data already shown if the reload fails. */
  async function load<K extends 'settings' | 'usage' | 'models' | 'devices'>(
    key: K,
    fetcher: () => Promise<NonNullable<SettingsState[K]['data']>>,
  ): Promise<void> {
    set((s) => ({ [key]: { ...s[key], loading: true } }) as Partial<SettingsState>);
    try {
      const data = await fetcher();
      set({ [key]: { data, loading: false, error: null } } as Partial<SettingsState>);
    } catch (error) {
      set(
        (s) => ({ [key]: { ...s[key], loading: false, error: errorText(error) } }) as Partial<SettingsState>,
      );
      notifyError(error);
    }
  }

  const nameOf = (modelId: string) => get().models.data?.find((m) => m.id === modelId)?.name ?? modelId;
  const setAction = (modelId: string, action: ModelAction | null) =>
    set((s) => ({
      modelActions:
        action === null ? withoutKey(s.modelActions, modelId) : { ...s.modelActions, [modelId]: action },
    }));

  function onProgress(progress: ModelProgress) {
    set((s) => ({ progress: { ...s.progress, [progress.modelId]: progress } }));
  }

  function onFinished({ modelId, ok, error }: ApiEvents['model.finished']) {
    set((s) => ({ progress: withoutKey(s.progress, modelId) }));
    if (ok) notify(`${nameOf(modelId)} is installed.`, 'success');
    else if (error?.code === 'CANCELLED')
      notify(`Stopped downloading ${nameOf(modelId)}. Install it again to resume where it stopped.`);
    else if (error) notifyError(deserializeError(error));
    void get().loadModels();
    void get().loadUsage();
  }

  return {
    settings: idle(),
    usage: idle(),
    models: idle(),
    devices: idle(),
    progress: {},
    modelActions: {},
    saving: {},
    deletingPractice: false,

    async loadAll() {
      await Promise.all([get().loadSettings(), get().loadUsage(), get().loadModels(), get().loadDevices()]);
    },
    loadSettings: () => load('settings', () => call('settings.get', {})),
    loadUsage: () => load('usage', () => call('storage.usage', {})),
    loadModels: () => load('models', () => call('models.list', {})),
    loadDevices: () => load('devices', enumerateDevices),

    async requestDeviceLabels() {
      if (!navigator.mediaDevices?.getUserMedia) return;
      // Ask for each kind on its own, so a machine without a camera still names its microphones.
      for (const constraints of [{ audio: true }, { video: true }] as const) {
        try {
          const stream = await navigator.mediaDevices.getUserMedia(constraints);
          for (const track of stream.getTracks()) track.stop();
        } catch {
          // Refused or absent: the list keeps unnamed entries for that kind.
        }
      }
      await get().loadDevices();
      if (!get().devices.data?.labelled)
        notify('Rehearse was not allowed to use the camera or microphone, so devices have no names yet.');
    },

    async save(patch) {
      const keys = Object.keys(patch) as Array<keyof Settings>;
      set((s) => ({ saving: { ...s.saving, ...Object.fromEntries(keys.map((k) => [k, true])) } }));
      try {
        const settings = await call('settings.update', patch);
        set({ settings: { data: settings, loading: false, error: null } });
        return true;
      } catch (error) {
        notifyError(error);
        return false;
      } finally {
        set((s) => {
          const saving = { ...s.saving };
          for (const key of keys) delete saving[key];
          return { saving };
        });
      }
    },

    async installModel(modelId) {
      setAction(modelId, 'installing');
      try {
        const { started } = await call('models.install', { modelId });
        if (!started) notify(`${nameOf(modelId)} is already being downloaded.`);
        // Shown as installing at once, before the first progress event arrives.
        set((s) => ({
          models: {
            ...s.models,
            data: s.models.data?.map((m) => (m.id === modelId ? { ...m, installing: true } : m)) ?? null,
          },
        }));
      } catch (error) {
        notifyError(error);
      } finally {
        setAction(modelId, null);
      }
    },

    async cancelInstall(modelId) {
      setAction(modelId, 'cancelling');
      try {
        const { cancelled } = await call('models.cancelInstall', { modelId });
        if (!cancelled) await get().loadModels(); // it had already ended
      } catch (error) {
        notifyError(error);
      } finally {
        setAction(modelId, null);
      }
    },

    async removeModel(modelId) {
      setAction(modelId, 'removing');
      try {
        const { removed } = await call('models.remove', { modelId });
        notify(removed ? `Removed ${nameOf(modelId)}.` : `${nameOf(modelId)} was not on disk.`, 'success');
      } catch (error) {
        notifyError(error);
      } finally {
        setAction(modelId, null);
        await Promise.all([get().loadModels(), get().loadUsage()]);
      }
    },

    async deleteAllPractice() {
      set({ deletingPractice: true });
      try {
        const { deletedAttempts } = await call('practice.deleteAll', { confirm: true });
        notify(
          deletedAttempts === 1
            ? 'Deleted 1 practice attempt.'
            : `Deleted ${deletedAttempts} practice attempts.`,
          'success',
        );
        return deletedAttempts;
      } catch (error) {
        notifyError(error);
        return null;
      } finally {
        set({ deletingPractice: false });
        await get().loadUsage();
      }
    },

    subscribe() {
      const offs = [
        on('model.progressed', onProgress),
        on('model.finished', onFinished),
        on('attempt.deleted', () => void get().loadUsage()),
      ];
      const onDeviceChange = () => void get().loadDevices();
      navigator.mediaDevices?.addEventListener('devicechange', onDeviceChange);
      return () => {
        for (const off of offs) off();
        navigator.mediaDevices?.removeEventListener('devicechange', onDeviceChange);
      };
    },
  };
});

async function enumerateDevices(): Promise<Devices> {
  if (!navigator.mediaDevices?.enumerateDevices) return { cameras: [], microphones: [], labelled: false };
  const all = await navigator.mediaDevices.enumerateDevices();
  // Before permission, browsers list one entry per kind with an empty id: nothing to choose yet.
  const pick = (kind: MediaDeviceKind) =>
    all
      .filter((d) => d.kind === kind && d.deviceId !== '' && d.deviceId !== 'default')
      .map((d) => ({ deviceId: d.deviceId, label: d.label }));
  const cameras = pick('videoinput');
  const microphones = pick('audioinput');
  const labelled = [...cameras, ...microphones].some((d) => d.label !== '');
  return { cameras, microphones, labelled };
}
