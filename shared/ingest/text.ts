import { DataError, quote } from '../errors.ts';
import { CsvReader, CsvSyntaxError, type CsvRow } from './csv.ts';
import { FIELD_ALIASES, KNOWN_FIELDS } from './event.ts';

/** Text formats `ingestText` reads. */
export type TextFormat = 'ndjson' | 'json' | 'csv';
export const TEXT_FORMATS: readonly TextFormat[] = ['ndjson', 'json', 'csv'];

/** A record of the text that could not be read as an event object; it is reported, not dropped. */
export class UnreadableRecord {
  constructor(readonly reason: string) {}
}

/** The records of a text, in order, each with the 1-based line it starts on. */
export interface TextRecords {
  records: unknown[];
  lines: number[];
}

/** Guesses the format from the first non-blank character: `[` JSON, `{` NDJSON, else CSV. */
export function detectFormat(text: string): TextFormat {
  const first = /\S/.exec(text)?.[0];
  if (first === '[') return 'json';
  if (first === '{') return 'ndjson';
  return 'csv';
}

function readNdjson(text: string): TextRecords {
  const records: unknown[] = [];
  const lines: number[] = [];
  text.split('\n').forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (line === '') return;
    lines.push(i + 1);
    try {
      records.push(JSON.parse(line));
    } catch (error) {
      records.push(new UnreadableRecord(`line ${i + 1}: not valid JSON (${(error as Error).message})`));
    }
  });
  return { records, lines };
}

function readJsonArray(text: string): TextRecords {
  let parsed: unknown;
  try {
    // A leading UTF-8 BOM (as NDJSON and CSV allow) is not JSON whitespace.
    parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new DataError(`json: not valid JSON (${(error as Error).message}); nothing was ingested`);
  }
  if (!Array.isArray(parsed)) throw new DataError('json: expected an array of events at the top level; nothing was ingested');
  return { records: parsed, lines: [] };
}

const PROPERTY_COLUMN = /^properties\.(.+)$/;

/** `text` with control characters written as `\xNN`, so binary junk read as a header prints as what it is. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** What each column of a CSV header fills: an event field, the `properties` JSON, or one property. */
type CsvColumn = { kind: 'field'; name: string } | { kind: 'properties' } | { kind: 'property'; name: string };

/**
 * Reads the header row. A text with no event column cannot give a single
 * event, so it is refused whole rather than read as rows that are all
 * rejected, or as a header with no rows (10 MB of junk without a comma or a
 * line end). Two columns that fill the same field or property are refused
 * too: RFC 4180 does not say which would win, and keeping either one loses
 * the other without a word.
 */
function readCsvHeader(header: CsvRow, guessed: boolean): CsvColumn[] {
  const names = header.fields.map((name) => name.trim());
  const at = `csv: line ${header.line}:`;
  if (!names.some((name) => (FIELD_ALIASES.event as readonly string[]).includes(name))) {
    const why = guessed ? ' (the text does not start with [ or {, so it was read as CSV)' : '';
    throw new DataError(
      `${at} the header has no event column (${FIELD_ALIASES.event.join(', ')}), so no row can be read${why}: ${printable(quote(header.fields.join(',')))}; nothing was ingested`,
    );
  }
  const filledBy = new Map<string, number>();
  return names.map((name, index) => {
    const column: CsvColumn =
      name === 'properties' ? { kind: 'properties' } : KNOWN_FIELDS.has(name) ? { kind: 'field', name } : { kind: 'property', name: PROPERTY_COLUMN.exec(name)?.[1] ?? name };
    const target = column.kind === 'property' ? `property ${quote(column.name)}` : `column ${quote(name)}`;
    const earlier = filledBy.get(target);
    if (earlier !== undefined) {
      const what = names[earlier] === name ? `names the column ${quote(name)} twice` : `has columns ${quote(names[earlier])} and ${quote(name)}, which both fill the ${target}`;
      throw new DataError(`${at} the header ${what} (columns ${earlier + 1} and ${index + 1}); rename or remove one; nothing was ingested`);
    }
    filledBy.set(target, index);
    if (header.problem?.field === index) throw new DataError(`${at} column ${index + 1} of the header: ${header.problem.reason}; nothing was ingested`);
    return column;
  });
}

/** An object without a prototype, so keys such as `__proto__` are plain keys. */
function plainRecord(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

/** One body row as a record, or the reason it cannot be one. */
function readCsvRow(row: CsvRow, columns: readonly CsvColumn[], names: readonly string[]): unknown {
  if (row.problem) {
    const name = names[row.problem.field];
    return new UnreadableRecord(`line ${row.line}: column ${row.problem.field + 1}${name === undefined ? '' : ` (${name})`}: ${row.problem.reason}`);
  }
  if (row.fields.length !== columns.length) {
    return new UnreadableRecord(`line ${row.line}: has ${row.fields.length} fields, the header has ${columns.length}`);
  }
  const record = plainRecord();
  let extra: Record<string, unknown> | null = null;
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c]!;
    const value = row.fields[c]!;
    if (value === '') continue;
    if (column.kind === 'properties') {
      try {
        record.properties = JSON.parse(value);
      } catch {
        return new UnreadableRecord(`line ${row.line}: properties: not valid JSON`);
      }
    } else if (column.kind === 'field') {
      record[column.name] = /^(timestamp|ts|time)$/.test(column.name) && /^\d+$/.test(value) ? Number(value) : value;
    } else {
      (extra ??= plainRecord())[column.name] = value;
    }
  }
  if (extra) {
    const base = record.properties;
    if (base !== undefined && (typeof base !== 'object' || base === null || Array.isArray(base))) {
      return new UnreadableRecord(`line ${row.line}: properties: must be a JSON object`);
    }
    // The `properties` JSON wins over a column of the same name; both copies keep `__proto__` as a plain key.
    record.properties = Object.assign(extra, base);
  }
  return record;
}

/**
 * CSV with a header row. Columns named like event fields (or their aliases)
 * fill those fields; a `properties` column holds a JSON object;
 * `properties.<key>` columns and any other column become string
 * properties, since CSV has nowhere else to put them. Empty cells are
 * absent values. A digits-only timestamp is epoch milliseconds. A row that
 * breaks RFC 4180 (a stray quote) is rejected with its line and column.
 */
function readCsv(text: string, guessed: boolean): TextRecords {
  const reader = new CsvReader(text);
  const records: unknown[] = [];
  const lines: number[] = [];
  try {
    const header = reader.next();
    if (!header) return { records, lines };
    const columns = readCsvHeader(header, guessed);
    const names = header.fields.map((name) => name.trim());
    for (let row = reader.next(); row; row = reader.next()) {
      records.push(readCsvRow(row, columns, names));
      lines.push(row.line);
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new DataError(`csv: ${error.message}; nothing was ingested`);
    throw error;
  }
  return { records, lines };
}

/**
 * Reads a text in the given format into records; a text that cannot be read
 * at all throws a DataError. `guessed` says the format was detected, not
 * given, so a message can say why the text was read so.
 */
export function readText(text: string, format: TextFormat, guessed = false): TextRecords {
  switch (format) {
    case 'ndjson':
      return readNdjson(text);
    case 'json':
      return readJsonArray(text);
    case 'csv':
      return readCsv(text, guessed);
  }
}
