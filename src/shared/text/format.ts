/**
 * Display formats shared by the app, the workspace, the CLI and the judges' rationales: one clock
 * and one byte size, so a time or a size reads the same everywhere.
 */

/** "0:42", "12:05", "1:02:03" (seconds rounded down). Negative and non-finite values read as 0:00. */
export function formatClock(seconds: number): string {
  const total = Number.isFinite(seconds) ? Math.max(0, Math.floor(seconds)) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Binary units: 512 → "512 B", 59,721,011 → "57 MiB", 1,500,000 → "1.4 MiB". */
export function formatBytes(bytes: number): string {
  const b = Number.isFinite(bytes) ? Math.max(0, Math.round(bytes)) : 0;
  if (b < 1024) return `${b} B`;
  let value = b / 1024;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${BYTE_UNITS[unit]}`;
}
