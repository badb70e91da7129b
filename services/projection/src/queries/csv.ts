/** One CSV cell: a number as JavaScript writes it, null as an empty cell. */
export type CsvValue = string | number | null;

// RFC 4180: a field that holds the separator, a quote or a line break is quoted, its quotes doubled.
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: CsvValue): string {
  if (value === null) return '';
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows as CSV text: CRLF after every row (RFC 4180), so spreadsheet programs read it as written. */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
