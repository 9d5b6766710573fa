/** The core's implementation of the API contract: one line per method, the work is in the services. */
import type { AppInfo, Handlers } from '../../../shared/api/contract';
import { deleteAttempt, getAttemptDetail, listAttemptSummaries } from '../services/attempts-service';
import {
  findScenario,
  importPack,
  listProgramSummaries,
  listScenarioSummaries,
} from '../services/packs-service';
import type { Store } from '../store';

export interface HandlerContext {
  store: Store;
  version: string;
  transport: AppInfo['transport'];
}

export function createHandlers(ctx: HandlerContext): Handlers {
  const { store } = ctx;
  return {
    'app.info': async () => ({ version: ctx.version, dataDir: store.dataDir, transport: ctx.transport }),
    'programs.list': () => listProgramSummaries(store),
    'scenarios.list': (i) => listScenarioSummaries(store, i.programId),
    'scenario.get': (i) => findScenario(store, i),
    'packs.import': (i) => importPack(store, i.path),
    'attempts.list': (i) => listAttemptSummaries(store, i),
    'attempt.get': (i) => getAttemptDetail(store, i.attemptId),
    'attempt.delete': (i) => deleteAttempt(store, i.attemptId),
  } satisfies Handlers;
}
