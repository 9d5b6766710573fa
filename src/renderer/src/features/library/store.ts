import { create } from 'zustand';
import type { AppInfo } from '../../../../shared/api/contract';
import type { ProgramSummary, ScenarioSummary } from '../../../../shared/api/types';
import { call } from '../../lib/api';
import { errorText, notify, notifyError } from '../../lib/notifications';

interface LibraryState {
  programs: ProgramSummary[];
  scenarios: ScenarioSummary[];
  info: AppInfo | null;
  loading: boolean;
  importing: boolean;
  error: string | null;
  load(): Promise<void>;
  importPack(path: string): Promise<void>;
}

export const useLibrary = create<LibraryState>((set, get) => ({
  programs: [],
  scenarios: [],
  info: null,
  loading: false,
  importing: false,
  error: null,
  async load() {
    set({ loading: get().programs.length === 0, error: null });
    try {
      const [programs, scenarios, info] = await Promise.all([
        call('programs.list', {}),
        call('scenarios.list', {}),
        call('app.info', {}),
      ]);
      set({ programs, scenarios, info, loading: false });
    } catch (error) {
      set({ loading: false, error: errorText(error) });
    }
  },
  async importPack(path) {
    set({ importing: true });
    try {
      const result = await call('packs.import', { path });
      notify(
        result.outcome === 'unchanged'
          ? `“${result.title}” is already in your library.`
          : `Imported “${result.title}” (${result.scenarioCount} scenarios).`,
        'success',
      );
      for (const warning of result.warnings) notify(warning);
      await get().load();
    } catch (error) {
      notifyError(error);
    } finally {
      set({ importing: false });
    }
  },
}));
