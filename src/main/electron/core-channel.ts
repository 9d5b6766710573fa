/**
 * The message protocol between the Electron main process and the core's utility process
 * (src/main/electron/core-process.ts), and the main side's bookkeeping of calls in flight: ids,
 * time limits, and failing every pending call when the process goes away. Pure: no Electron import,
 * so it is unit-tested in Node (tests/unit/main/electron/core-channel.test.ts).
 *
 *   main → core  { type: 'call', id, method, input }   an API call (the core's dispatcher validates input)
 *                { type: 'media', id, recordingId }     private: where a recording's file is
 *                { type: 'close' }                      close the core (store, jobs), then exit
 *                { type: 'secret', id, result }         answer to a seal/open request (below)
 *   core → main  { type: 'ready' }                      the core is open
 *                { type: 'fatal', error }               the core could not open (e.g. DATA_DIR_LOCKED)
 *                { type: 'result', id, result }         answer to a call or media message
 *                { type: 'event', event, payload }      an ApiEvents event, forwarded to the window
 *                { type: 'seal', id, plain }            seal the device token with safeStorage (only
 *                { type: 'open', id, sealed }           main has it); sealed bytes travel as base64
 *
 * Both sides keep their own calls in flight with createPendingCalls (ids, time limits, failAll): main
 * for call/media (createCoreChannel), the core for seal/open (createSealerChannel, its SecretSealer).
 */
import type { ApiEventName, ApiMethod, ApiResult } from '../../shared/api/contract';
import { deserializeError, isErrorCode, type SerializedError } from '../../shared/errors';
import type { SecretSealer } from '../core/sync/secret-sealer';

/** A recording's file as the core resolved it (inside the recordings folder). */
export interface MediaFile {
  path: string;
  mime: string;
  bytes: number;
}

export type MainToCoreMessage =
  | { type: 'call'; id: number; method: ApiMethod; input: unknown }
  | { type: 'media'; id: number; recordingId: string }
  | { type: 'close' }
  | { type: 'secret'; id: number; result: ApiResult<string> };

/** A request from the core to seal or open a secret with the main process's safeStorage. */
export type SecretRequest =
  { type: 'seal'; id: number; plain: string } | { type: 'open'; id: number; sealed: string };

export type CoreToMainMessage =
  | { type: 'ready' }
  | { type: 'fatal'; error: SerializedError }
  | { type: 'result'; id: number; result: ApiResult<unknown> }
  | { type: 'event'; event: ApiEventName; payload: unknown }
  | SecretRequest;

/** The kind named in a device-token envelope sealed through the main process. */
export const ELECTRON_SEALER_KIND = 'electron-safeStorage';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isId = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/** `noun.verb` / `noun.pastTense`, the shape of every method and event name in the contract. */
const NAME = /^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/;

export function isSerializedError(value: unknown): value is SerializedError {
  return (
    isRecord(value) &&
    isErrorCode(value.code) &&
    typeof value.message === 'string' &&
    (value.hint === undefined || typeof value.hint === 'string')
  );
}

export function isMediaFile(value: unknown): value is MediaFile {
  return (
    isRecord(value) &&
    typeof value.path === 'string' &&
    typeof value.mime === 'string' &&
    typeof value.bytes === 'number' &&
    Number.isSafeInteger(value.bytes) &&
    value.bytes >= 0
  );
}

function isApiResult(value: unknown): value is ApiResult<unknown> {
  if (!isRecord(value)) return false;
  if (value.ok === true) return 'value' in value;
  return value.ok === false && isSerializedError(value.error);
}

function isStringResult(value: unknown): value is ApiResult<string> {
  return isApiResult(value) && (!value.ok || typeof value.value === 'string');
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Checks a message received from the utility process; undefined when it is not one of ours. */
export function parseCoreMessage(value: unknown): CoreToMainMessage | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'ready':
      return { type: 'ready' };
    case 'fatal':
      return isSerializedError(value.error) ? { type: 'fatal', error: value.error } : undefined;
    case 'result':
      return isId(value.id) && isApiResult(value.result)
        ? { type: 'result', id: value.id, result: value.result }
        : undefined;
    case 'event':
      return typeof value.event === 'string' && NAME.test(value.event)
        ? { type: 'event', event: value.event as ApiEventName, payload: value.payload }
        : undefined;
    case 'seal':
      return isId(value.id) && typeof value.plain === 'string'
        ? { type: 'seal', id: value.id, plain: value.plain }
        : undefined;
    case 'open':
      return isId(value.id) && typeof value.sealed === 'string' && BASE64.test(value.sealed)
        ? { type: 'open', id: value.id, sealed: value.sealed }
        : undefined;
    default:
      return undefined;
  }
}

