/**
 * The progress screen's state: programs and scenarios for the picker, the attempts of the chosen
 * scenario (or all), the key metrics of the latest analysed ones for the chart, the attempts picked
 * for comparison and the comparison itself. Kept fresh by the core's events.
 */
import { create } from 'zustand';
import type {
  AttemptReview,
  AttemptSummary,
  ProgramSummary,
  ScenarioSummary,
} from '../../../../shared/api/types';
import { call, on } from '../../lib/api';
import { errorText, notify, notifyError } from '../../lib/notifications';
import { chartAttempts, keyMetrics, type KeyMetrics } from './chart';

/** The table lists at most this many attempts (newest first). */
export const LIST_LIMIT = 200;
/** Reviews fetched at once for the chart's metrics. */
const CONCURRENCY = 3;

export interface ProgressFilter {
  programId?: string;
  scenarioId?: string;
}

type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

interface ComparisonState {
  ids: [string, string];
  status: LoadStatus;
  reviews: [AttemptReview, AttemptReview] | null;
  error: string | null;
}

interface ProgressState {
  filter: ProgressFilter;
  status: LoadStatus;
  error: string | null;
  programs: ProgramSummary[];
  scenarios: ScenarioSummary[];
  attempts: AttemptSummary[];
  /** Key metrics per attempt id; null when the attempt has none (not measured or failed to load). */
  metrics: Record<string, KeyMetrics | null>;
  metricsLoading: boolean;
  /** Attempt ids ticked for comparison (at most two). */
  selected: string[];
  comparison: ComparisonState | null;
  deleting: string | null;
  load(filter: ProgressFilter): Promise<void>;
  refresh(): Promise<void>;
  toggleSelected(attemptId: string): void;
  clearSelection(): void;
  loadComparison(ids: [string, string], options?: { force?: boolean }): Promise<void>;
  remove(attemptId: string): Promise<boolean>;
  /** Forgets the cached metrics of an attempt that changed (re-analysed, deleted). */
  invalidate(attemptId: string): void;
}

let loadSeq = 0;
let compareSeq = 0;
/** Metric fetches under way, across overlapping refreshes. */
let metricFetches = 0;

const sameFilter = (a: ProgressFilter, b: ProgressFilter) =>
  a.programId === b.programId && a.scenarioId === b.scenarioId;

