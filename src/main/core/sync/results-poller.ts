/**
 * Published results: asks the server about uploaded submissions that have no result yet (each at
 * most once per poll interval unless forced) and stores what a coach published.
 */
import { publishedResultSchema, type Submission } from '../../../shared/sync/protocol';
import {
  listOutbox,
  noteServerContact,
  updateOutbox,
  type OutboxRecord,
  type SyncServerRecord,
} from '../db/repositories/sync';
import { createLogger } from '../util/logger';
import { isAppError } from '../../../shared/errors';
import { getSubmission } from './server-api';
import { isTransient } from './sync-errors';
import { UNPAIRED_MESSAGE, type SyncContext } from './sync-context';

const log = createLogger('sync');

export interface ResultsPoller {
  /** One round over the uploaded submissions; `force` ignores the poll interval. */
  poll(server: SyncServerRecord, token: string, force: boolean): Promise<void>;
}

export function createResultsPoller(ctx: SyncContext, options: { pollIntervalMs: number }): ResultsPoller {
  const { store } = ctx;

  async function applySubmission(row: OutboxRecord, submission: Submission): Promise<void> {
    const result = submission.result ? publishedResultSchema.parse(submission.result) : null;
    await ctx.patch(row.attemptId, {
      remoteStatus: submission.status,
      lastPolledAt: new Date().toISOString(),
      ...(result && { resultJson: JSON.stringify(result) }),
    });
  }

  return {
    async poll(server, token, force) {
      const rows = await listOutbox(store.db, ['uploaded']);
      const now = Date.now();
      for (const row of rows) {
        if (!ctx.running()) return;
        if (row.resultJson !== null) continue;
        if (
          !force &&
          row.lastPolledAt !== null &&
          now - Date.parse(row.lastPolledAt) < options.pollIntervalMs
        )
          continue;
        try {
          const submission = await getSubmission(
            ctx.fetch,
            server.serverUrl,
            token,
            row.attemptId,
            ctx.signal(),
          );
          await noteServerContact(store.db, null);
          await applySubmission(row, submission);
        } catch (error) {
          if (!ctx.running()) return;
          const message = error instanceof Error ? error.message : String(error);
          const unpaired = isAppError(error) && error.code === 'UNAUTHORIZED';
          await noteServerContact(store.db, unpaired ? UNPAIRED_MESSAGE : message);
          await updateOutbox(store.db, row.attemptId, { lastPolledAt: new Date().toISOString() });
          log.info('could not poll a submission', { attemptId: row.attemptId, error: message });
          if (isTransient(error) || unpaired) return;
        }
      }
    },
  };
}