/**
 * Checks a message received from the main process. The method name is only checked for shape
 * here: the core's dispatcher refuses unknown methods and validates every input with zod.
 */
export function parseMainMessage(value: unknown): MainToCoreMessage | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'call':
      return isId(value.id) && typeof value.method === 'string' && NAME.test(value.method)
        ? { type: 'call', id: value.id, method: value.method as ApiMethod, input: value.input }
        : undefined;
    case 'media':
      return isId(value.id) && typeof value.recordingId === 'string'
        ? { type: 'media', id: value.id, recordingId: value.recordingId }
        : undefined;
    case 'close':
      return { type: 'close' };
    case 'secret':
      return isId(value.id) && isStringResult(value.result)
        ? { type: 'secret', id: value.id, result: value.result }
        : undefined;
    default:
      return undefined;
  }
}

/** Arguments the main process passes to the utility process, and how the latter reads them. */
export interface CoreProcessArgs {
  dataDir: string;
  /** The shipped demo pack (packaged app: under process.resourcesPath); default: the core's own lookup. */
  demoPackPath?: string;
}

export function coreProcessArgv(args: CoreProcessArgs): string[] {
  const argv = ['--data-dir', args.dataDir];
  if (args.demoPackPath !== undefined) argv.push('--demo-pack', args.demoPackPath);
  return argv;
}

export function parseCoreProcessArgv(argv: readonly string[]): CoreProcessArgs | undefined {
  const valueOf = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    const value = index === -1 ? undefined : argv[index + 1];
    return value === undefined || value === '' || value.startsWith('--') ? undefined : value;
  };
  const dataDir = valueOf('--data-dir');
  if (dataDir === undefined) return undefined;
  const demoPackPath = valueOf('--demo-pack');
  return demoPackPath === undefined ? { dataDir } : { dataDir, demoPackPath };
}

export interface CoreChannelOptions {
  /** Sends a message to the utility process; may throw when the process is gone. */
  post(message: MainToCoreMessage): void;
  /** Time limit for an API call (default 5 minutes: saving a long recording takes a while). */
  callTimeoutMs?: number;
  /** Time limit for a media lookup (default 10 s). */
  mediaTimeoutMs?: number;
}

export interface CoreChannel {
  call(method: ApiMethod, input: unknown): Promise<ApiResult<unknown>>;
  media(recordingId: string): Promise<ApiResult<MediaFile>>;
  /** Settles the pending call a `result` message answers; false for an unknown or late id. */
  settle(id: number, result: ApiResult<unknown>): boolean;
  /** Answers every pending call with this error (the process exited or is being replaced). */
  failAll(error: SerializedError): number;
  readonly pending: number;
}

export const DEFAULT_CALL_TIMEOUT_MS = 5 * 60_000;
export const DEFAULT_MEDIA_TIMEOUT_MS = 10_000;

/**
 * The calls one side has in flight to the other: ids, a time limit per call, settling by id, and
 * failing all of them at once. Sends never reject: every failure (time limit, peer gone, message
 * not sendable) resolves to `{ ok: false, error }`.
 */
export interface PendingCalls {
  send(build: (id: number) => void, timeoutMs: number, what: string): Promise<ApiResult<unknown>>;
  settle(id: number, result: ApiResult<unknown>): boolean;
  failAll(error: SerializedError): number;
  readonly size: number;
}

