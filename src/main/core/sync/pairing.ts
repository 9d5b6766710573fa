/**
 * Pairing with a coach-review server: trading the short code for a device token, forgetting the
 * server, and the status the app shows (server, device name, outbox counts, last contact).
 */
import type { SyncStatus } from '../../../shared/api/types';
import { AppError, isAppError } from '../../../shared/errors';
import {
  clearSyncServer,
  countOutbox,
  getSyncServer,
  listOutbox,
  rescheduleFailed,
  saveSyncServer,
} from '../db/repositories/sync';
import { createLogger } from '../util/logger';
import { normaliseServerUrl, pairDevice } from './server-api';
import type { SyncContext } from './sync-context';

const log = createLogger('sync');

export async function syncStatus(ctx: SyncContext): Promise<SyncStatus> {
  const [server, counts] = await Promise.all([getSyncServer(ctx.store.db), countOutbox(ctx.store.db)]);
  return {
    serverUrl: server?.serverUrl ?? null,
    deviceName: server?.deviceName ?? null,
    pairedAt: server?.pairedAt ?? null,
    outbox: {
      queued: counts.queued,
      uploading: counts.uploading,
      failed: counts.failed,
      uploaded: counts.uploaded,
    },
    lastContactAt: server?.lastContactAt ?? null,
    lastError: server?.lastError ?? null,
  };
}

/** What the partner reads when pairing fails; the code stays the shared one (RATE_LIMITED, UNAVAILABLE…). */
function pairingError(error: AppError, serverUrl: string): AppError {
  switch (error.code) {
    case 'UNAUTHORIZED':
      return new AppError('UNAUTHORIZED', 'The pairing code was not accepted', {
        hint: 'Codes expire after 10 minutes and work once: make a new one in the web workspace.',
        cause: error,
      });
    case 'RATE_LIMITED': {
      const wait = error.retryAfterSeconds;
      return new AppError('RATE_LIMITED', `Too many pairing attempts: ${error.message}`, {
        hint:
          wait === undefined
            ? 'Wait a few minutes, then try again.'
            : `Wait ${wait < 120 ? `${wait} seconds` : `${Math.ceil(wait / 60)} minutes`}, then try again.`,
        cause: error,
        ...(wait !== undefined && { retryAfterSeconds: wait }),
      });
    }
    case 'UNAVAILABLE':
    case 'TIMEOUT':
      return new AppError(error.code, `Could not reach ${serverUrl}: ${error.message}`, {
        hint: 'Check the server address and your connection, then try again.',
        cause: error,
      });
    case 'NOT_FOUND':
      return new AppError('INVALID_INPUT', `${serverUrl} does not look like a Rehearse server`, {
        hint: 'Check the address your coach gave you (for example https://coach.example.com).',
        cause: error,
      });
    default:
      return new AppError(error.code, `The server refused pairing: ${error.message}`, { cause: error });
  }
}

/** Pairs with the server; failed submissions are due again at once (the caller wakes the worker). */
export async function pairWithServer(
  ctx: SyncContext,
  input: { serverUrl: string; code: string; deviceName: string },
): Promise<SyncStatus> {
  const serverUrl = normaliseServerUrl(input.serverUrl);
  const deviceName = input.deviceName.trim();
  let token: string;
  try {
    token = await pairDevice(ctx.fetch, serverUrl, { code: input.code.trim(), deviceName });
  } catch (error) {
    if (!isAppError(error)) throw error;
    throw pairingError(error, serverUrl);
  }
  await ctx.tokens.write(token);
  await saveSyncServer(ctx.store.db, { serverUrl, deviceName });
  await rescheduleFailed(ctx.store.db);
  log.info('paired with a sync server', { serverUrl, deviceName });
  return syncStatus(ctx);
}

/** Forgets the server and the token (the caller has stopped any upload to it first). */
export async function unpairFromServer(ctx: SyncContext): Promise<SyncStatus> {
  await ctx.tokens.delete();
  await clearSyncServer(ctx.store.db);
  // An upload URL belongs to the old server: a later pairing starts those uploads afresh.
  for (const row of await listOutbox(ctx.store.db, ['queued', 'uploading', 'failed']))
    await ctx.patch(row.attemptId, { uploadUrl: null, bytesSent: 0, state: 'queued', nextAttemptAt: null });
  log.info('unpaired from the sync server');
  return syncStatus(ctx);
}
