/** Small text helpers for human-readable CLI output. */
import { formatClock } from '../shared/text/format';
import { terminalSafe } from './output';

/** One field of a line (a title, an id): controls and newlines shown visibly. */
export const field = (text: string): string => terminalSafe(text);

/** A plain text table: columns padded to the widest cell; a cell never holds a control or newline. */
export function table(headers: string[], rawRows: string[][]): string {
  const rows = rawRows.map((r) => r.map(field));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export { formatBytes } from '../shared/text/format';

export function formatDuration(seconds: number | null): string {
  return seconds === null ? '-' : formatClock(seconds);
}
