/** Display helpers for the Settings screen (pure, no state). */
import type { ModelSummary } from '../../../../shared/api/types';

export { formatBytes } from '../../../../shared/text/format';

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
