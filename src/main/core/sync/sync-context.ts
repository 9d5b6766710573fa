/**
 * What the parts of the sync client share: the store, the event stream, the HTTP client, the device
 * token, and whether the worker is running (its abort signal stops requests in flight).
 */
import type { AttemptSync } from '../../../shared/api/types';
import type { EmitEvent } from '../../../shared/api/contract';
import { getOutboxEntry, updateOutbox, type OutboxPatch } from '../db/repositories/sync';
import type { Store } from '../store';
import { toAttemptSync } from './attempt-sync';
import type { DeviceTokenStore } from './device-token';
import type { FetchLike } from './server-api';

/** Shown (and stored) when the server refuses the device token. */
export const UNPAIRED_MESSAGE =
  'This device is no longer paired with the server (it refused the device token)';

export interface SyncContext {
  store: Store;
  emit: EmitEvent;
  fetch: FetchLike;
  tokens: DeviceTokenStore;
  /** True between the worker's start and stop. */
  running(): boolean;
  /** Aborted when the worker stops. */
  signal(): AbortSignal;
  /** Updates an outbox row and tells the app. */
  patch(attemptId: string, values: OutboxPatch): Promise<void>;
  /** Tells the app the row's current state. */
  emitRow(attemptId: string): Promise<AttemptSync | null>;
}

export function outboxWriter(store: Store, emit: EmitEvent): Pick<SyncContext, 'patch' | 'emitRow'> {
  return {
    async patch(attemptId, values) {
      const row = await updateOutbox(store.db, attemptId, values);
      if (row) emit('sync.changed', toAttemptSync(row));
    },
    async emitRow(attemptId) {
      const row = await getOutboxEntry(store.db, attemptId);
      if (!row) return null;
      const sync = toAttemptSync(row);
      emit('sync.changed', sync);
      return sync;
    },
  };
}
