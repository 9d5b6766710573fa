/**
 * Entry of the core's Electron utility process (its own bundle: out/main/core-process.js). Hosts the
 * whole core (store, analysis pipeline, model installs, handler table), like Actual Budget's
 * backend, so a crash in whisper.cpp glue or node-llama-cpp never takes the window down. Talks to
 * the main process over `process.parentPort` with the messages in ./core-channel.ts.
 */
import type { MessageEvent as ParentPortMessageEvent } from 'electron';
import type { ApiResult } from '../../shared/api/contract';
import { AppError, serializeError, type SerializedError } from '../../shared/errors';
import { openCore, type Core } from '../core/core';
import { createLogger } from '../core/util/logger';
import {
  createSealerChannel,
  parseCoreProcessArgv,
  parseMainMessage,
  type CoreToMainMessage,
  type MediaFile,
} from './core-channel';
import { parseMediaUrl } from './media-range';

const log = createLogger('core-process');

const port = process.parentPort;
const args = parseCoreProcessArgv(process.argv);
if (!port || !args) {
  throw new Error('core-process.js runs only as an Electron utility process started by Rehearse');
}

function post(message: CoreToMainMessage): void {
  try {
    port.postMessage(message);
  } catch (error) {
    // Typically a value that structured clone cannot copy; answer the call instead of leaving it hanging.
    log.error('could not send a message to the main process', { type: message.type, error: String(error) });
    if (message.type === 'result')
      port.postMessage({
        type: 'result',
        id: message.id,
        result: {
          ok: false,
          error: { code: 'INTERNAL', message: 'The result could not be sent to the window' },
        },
      } satisfies CoreToMainMessage);
  }
}

// The device token is sealed with the OS keychain, which only the main process can reach (safeStorage).
const secrets = createSealerChannel({ post: (message) => port.postMessage(message) });

let fatal: SerializedError | undefined;
const ready: Promise<Core | undefined> = openCore({
  dataDir: args.dataDir,
  transport: 'electron',
  secretSealer: secrets.sealer,
  ...(args.demoPackPath === undefined ? {} : { demoPackPath: args.demoPackPath }),
}).then(
  (core) => {
    core.onEvent((event, payload) => post({ type: 'event', event, payload }));
    post({ type: 'ready' });
    return core;
  },
  (error: unknown) => {
    // Stay alive and answer every call with this error until main closes us: exiting right after
    // postMessage could lose the message.
    fatal = serializeError(error);
    log.error('the core could not open', { error: fatal });
    post({ type: 'fatal', error: fatal });
    return undefined;
  },
);

async function lookUpMedia(core: Core, recordingId: string): Promise<ApiResult<MediaFile>> {
  try {
    if (!parseMediaUrl(`rehearse-media://recording/${encodeURIComponent(recordingId)}`))
      throw new AppError('INVALID_INPUT', 'Not a recording id');
    const record = await core.store.recordings.get(recordingId);
    if (!record) throw new AppError('NOT_FOUND', `No recording ${recordingId}`);
    // FORBIDDEN for a stored path that would leave the recordings folder (never trust the row).
    const file = core.store.recordings.resolvePath(record.relativePath);
    return { ok: true, value: { path: file, mime: record.mime, bytes: record.bytes } };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}

let closing = false;

async function close(): Promise<void> {
  if (closing) return;
  closing = true;
  try {
    await (await ready)?.close();
  } catch (error) {
    log.error('closing the core failed', { error: String(error) });
  }
  process.exit(0);
}

port.on('message', (event: ParentPortMessageEvent) => {
  const message = parseMainMessage(event.data);
  if (!message) {
    log.warn('ignoring a malformed message from the main process');
    return;
  }
  if (message.type === 'close') {
    void close();
    return;
  }
  if (message.type === 'secret') {
    // Not behind `ready`: opening the core may itself be waiting for this answer.
    if (!secrets.settle(message.id, message.result)) log.warn('ignoring a late seal/open answer');
    return;
  }
  void (async () => {
    const core = await ready;
    let result: ApiResult<unknown>;
    if (!core) result = { ok: false, error: fatal ?? { code: 'INTERNAL', message: 'The core is not open' } };
    else if (closing) result = { ok: false, error: { code: 'CANCELLED', message: 'Rehearse is closing' } };
    else if (message.type === 'call') result = await core.dispatch(message.method, message.input);
    else result = await lookUpMedia(core, message.recordingId);
    post({ type: 'result', id: message.id, result });
  })();
});
