/**
 * RFC 4180 CSV: comma separated, fields optionally in double quotes (a
 * quote inside is doubled), CRLF or LF line ends, an optional UTF-8 BOM.
 */

/** One parsed row with the 1-based line it starts on. */
export interface CsvRow {
  line: number;
  fields: string[];
}

/** Thrown for text that is not CSV at all (an unterminated quote). */
export class CsvSyntaxError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

/** Splits CSV text into rows. Empty lines are skipped. */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let inQuotes = false;
  let quoteStartLine = 0;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = (): void => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') {
      inQuotes = true;
      quoteStartLine = line;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else field += ch;
  }
  if (inQuotes) throw new CsvSyntaxError(quoteStartLine, 'a quoted field is never closed');
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}

function escapeField(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes rows (the first usually a header) as CSV with CRLF line ends, quoting where needed. */
export function formatCsv(rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  return rows.map((row) => row.map((value) => escapeField(value == null ? '' : String(value))).join(',')).join('\r\n') + '\r\n';
}
