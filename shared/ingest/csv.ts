/**
 * RFC 4180 CSV: comma separated, fields optionally in double quotes (a
 * quote inside is doubled), CRLF or LF line ends, an optional UTF-8 BOM.
 */

/** One parsed row with the 1-based line it starts on. */
export interface CsvRow {
  line: number;
  fields: string[];
  /**
   * Where the row departs from RFC 4180 without making the rest of the text
   * unreadable: the 0-based index of the first such field and what is wrong.
   * The field then holds its characters as they stand, quotes included.
   */
  problem?: CsvProblem;
}

/** A field that RFC 4180 does not allow, found in an otherwise readable row. */
export interface CsvProblem {
  field: number;
  reason: string;
}

/** Thrown for text that is not CSV at all (an unterminated quote). */
export class CsvSyntaxError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** RFC 4180 section 2, rules 5 and 7: a field with a quote is quoted whole, and its quotes are doubled. */
const STRAY_QUOTE = 'a quote inside a field that does not start with one (RFC 4180: quote the whole field and double the quotes inside)';
const AFTER_CLOSING_QUOTE = 'characters after the closing quote of a quoted field (RFC 4180: double a quote that is part of the value)';

/**
 * Reads CSV rows one at a time, so a caller can check the header before the
 * body is split. Each field is cut out with one `slice` (quoted ones once per
 * doubled quote), never grown a character at a time: 10 MB without a comma or
 * a line end is one scan.
 */
export class CsvReader {
  private index: number;
  private line = 1;

  constructor(private readonly text: string) {
    this.index = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /** The next row that is not empty, or null at the end; throws a CsvSyntaxError for a quote that is never closed. */
  next(): CsvRow | null {
    while (this.index < this.text.length) {
      const row = this.readRow();
      if (row.fields.length > 1 || row.fields[0] !== '') return row;
    }
    return null;
  }

  /** Reads one row up to and including its line end. */
  private readRow(): CsvRow {
    const row: CsvRow = { line: this.line, fields: [] };
    for (;;) {
      const value = this.text.charCodeAt(this.index) === QUOTE ? this.readQuoted(row) : this.readUnquoted(row, '');
      row.fields.push(value);
      const code = this.text.charCodeAt(this.index);
      this.index++;
      if (code === COMMA) continue;
      // A line end (CRLF, LF or a lone CR), or the end of the text (NaN).
      if (code === CR && this.text.charCodeAt(this.index) === LF) this.index++;
      this.line++;
      return row;
    }
  }

  /** An unquoted field (or the rest of a damaged quoted one, after `head`), up to the next comma or line end. */
  private readUnquoted(row: CsvRow, head: string): string {
    const { text } = this;
    const start = this.index;
    let end = start;
    for (; end < text.length; end++) {
      const code = text.charCodeAt(end);
      if (code === COMMA || code === LF || code === CR) break;
      if (code === QUOTE && !row.problem && head === '') row.problem = { field: row.fields.length, reason: STRAY_QUOTE };
    }
    this.index = end;
    return head + text.slice(start, end);
  }

  /** A quoted field: its quotes undoubled; text after the closing quote is kept and reported. */
  private readQuoted(row: CsvRow): string {
    const { text } = this;
    const startLine = this.line;
    let value = '';
    let from = this.index + 1;
    for (;;) {
      const close = text.indexOf('"', from);
      if (close === -1) throw new CsvSyntaxError(startLine, 'a quoted field is never closed');
      value += text.slice(from, close);
      if (text.charCodeAt(close + 1) === QUOTE) {
        value += '"';
        from = close + 2;
        continue;
      }
      this.countLines(this.index, close);
      this.index = close + 1;
      break;
    }
    const next = text.charCodeAt(this.index);
    if (next === COMMA || next === LF || next === CR || Number.isNaN(next)) return value;
    if (!row.problem) row.problem = { field: row.fields.length, reason: AFTER_CLOSING_QUOTE };
    return this.readUnquoted(row, value);
  }

  /** Line ends inside a quoted field still count toward the line numbers of the rows after it. */
  private countLines(from: number, to: number): void {
    for (let i = this.text.indexOf('\n', from); i !== -1 && i < to; i = this.text.indexOf('\n', i + 1)) this.line++;
  }
}

/** Splits CSV text into rows. Empty lines are skipped. */
export function parseCsv(text: string): CsvRow[] {
  const reader = new CsvReader(text);
  const rows: CsvRow[] = [];
  for (let row = reader.next(); row; row = reader.next()) rows.push(row);
  return rows;
}

function escapeField(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes rows (the first usually a header) as CSV with CRLF line ends, quoting where needed. */
export function formatCsv(rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  return rows.map((row) => row.map((value) => escapeField(value == null ? '' : String(value))).join(',')).join('\r\n') + '\r\n';
}
