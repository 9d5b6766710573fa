/** Display helpers for the Settings screen (pure, no state). */
import type { ModelSummary } from '../../../../shared/api/types';

const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

/** Decimal units, as model sizes are published: 59,721,011 → "59.7 MB". */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? Math.round(value) : decimal.format(value)} ${UNITS[unit]}`;
}

export function formatCount(count: number, one: string, many: string): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

export const STAGE_LABELS: Record<ModelSummary['stage'], string> = {
  transcribe: 'Speech to text',
  vad: 'Voice activity',
  judge: 'Content judge',
};

/** What the user loses while no model of a stage is installed. */
export const MISSING_STAGE_NOTES: Record<ModelSummary['stage'], string> = {
  transcribe: 'No speech model: recordings cannot be transcribed, so they get no feedback.',
  vad: 'No voice activity model: pauses are measured from the transcript alone, less precisely.',
  judge:
    'No judge model: content is checked by the built-in rules only (key messages and phrasings), with less detailed feedback.',
};

export const STATUS_LABELS: Record<ModelSummary['status'], string> = {
  installed: 'Installed',
  missing: 'Not installed',
  partial: 'Partly downloaded',
  corrupt: 'Damaged',
};
