/** Scenario packs as the app, the CLI and `rehearse serve` use them: validate, import, list. */
import { scenarioProgress } from '../../../shared/api/scenario-progress';
import { listAttemptSummaries } from '../attempts/attempts-service';
import type {
  AttemptSummary,
  ImportResult,
  ProgramSummary,
  ScenarioSummary,
} from '../../../shared/api/types';
import { AppError } from '../../../shared/errors';
import type { Scenario } from '../../../shared/pack/schema';
import {
  getProgram,
  getScenario,
  listPrograms,
  listScenarios,
  upsertProgramWithScenarios,
} from '../db/repositories/programs';
import { loadPack, type LoadedPack } from './pack-loader';
import type { Store } from '../store';
import { createLogger } from '../util/logger';

const log = createLogger('packs');

/** Loads and validates a pack without storing anything (PackValidationError lists every problem). */
export function validatePack(path: string): Promise<LoadedPack> {
  return loadPack(path);
}

/** Validates, then stores the pack in one transaction: a bad pack never replaces a good one. */
export async function importPack(store: Store, path: string): Promise<ImportResult> {
  const loaded = await loadPack(path);
  const { pack } = loaded;
  const existing = await getProgram(store.db, pack.program.id);
  const outcome: ImportResult['outcome'] = !existing
    ? 'created'
    : existing.packSha256 === loaded.sha256
      ? 'unchanged'
      : 'updated';
  const warnings = [...loaded.warnings];
  if (existing && outcome === 'updated' && existing.packVersion === pack.version)
    warnings.push(
      `The pack's content changed but its version is still ${pack.version}: bump "version" so attempts can tell the two apart.`,
    );
  if (outcome !== 'unchanged')
    await upsertProgramWithScenarios(store.db, {
      pack,
      packSha256: loaded.sha256,
      sourcePath: loaded.sourcePath,
    });
  log.info('pack imported', { programId: pack.program.id, version: pack.version, outcome });
  return {
    programId: pack.program.id,
    title: pack.program.title,
    version: pack.version,
    scenarioCount: pack.scenarios.length,
    outcome,
    warnings,
  };
}

export async function listProgramSummaries(store: Store): Promise<ProgramSummary[]> {
  const [programs, scenarios] = await Promise.all([listPrograms(store.db), listScenarios(store.db)]);
  return programs.map((p) => ({
    id: p.id,
    title: p.title,
    vendor: p.vendor,
    packVersion: p.packVersion,
    scenarioCount: scenarios.filter((s) => s.programId === p.id).length,
    importedAt: p.importedAt,
  }));
}

export function toScenarioSummary(
  programId: string,
  s: Scenario,
  attempts: readonly AttemptSummary[] = [],
): ScenarioSummary {
  return {
    programId,
    id: s.id,
    kind: s.kind,
    title: s.title,
    answerSeconds: s.timing.answerSeconds,
    criteriaCount: s.rubric.length,
    passMark: s.passMark,
    progress: scenarioProgress(attempts.filter((a) => a.programId === programId && a.scenarioId === s.id)),
  };
}

export async function listScenarioSummaries(store: Store, programId?: string): Promise<ScenarioSummary[]> {
  if (programId !== undefined && !(await getProgram(store.db, programId)))
    throw new AppError('NOT_FOUND', `No program "${programId}"`, {
      hint: 'See `rehearse packs list` for imported programs.',
    });
  const attempts = await listAttemptSummaries(store, programId === undefined ? {} : { programId });
  return (await listScenarios(store.db, programId)).map((s) =>
    toScenarioSummary(s.programId, s.scenario, attempts),
  );
}

/**
 * Finds a scenario by id. `programId` may be omitted when the scenario id is unique across
 * programs; otherwise CONFLICT asks for `program/scenario`.
 */
export async function findScenario(
  store: Store,
  ref: { programId?: string; scenarioId: string },
): Promise<{ programId: string; packVersion: string; scenario: Scenario }> {
  if (ref.programId !== undefined) {
    const found = await getScenario(store.db, ref.programId, ref.scenarioId);
    const program = await getProgram(store.db, ref.programId);
    if (!found || !program)
      throw new AppError('NOT_FOUND', `No scenario "${ref.scenarioId}" in program "${ref.programId}"`, {
        hint: 'See `rehearse packs list --scenarios`.',
      });
    return { programId: found.programId, packVersion: program.packVersion, scenario: found.scenario };
  }
  const matches = (await listScenarios(store.db)).filter((s) => s.id === ref.scenarioId);
  const only = matches[0];
  if (!only)
    throw new AppError('NOT_FOUND', `No scenario "${ref.scenarioId}"`, {
      hint: 'Import its pack first (`rehearse packs import <path>`), or see `rehearse packs list --scenarios`.',
    });
  if (matches.length > 1)
    throw new AppError('CONFLICT', `Scenario id "${ref.scenarioId}" exists in several programs`, {
      hint: `Name it as <program>/<scenario>, e.g. ${matches.map((m) => `${m.programId}/${m.id}`).join(' or ')}.`,
    });
  const program = await getProgram(store.db, only.programId);
  return { programId: only.programId, packVersion: program?.packVersion ?? '', scenario: only.scenario };
}

/** Parses `program/scenario` or a bare `scenario`. */
export function parseScenarioRef(ref: string): { programId?: string; scenarioId: string } {
  const slash = ref.indexOf('/');
  return slash === -1
    ? { scenarioId: ref }
    : { programId: ref.slice(0, slash), scenarioId: ref.slice(slash + 1) };
}
