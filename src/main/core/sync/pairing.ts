/**
 * Pairing with a coach-review server: trading the short code for a device token, forgetting the
 * server, and the status the app shows (server, device name, outbox counts, last contact).
 */
import type { SyncStatus } from '../../../shared/api/types';
import { AppError } from '../../../shared/errors';
import {
  clearSyncServer,
  countOutbox,
  getSyncServer,
  listOutbox,
  rescheduleFailed,
  saveSyncServer,
} from '../db/repositories/sync';
import { createLogger } from '../util/logger';
import { normaliseServerUrl, pairDevice, SyncHttpError } from './server-api';
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
    if (!(error instanceof SyncHttpError)) throw error;
    if (error.status === 401)
      throw new AppError('UNAUTHORIZED', 'The pairing code was not accepted', {
        hint: 'Codes expire after 10 minutes and work once: make a new one in the web workspace.',
      });
    if (error.status === 429)
      throw new AppError('FORBIDDEN', `Too many pairing attempts: ${error.message}`, {
        hint: 'Wait a few minutes, then try again.',
      });
    if (error.status === null)
      throw new AppError('INVALID_INPUT', `Could not reach ${serverUrl}: ${error.message}`, {
        hint: 'Check the server address and your connection.',
      });
    if (error.status === 404 || error.status === 405 || error.status === 502)
      throw new AppError('INVALID_INPUT', `${serverUrl} does not look like a Rehearse server`, {
        hint: 'Check the address your coach gave you (for example https://coach.example.com).',
      });
    throw new AppError('INVALID_INPUT', `The server refused pairing: ${error.message}`);
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
