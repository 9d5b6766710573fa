/** Small formatting helpers shared by the queue and the review page. */

/** 83.4 → "1:23" (the shared clock). */
export { formatClock } from '../../../shared/text/format';

/** How long something has waited, coarse: "4 min", "3 h", "2 d". */
export function formatWaiting(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/** Seconds → "3 minutes" / "45 seconds", for a rate-limit wait. */
export function formatWait(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} second${Math.ceil(seconds) === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export const formatDateTime = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A 0..1 score as 0–100, or "—" when not scored. */
export const asPercent = (score: number | null) => (score === null ? '—' : String(Math.round(score * 100)));