export function createPendingCalls(peer: string): PendingCalls {
  const pending = new Map<
    number,
    { resolve(result: ApiResult<unknown>): void; timer: ReturnType<typeof setTimeout> }
  >();
  let nextId = 1;
  return {
    send(build, timeoutMs, what) {
      const id = nextId++;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve({
            ok: false,
            error: {
              code: 'TIMEOUT',
              message: `${what} got no answer from ${peer} within ${Math.round(timeoutMs / 1000)} s`,
              hint: 'Try again; if it keeps happening, restart Rehearse.',
            },
          });
        }, timeoutMs);
        pending.set(id, { resolve, timer });
        try {
          build(id);
        } catch (error) {
          clearTimeout(timer);
          pending.delete(id);
          resolve({
            ok: false,
            error: {
              code: 'INTERNAL',
              message: `${what} could not be sent to ${peer}: ${error instanceof Error ? error.message : String(error)}`,
            },
          });
        }
      });
    },
    settle(id, result) {
      const entry = pending.get(id);
      if (!entry) return false;
      pending.delete(id);
      clearTimeout(entry.timer);
      entry.resolve(result);
      return true;
    },
    failAll(error) {
      const entries = [...pending.values()];
      pending.clear();
      for (const entry of entries) {
        clearTimeout(entry.timer);
        entry.resolve({ ok: false, error });
      }
      return entries.length;
    },
    get size() {
      return pending.size;
    },
  };
}

/**
 * Calls never reject: every failure (time limit, process gone, message not sendable) resolves to
 * `{ ok: false, error }`, the same shape the dispatcher gives, so the renderer shows it like any
 * other failed call.
 */
export function createCoreChannel(options: CoreChannelOptions): CoreChannel {
  const callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const mediaTimeoutMs = options.mediaTimeoutMs ?? DEFAULT_MEDIA_TIMEOUT_MS;
  const calls = createPendingCalls('the Rehearse core');
  const send = (build: (id: number) => MainToCoreMessage, timeoutMs: number, what: string) =>
    calls.send((id) => options.post(build(id)), timeoutMs, what);

  return {
    call: (method, input) => send((id) => ({ type: 'call', id, method, input }), callTimeoutMs, method),
    async media(recordingId) {
      const result = await send(
        (id) => ({ type: 'media', id, recordingId }),
        mediaTimeoutMs,
        'Looking up the recording',
      );
      if (!result.ok) return result;
      return isMediaFile(result.value)
        ? { ok: true, value: result.value }
        : {
            ok: false,
            error: { code: 'INTERNAL', message: 'The core answered a media lookup with nonsense' },
          };
    },
    settle: (id, result) => calls.settle(id, result),
    failAll: (error) => calls.failAll(error),
    get pending() {
      return calls.size;
    },
  };
}

export interface SealerChannelOptions {
  /** Sends a request to the main process; may throw when the port is gone. */
  post(message: SecretRequest): void;
  /** Time limit for one seal/open (default 60 s: macOS may ask the user to allow keychain access). */
  timeoutMs?: number;
}

export interface SealerChannel {
  /** Seals and opens through the main process (Electron safeStorage); rejects with an AppError. */
  readonly sealer: SecretSealer;
  /** Settles the request a `secret` message answers; false for an unknown or late id. */
  settle(id: number, result: ApiResult<string>): boolean;
  failAll(error: SerializedError): number;
  readonly pending: number;
}

export const DEFAULT_SECRET_TIMEOUT_MS = 60_000;

/** The core side of seal/open: a SecretSealer whose work is done by the main process. */
export function createSealerChannel(options: SealerChannelOptions): SealerChannel {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SECRET_TIMEOUT_MS;
  const requests = createPendingCalls('the Rehearse main process');
  async function ask(build: (id: number) => SecretRequest, what: string): Promise<string> {
    const result = await requests.send((id) => options.post(build(id)), timeoutMs, what);
    if (!result.ok) throw deserializeError(result.error);
    if (typeof result.value !== 'string') throw new Error(`${what}: the main process answered with nonsense`);
    return result.value;
  }
  return {
    sealer: {
      kind: ELECTRON_SEALER_KIND,
      async seal(plain) {
        const sealed = await ask((id) => ({ type: 'seal', id, plain }), 'Sealing a secret');
        if (!BASE64.test(sealed))
          throw new Error('Sealing a secret: the main process answered with nonsense');
        return new Uint8Array(Buffer.from(sealed, 'base64'));
      },
      open: (sealed) =>
        ask(
          (id) => ({ type: 'open', id, sealed: Buffer.from(sealed).toString('base64') }),
          'Opening a secret',
        ),
    },
    settle: (id, result) => requests.settle(id, result),
    failAll: (error) => requests.failAll(error),
    get pending() {
      return requests.size;
    },
  };
}
