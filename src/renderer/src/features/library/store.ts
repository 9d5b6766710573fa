import { create } from 'zustand';
import type { ProgramSummary, ScenarioSummary } from '../../../../shared/api/types';
import { call } from '../../lib/api';

interface LibraryState {
  programs: ProgramSummary[];
  scenarios: ScenarioSummary[];
  loading: boolean;
  error: string | null;
  load(): Promise<void>;
}

export const useLibrary = create<LibraryState>((set) => ({
  programs: [],
  scenarios: [],
  loading: false,
  error: null,
  async load() {
    set({ loading: true, error: null });
    try {
      const [programs, scenarios] = await Promise.all([
        call('programs.list', {}),
        call('scenarios.list', {}),
      ]);
      set({ programs, scenarios, loading: false });
    } catch (error) {
      set({ loading: false, error: error instanceof Error ? error.message : String(error) });
    }
  },
}));