/** Runs `task` over `items`, `limit` at a time. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export const useProgress = create<ProgressState>((set, get) => ({
  filter: {},
  status: 'idle',
  error: null,
  programs: [],
  scenarios: [],
  attempts: [],
  metrics: {},
  metricsLoading: false,
  selected: [],
  comparison: null,
  deleting: null,

  async load(filter) {
    if (!sameFilter(filter, get().filter) || get().status === 'idle' || get().status === 'error')
      set({ filter, status: 'loading', error: null, attempts: [], selected: [] });
    await get().refresh();
  },

  async refresh() {
    const { filter } = get();
    const seq = ++loadSeq;
    let programs: ProgramSummary[];
    let scenarios: ScenarioSummary[];
    let attempts: AttemptSummary[];
    try {
      [programs, scenarios, attempts] = await Promise.all([
        call('programs.list', {}),
        call('scenarios.list', {}),
        call('attempts.list', {
          ...(filter.programId && filter.scenarioId
            ? { programId: filter.programId, scenarioId: filter.scenarioId }
            : {}),
          limit: LIST_LIMIT,
        }),
      ]);
    } catch (error) {
      if (seq !== loadSeq) return;
      notifyError(error);
      // A failed refresh keeps what is on screen; a failed first load shows the error.
      if (get().status !== 'ready') set({ status: 'error', error: errorText(error) });
      return;
    }
    if (seq !== loadSeq) return;
    const ids = new Set(attempts.map((a) => a.id));
    set((s) => ({
      status: 'ready',
      error: null,
      programs,
      scenarios,
      attempts,
      selected: s.selected.filter((id) => ids.has(id)),
    }));

    // Metrics for the chart come from each attempt's review (cached: an analysed attempt's
    // metrics only change when it is analysed again, which invalidates the entry).
    const missing = chartAttempts(attempts).filter((a) => !(a.id in get().metrics));
    if (missing.length === 0) return;
    metricFetches++;
    set({ metricsLoading: true });
    const failures: unknown[] = [];
    await eachLimited(missing, CONCURRENCY, async (a) => {
      try {
        const review = await call('attempt.review', { attemptId: a.id });
        set((s) => ({ metrics: { ...s.metrics, [a.id]: keyMetrics(review.metrics) } }));
      } catch (error) {
        failures.push(error);
      }
    });
    metricFetches--;
    set({ metricsLoading: metricFetches > 0 });
    if (failures.length > 0)
      notifyError(
        new Error(
          `Could not load the delivery metrics of ${failures.length} attempt${failures.length === 1 ? '' : 's'}: ${errorText(failures[0])}`,
        ),
      );
  },

  toggleSelected(attemptId) {
    set((s) => {
      if (s.selected.includes(attemptId)) return { selected: s.selected.filter((id) => id !== attemptId) };
      // A third pick replaces the older of the two, so the last two clicked are compared.
      return { selected: [...s.selected, attemptId].slice(-2) };
    });
  },

  clearSelection() {
    set({ selected: [] });
  },

  async loadComparison(ids, options) {
    const current = get().comparison;
    const same = current?.ids[0] === ids[0] && current.ids[1] === ids[1];
    if (same && current.status !== 'error' && !options?.force) return;
    const seq = ++compareSeq;
    // A forced reload (the attempt was re-analysed) keeps the old table up until the new one arrives.
    if (!same || !options?.force) set({ comparison: { ids, status: 'loading', reviews: null, error: null } });
    try {
      const reviews = await Promise.all([
        call('attempt.review', { attemptId: ids[0] }),
        call('attempt.review', { attemptId: ids[1] }),
      ]);
      if (seq !== compareSeq) return;
      set({ comparison: { ids, status: 'ready', reviews, error: null } });
    } catch (error) {
      if (seq !== compareSeq) return;
      notifyError(error);
      set({ comparison: { ids, status: 'error', reviews: null, error: errorText(error) } });
    }
  },

  async remove(attemptId) {
    if (get().deleting) return false;
    set({ deleting: attemptId });
    try {
      const { deleted } = await call('attempt.delete', { attemptId });
      notify(deleted ? 'Attempt deleted.' : 'That attempt was already gone.', deleted ? 'success' : 'info');
      get().invalidate(attemptId);
      set((s) => ({ attempts: s.attempts.filter((a) => a.id !== attemptId) }));
      return true;
    } catch (error) {
      notifyError(error);
      return false;
    } finally {
      set({ deleting: null });
    }
  },

  invalidate(attemptId) {
    set((s) => {
      const { [attemptId]: _gone, ...metrics } = s.metrics;
      return { metrics };
    });
  },
}));

/** Follows the core's events while the progress screen is open; returns the unsubscribe function. */
export function followProgressEvents(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Several events often arrive together (analysis finished + attempt changed): refresh once.
  const refreshSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void useProgress.getState().refresh(), 250);
  };
  const changed = (e: { attemptId: string }) => {
    const state = useProgress.getState();
    state.invalidate(e.attemptId);
    if (state.comparison?.ids.includes(e.attemptId))
      void state.loadComparison(state.comparison.ids, { force: true });
    refreshSoon();
  };
  const offs = [
    on('analysis.finished', changed),
    on('attempt.changed', changed),
    on('attempt.deleted', (e) => {
      useProgress.getState().invalidate(e.attemptId);
      useProgress.setState((s) => ({
        selected: s.selected.filter((id) => id !== e.attemptId),
        ...(s.comparison?.ids.includes(e.attemptId)
          ? {
              comparison: {
                ids: s.comparison.ids,
                status: 'error' as const,
                reviews: null,
                error: 'One of the compared attempts was deleted.',
              },
            }
          : {}),
      }));
      refreshSoon();
    }),
    on('pack.imported', refreshSoon),
  ];
  return () => {
    clearTimeout(timer);
    offs.forEach((off) => off());
  };
}
