/** An outbox row as the app shows it: the attempt's sync state, and its published result. */
import type { AttemptSync } from '../../../shared/api/types';
import { publishedResultSchema, type PublishedResult } from '../../../shared/sync/protocol';
import type { OutboxRecord } from '../db/repositories/sync';

export function toAttemptSync(row: OutboxRecord): AttemptSync {
  const hasRecording = row.includeRecording && row.bytesTotal > 0;
  return {
    attemptId: row.attemptId,
    state: row.state,
    includeRecording: row.includeRecording,
    progress: !hasRecording
      ? 1
      : row.state === 'uploaded'
        ? 1
        : Math.min(1, Math.max(0, row.bytesSent / row.bytesTotal)),
    lastError: row.lastError,
    remoteStatus: row.remoteStatus,
    updatedAt: row.updatedAt,
  };
}

/** The stored published result, re-validated on the way out (null if absent or unreadable). */
export function storedResult(row: OutboxRecord | undefined): PublishedResult | null {
  if (!row?.resultJson) return null;
  try {
    const parsed = publishedResultSchema.safeParse(JSON.parse(row.resultJson));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
