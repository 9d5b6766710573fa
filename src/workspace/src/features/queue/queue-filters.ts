/** The queue's filters: pure, so the page stays a view. */
import type { QueueItem } from '../../lib/api';

export const WAITING_OPTIONS = [
  { value: 'any', label: 'Any time', minMs: 0 },
  { value: '1h', label: 'More than 1 hour', minMs: 3_600_000 },
  { value: '1d', label: 'More than 1 day', minMs: 86_400_000 },
  { value: '3d', label: 'More than 3 days', minMs: 3 * 86_400_000 },
] as const;
export type WaitingFilter = (typeof WAITING_OPTIONS)[number]['value'];

export interface QueueFilters {
  programId: string;
  scenarioId: string;
  /** The partner's organisation id. */
  companyId: string;
  waiting: WaitingFilter;
}

export const NO_FILTERS: QueueFilters = { programId: '', scenarioId: '', companyId: '', waiting: 'any' };

export function filterQueue(
  items: readonly QueueItem[],
  filters: QueueFilters,
  companyOf: (partnerId: string) => string | undefined,
  nowMs: number,
): QueueItem[] {
  const minMs = WAITING_OPTIONS.find((o) => o.value === filters.waiting)?.minMs ?? 0;
  return items
    .filter(
      (item) =>
        (!filters.programId || item.programId === filters.programId) &&
        (!filters.scenarioId || item.scenarioId === filters.scenarioId) &&
        (!filters.companyId || companyOf(item.partner.id) === filters.companyId) &&
        nowMs - Date.parse(item.createdAt) >= minMs,
    )
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id.localeCompare(b.id));
}

export const isFiltered = (f: QueueFilters) =>
  f.programId !== '' || f.scenarioId !== '' || f.companyId !== '' || f.waiting !== 'any';
