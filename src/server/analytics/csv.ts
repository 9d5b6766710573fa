/**
 * RFC 4180 CSV: CRLF line ends, a header row, fields quoted when they hold a comma, a double quote,
 * CR or LF (quotes doubled). Text starting with = + - @ or a tab/CR is prefixed with an apostrophe
 * so spreadsheets do not run it as a formula (OWASP "CSV injection"); numbers are written as is.
 */
export type CsvCell = string | number | boolean | null | undefined;

export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
