/**
 * The one typed contract between the UI and the core (see docs/ARCHITECTURE.md).
 *
 * Implemented once by the core's handler table (src/main/core/api/handlers.ts) and carried by
 * either the Electron preload bridge (IPC) or the loopback host of `rehearse serve` (HTTP/WebSocket).
 * Method names are `noun.verb`; event names are `noun.pastTense`. Every input is validated with the
 * zod schema in `apiInputSchemas` on the core side, whatever the transport.
 */
import { z } from 'zod';
import type {
  ProgramSummary,
  ScenarioSummary,
  AttemptSummary,
  AttemptDetail,
  AttemptReview,
  ImportResult,
  ActiveAnalysis,
  AnalysisProgress,
  ModelSummary,
  ModelProgress,
  Settings,
  StorageUsage,
  SyncStatus,
  AttemptSync,
} from './types';
import type { Scenario } from '../pack/schema';
import { settingsSchema } from './settings';
import type { SerializedError } from '../errors';

const id = z.string().min(1).max(64);
const captureKind = z.enum(['video', 'audio']);

/** Methods whose input carries bytes: the loopback host takes them as a raw request body. */
export const BINARY_METHODS = ['capture.append'] as const;

export const apiInputSchemas = {
  'app.info': z.strictObject({}),
  'programs.list': z.strictObject({}),
  'scenarios.list': z.strictObject({ programId: z.string().max(64).optional() }),
  'scenario.get': z.strictObject({ programId: z.string().max(64), scenarioId: z.string().max(64) }),
  'packs.import': z.strictObject({ path: z.string().min(1).max(4096) }),
  'attempts.list': z.strictObject({
    programId: z.string().max(64).optional(),
    scenarioId: z.string().max(64).optional(),
    mode: z.enum(['practice', 'formal']).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  }),
  'attempt.get': z.strictObject({ attemptId: id }),
  'attempt.review': z.strictObject({ attemptId: id }),
  'attempt.delete': z.strictObject({ attemptId: id }),
  /** A new practice attempt, ready to receive its recording through `capture.*`. */
  'attempt.create': z.strictObject({ programId: id, scenarioId: id }),
  /**
   * Appends bytes to the attempt's recording in progress. `offset` is where the bytes start: a
   * retried chunk is accepted once, a gap is refused with CONFLICT and the size already stored.
   * Audio is 16 kHz mono signed 16-bit little-endian PCM (`audio/L16;rate=16000`).
   */
  'capture.append': z.strictObject({
    attemptId: id,
    kind: captureKind,
    mime: z.string().min(1).max(128),
    offset: z.number().int().min(0),
    data: z.instanceof(Uint8Array).refine((d) => d.byteLength <= 16 * 1024 * 1024, 'chunk over 16 MiB'),
  }),
  /** Ends the capture: the parts become the attempt's recordings (written crash-safely). */
  'capture.finish': z.strictObject({
    attemptId: id,
    durationSeconds: z
      .number()
      .min(0)
      .max(4 * 3600),
  }),
  /** Throws the capture and its attempt away (re-record or discard). */
  'capture.discard': z.strictObject({ attemptId: id }),
  /** Starts (or resumes) analysis in the background; progress arrives as `analysis.progressed`. */
  'analysis.start': z.strictObject({ attemptId: id }),
  'analysis.cancel': z.strictObject({ attemptId: id }),
  /** Analyses running now, so a reloaded window can show them again. */
  'analysis.active': z.strictObject({}),
  'models.list': z.strictObject({}),
  /** Starts a download in the background; progress arrives as `model.progressed`. */
  'models.install': z.strictObject({ modelId: id }),
  'models.cancelInstall': z.strictObject({ modelId: id }),
  'models.remove': z.strictObject({ modelId: id }),
  'settings.get': z.strictObject({}),
  'settings.update': settingsSchema.partial().strict(),
  'storage.usage': z.strictObject({}),
  /** Deletes every practice attempt and its recordings (formal submissions are kept). */
  'practice.deleteAll': z.strictObject({ confirm: z.literal(true) }),
  /** Where formal submissions go, whether this device is paired, and the outbox. */
  'sync.status': z.strictObject({}),
  /** Pairs this device with a coach-review server using the short code shown in its web workspace. */
  'sync.pair': z.strictObject({
    serverUrl: z.url({ protocol: /^https?$/ }).max(2048),
    code: z.string().trim().min(4).max(32),
    deviceName: z.string().trim().min(1).max(100),
  }),
  /** Forgets the device token (the server keeps what was already submitted). */
  'sync.unpair': z.strictObject({}),
  /** Tries the outbox again now (after going back online, say). */
  'sync.retry': z.strictObject({}),
  /**
   * Makes an analysed attempt a formal submission and queues it: recording (unless
   * includeRecording is false), transcript, metrics, the AI's draft scores and the pack version.
   */
  'attempt.submit': z.strictObject({ attemptId: id, includeRecording: z.boolean() }),
} as const;

