/** Imported scenario packs: one program row per pack, one scenario row per scenario. */
import type { Program, Scenario, ScenarioKind, ScenarioPack } from '../../../../shared/pack/schema';
import type { Db, ProgramRow, ScenarioRow } from '../schema';

export interface ProgramRecord {
  id: string;
  title: string;
  vendor: string;
  packVersion: string;
  packSha256: string;
  sourcePath: string | null;
  /** First import. */
  importedAt: string;
  /** Last (re-)import. */
  updatedAt: string;
}

export interface ProgramWithPack extends ProgramRecord {
  pack: ScenarioPack;
}

export interface ScenarioRecord {
  programId: string;
  id: string;
  kind: ScenarioKind;
  title: string;
  /** Order in the pack, from 0. */
  position: number;
  scenario: Scenario;
}

const summaryColumns = [
  'id',
  'title',
  'vendor',
  'pack_version',
  'pack_sha256',
  'source_path',
  'imported_at',
  'updated_at',
] as const;

function toProgram(row: Omit<ProgramRow, 'pack_json'>): ProgramRecord {
  return {
    id: row.id,
    title: row.title,
    vendor: row.vendor,
    packVersion: row.pack_version,
    packSha256: row.pack_sha256,
    sourcePath: row.source_path,
    importedAt: row.imported_at,
    updatedAt: row.updated_at,
  };
}

function toScenario(row: ScenarioRow): ScenarioRecord {
  return {
    programId: row.program_id,
    id: row.id,
    kind: row.kind as ScenarioKind,
    title: row.title,
    position: row.position,
    scenario: JSON.parse(row.scenario_json) as Scenario,
  };
}

export interface ImportPackInput {
  /** A pack already validated with scenarioPackSchema. */
  pack: ScenarioPack;
  /** sha256 (hex) of the pack file's bytes. */
  packSha256: string;
  sourcePath?: string | null;
}

/**
 * Stores a pack in one transaction. Re-importing a program replaces its scenarios (a scenario the
 * new version drops disappears; attempts against it stay, they keep their own pack_version).
 */
export async function upsertProgramWithScenarios(db: Db, input: ImportPackInput): Promise<ProgramRecord> {
  const { pack } = input;
  const program: Program = pack.program;
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    const values = {
      title: program.title,
      vendor: program.vendor,
      pack_version: pack.version,
      pack_json: JSON.stringify(pack),
      pack_sha256: input.packSha256,
      source_path: input.sourcePath ?? null,
      updated_at: now,
    };
    await trx
      .insertInto('programs')
      .values({ id: program.id, imported_at: now, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
    await trx.deleteFrom('scenarios').where('program_id', '=', program.id).execute();
    await trx
      .insertInto('scenarios')
      .values(
        pack.scenarios.map((s, position) => ({
          program_id: program.id,
          id: s.id,
          kind: s.kind,
          title: s.title,
          position,
          scenario_json: JSON.stringify(s),
        })),
      )
      .execute();
  });
  const stored = await getProgram(db, program.id);
  if (!stored) throw new Error(`program ${program.id} vanished after import`);
  return stored;
}

export async function listPrograms(db: Db): Promise<ProgramRecord[]> {
  const rows = await db
    .selectFrom('programs')
    .select(summaryColumns)
    .orderBy('title')
    .orderBy('id')
    .execute();
  return rows.map(toProgram);
}

export async function getProgram(db: Db, programId: string): Promise<ProgramWithPack | undefined> {
  const row = await db.selectFrom('programs').selectAll().where('id', '=', programId).executeTakeFirst();
  return row && { ...toProgram(row), pack: JSON.parse(row.pack_json) as ScenarioPack };
}

/** Scenarios in pack order; of one program, or of all programs. */
export async function listScenarios(db: Db, programId?: string): Promise<ScenarioRecord[]> {
  let query = db.selectFrom('scenarios').selectAll();
  if (programId !== undefined) query = query.where('program_id', '=', programId);
  const rows = await query.orderBy('program_id').orderBy('position').execute();
  return rows.map(toScenario);
}

export async function getScenario(
  db: Db,
  programId: string,
  scenarioId: string,
): Promise<ScenarioRecord | undefined> {
  const row = await db
    .selectFrom('scenarios')
    .selectAll()
    .where('program_id', '=', programId)
    .where('id', '=', scenarioId)
    .executeTakeFirst();
  return row && toScenario(row);
}

/** Deletes a program and its scenarios; fails with a foreign-key error while attempts refer to it. */
export async function deleteProgram(db: Db, programId: string): Promise<boolean> {
  const result = await db.deleteFrom('programs').where('id', '=', programId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
