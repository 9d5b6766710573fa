/**
 * Scenario packs as the server knows them, per program and version. An admin uploads each version
 * once; the same version again with the same content is a no-op, with other content a conflict
 * (a version names one fixed rubric, which submissions are scored against).
 */
import type { Kysely } from 'kysely';
import { scenarioPackSchema, type ScenarioPack } from '../../shared/pack/schema';
import type { ProgramPackRow, ServerDatabase } from '../db/schema';
import { isUniqueViolation } from '../db/unique-violation';
import { conflict, notFound, unprocessable } from '../errors';
import type { Principal } from '../identity/principal';
import { canonicalJson, sha256Hex } from './canonical-json';

export interface PackVersionSummary {
  version: string;
  sha256: string;
  uploadedAt: string;
}

function toSummary(row: Pick<ProgramPackRow, 'version' | 'sha256' | 'uploaded_at'>): PackVersionSummary {
  return { version: row.version, sha256: row.sha256, uploadedAt: row.uploaded_at };
}

export async function listPackVersions(
  db: Kysely<ServerDatabase>,
  vendorId: string,
  programId: string,
): Promise<PackVersionSummary[]> {
  const rows = await db
    .selectFrom('program_packs')
    .select(['version', 'sha256', 'uploaded_at'])
    .where('vendor_org_id', '=', vendorId)
    .where('program_id', '=', programId)
    .orderBy('uploaded_at')
    .orderBy('version')
    .execute();
  return rows.map(toSummary);
}

/** Stores a version; `created` is false when the identical version was already there. */
export async function storePackVersion(
  db: Kysely<ServerDatabase>,
  principal: Principal,
  programId: string,
  pack: ScenarioPack,
  now: Date,
): Promise<{ created: boolean; versions: PackVersionSummary[] }> {
  const program = await db
    .selectFrom('programs')
    .select('id')
    .where('id', '=', programId)
    .where('vendor_org_id', '=', principal.vendorId)
    .executeTakeFirst();
  if (!program) throw notFound('No such program', `program ${programId} not in vendor ${principal.vendorId}`);
  if (pack.program.id !== programId)
    throw unprocessable(
      `The pack is for program "${pack.program.id}", not ${programId}; set program.id to the server’s program id`,
      `pack program.id ${pack.program.id} uploaded to ${programId}`,
    );
  const packJson = canonicalJson(pack);
  const sha256 = sha256Hex(packJson);
  const compareWithStored = async () => {
    const stored = await db
      .selectFrom('program_packs')
      .select('sha256')
      .where('vendor_org_id', '=', principal.vendorId)
      .where('program_id', '=', programId)
      .where('version', '=', pack.version)
      .executeTakeFirst();
    if (!stored) return false;
    if (stored.sha256 !== sha256)
      throw conflict(
        `Version ${pack.version} is already stored with other content; bump the pack’s version`,
        `pack ${programId}@${pack.version} re-uploaded with different content`,
      );
    return true;
  };
  if (await compareWithStored())
    return { created: false, versions: await listPackVersions(db, principal.vendorId, programId) };
  try {
    await db
      .insertInto('program_packs')
      .values({
        vendor_org_id: principal.vendorId,
        program_id: programId,
        version: pack.version,
        pack_json: packJson,
        sha256,
        uploaded_by: principal.user.id,
        uploaded_at: now.toISOString(),
      })
      .execute();
  } catch (error) {
    // Two uploads of the same version raced; the loser compares with the winner.
    if (!isUniqueViolation(error) || !(await compareWithStored())) throw error;
    return { created: false, versions: await listPackVersions(db, principal.vendorId, programId) };
  }
  return { created: true, versions: await listPackVersions(db, principal.vendorId, programId) };
}

/** The stored pack of the vendor's (programId, version), or undefined. */
export async function loadPackVersion(
  db: Kysely<ServerDatabase>,
  vendorId: string,
  programId: string,
  version: string,
): Promise<ScenarioPack | undefined> {
  const row = await db
    .selectFrom('program_packs')
    .select('pack_json')
    .where('vendor_org_id', '=', vendorId)
    .where('program_id', '=', programId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? scenarioPackSchema.parse(JSON.parse(row.pack_json)) : undefined;
}
