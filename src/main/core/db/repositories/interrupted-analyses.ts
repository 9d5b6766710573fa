/**
 * An analysis lives in the process that runs it. A process that dies mid-analysis (kill -9, a
 * crash, a power cut) leaves its attempt 'analysing' and one stage 'running', which the app would
 * show as "being analysed" forever, hiding Analyse. At open, while this process holds the data
 * folder's lock, no analysis can be live, so every such stage is marked failed with a message that
 * says it was interrupted, and its attempt goes back to 'recorded'.
 *
 * Not resumed automatically: that would load the models and start heavy work at every start
 * without the partner asking, and an analysis that crashed the process would crash it again at each
 * start. Analysing again resumes anyway: stages already done are kept and skipped.
 */
import type { Db } from '../schema';
import { createLogger } from '../../util/logger';

const log = createLogger('pipeline');

export const INTERRUPTED_ANALYSIS_MESSAGE =
  'Analysis was interrupted (Rehearse stopped while it ran). Analyse again: it continues where it stopped.';

/** Returns the ids of the attempts whose analysis was interrupted. */
export async function resetInterruptedAnalyses(db: Db): Promise<string[]> {
  const at = new Date().toISOString();
  const attempts = await db.transaction().execute(async (trx) => {
    const stuck = await trx
      .selectFrom('attempts')
      .select('id')
      .where('status', '=', 'analysing')
      .union(trx.selectFrom('pipeline_stages').select('attempt_id as id').where('status', '=', 'running'))
      .execute();
    if (stuck.length === 0) return [];
    await trx
      .updateTable('pipeline_stages')
      .set({ status: 'failed', error: INTERRUPTED_ANALYSIS_MESSAGE, updated_at: at })
      .where('status', '=', 'running')
      .execute();
    await trx
      .updateTable('attempts')
      .set({ status: 'recorded', updated_at: at })
      .where('status', '=', 'analysing')
      .execute();
    return stuck.map((r) => r.id);
  });
  if (attempts.length > 0) log.warn('reset analyses interrupted by an unclean stop', { attempts });
  return attempts;
}
