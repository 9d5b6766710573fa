/**
 * Every migration, listed statically: a bundled app has no migrations folder to scan at runtime.
 * Names sort in the order they run. Add new migrations at the end; never edit or remove one that
 * has shipped (tests/integration/main/core/store/migrations.test.ts checks that later ones only add).
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as createPrograms from './2026_11_23_1200_create_programs';
import * as createAttempts from './2026_11_23_1210_create_attempts';
import * as createAnalysis from './2026_11_23_1220_create_analysis';
import * as createSyncState from './2026_11_23_1230_create_sync_state';
import * as createSettings from './2026_11_23_1240_create_settings';
import * as addSyncOutbox from './2026_11_24_1200_add_sync_outbox';

export const migrations: Readonly<Record<string, Migration>> = {
  '2026_11_23_1200_create_programs': createPrograms,
  '2026_11_23_1210_create_attempts': createAttempts,
  '2026_11_23_1220_create_analysis': createAnalysis,
  '2026_11_23_1230_create_sync_state': createSyncState,
  '2026_11_23_1240_create_settings': createSettings,
  '2026_11_24_1200_add_sync_outbox': addSyncOutbox,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...migrations }),
};
