/**
 * Every server migration, listed statically (a bundled server has no folder to scan). Names sort in
 * the order they run; add new ones at the end and never edit one that has shipped.
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as createIdentity from './2026_12_01_1000_create_identity';
import * as createSubmissions from './2026_12_15_1000_create_submissions';
import * as createIntegrations from './2026_12_22_1000_create_integrations';
import * as scopeProgramIdsPerVendor from './2027_01_05_1000_scope_program_ids_per_vendor';

export const serverMigrations: Readonly<Record<string, Migration>> = {
  '2026_12_01_1000_create_identity': createIdentity,
  '2026_12_15_1000_create_submissions': createSubmissions,
  '2026_12_22_1000_create_integrations': createIntegrations,
  '2027_01_05_1000_scope_program_ids_per_vendor': scopeProgramIdsPerVendor,
};

export const serverMigrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...serverMigrations }),
};