export type ApiMethod = keyof typeof apiInputSchemas;
export type ApiInput<M extends ApiMethod> = z.input<(typeof apiInputSchemas)[M]>;

export interface AppInfo {
  version: string;
  dataDir: string;
  transport: 'electron' | 'loopback';
  /** The demo pack shipped with the app, offered on the empty library; null when not shipped. */
  demoPackPath: string | null;
}

/** What each method resolves to. */
export interface ApiOutputs {
  'app.info': AppInfo;
  'programs.list': ProgramSummary[];
  'scenarios.list': ScenarioSummary[];
  'scenario.get': { programId: string; packVersion: string; scenario: Scenario };
  'packs.import': ImportResult;
  'attempts.list': AttemptSummary[];
  'attempt.get': AttemptDetail;
  'attempt.review': AttemptReview;
  'attempt.delete': { deleted: boolean };
  'attempt.create': AttemptSummary;
  'capture.append': { bytes: number };
  'capture.finish': AttemptDetail;
  'capture.discard': { discarded: boolean };
  'analysis.start': { started: boolean };
  'analysis.cancel': { cancelled: boolean };
  'analysis.active': ActiveAnalysis[];
  'models.list': ModelSummary[];
  'models.install': { started: boolean };
  'models.cancelInstall': { cancelled: boolean };
  'models.remove': { removed: boolean };
  'settings.get': Settings;
  'settings.update': Settings;
  'storage.usage': StorageUsage;
  'practice.deleteAll': { deletedAttempts: number };
  'sync.status': SyncStatus;
  'sync.pair': SyncStatus;
  'sync.unpair': SyncStatus;
  'sync.retry': SyncStatus;
  'attempt.submit': AttemptSync;
}

export type Api = { [M in ApiMethod]: (input: ApiInput<M>) => Promise<ApiOutputs[M]> };

/** Events pushed from the core to the UI. */
export interface ApiEvents {
  'pack.imported': { programId: string; version: string };
  'attempt.deleted': { attemptId: string };
  /** Many attempts went at once (delete all practice data, auto-delete). */
  'attempts.cleared': { deletedAttempts: number };
  'attempt.changed': { attemptId: string };
  'analysis.progressed': AnalysisProgress;
  'analysis.finished': { attemptId: string; ok: boolean; error?: SerializedError };
  'model.progressed': ModelProgress;
  'model.finished': { modelId: string; ok: boolean; error?: SerializedError };
  /** A formal submission moved in the outbox, or its server status / published result changed. */
  'sync.changed': AttemptSync;
}
export type ApiEventName = keyof ApiEvents;
export type EmitEvent = <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void;

/** The core side implements exactly this. */
export type Handlers = {
  [M in ApiMethod]: (input: z.output<(typeof apiInputSchemas)[M]>) => Promise<ApiOutputs[M]>;
};

/** The result of a call as it crosses a transport. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: SerializedError };
