/**
 * The one typed contract between the UI and the core (see docs/ARCHITECTURE.md).
 *
 * Implemented once by the core's handler table (src/main/core/api/handlers.ts) and carried by
 * either the Electron preload bridge (IPC) or the loopback host of `rehearse serve` (HTTP/WebSocket).
 * Method names are `noun.verb`; event names are `noun.pastTense`. Every input is validated with the
 * zod schema in `apiInputSchemas` on the core side, whatever the transport.
 */
import { z } from 'zod';
import type { ProgramSummary, ScenarioSummary, AttemptSummary, AttemptDetail, ImportResult } from './types';
import type { Scenario } from '../pack/schema';
import type { SerializedError } from '../errors';

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
  'attempt.get': z.strictObject({ attemptId: z.string().min(1).max(64) }),
  'attempt.delete': z.strictObject({ attemptId: z.string().min(1).max(64) }),
} as const;

export type ApiMethod = keyof typeof apiInputSchemas;
export type ApiInput<M extends ApiMethod> = z.input<(typeof apiInputSchemas)[M]>;

export interface AppInfo {
  version: string;
  dataDir: string;
  transport: 'electron' | 'loopback';
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
  'attempt.delete': { deleted: boolean };
}

export type Api = { [M in ApiMethod]: (input: ApiInput<M>) => Promise<ApiOutputs[M]> };

/** Events pushed from the core to the UI. */
export interface ApiEvents {
  'pack.imported': { programId: string; version: string };
  'attempt.deleted': { attemptId: string };
}
export type ApiEventName = keyof ApiEvents;

/** The core side implements exactly this. */
export type Handlers = {
  [M in ApiMethod]: (input: z.output<(typeof apiInputSchemas)[M]>) => Promise<ApiOutputs[M]>;
};

/** The result of a call as it crosses a transport. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: SerializedError };
