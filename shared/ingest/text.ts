import { DataError } from '../errors.ts';
import { parseCsv, CsvSyntaxError } from './csv.ts';
import { KNOWN_FIELDS } from './event.ts';

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

/**
 * CSV with a header row. Columns named like event fields (or their aliases)
 * fill those fields; a `properties` column holds a JSON object;
 * `properties.<key>` columns and any other column become string
 * properties, since CSV has nowhere else to put them. Empty cells are
 * absent values. A digits-only timestamp is epoch milliseconds.
 */
function readCsv(text: string): TextRecords {
  let rows;
  try {
    rows = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new DataError(`csv: ${error.message}; nothing was ingested`);
    throw error;
  }
  const [header, ...body] = rows;
  if (!header) return { records: [], lines: [] };
  const columns = header.fields.map((name) => name.trim());
  const records = body.map((row): unknown => {
    if (row.fields.length !== columns.length) {
      return new UnreadableRecord(`line ${row.line}: has ${row.fields.length} fields, the header has ${columns.length}`);
    }
    const record: Record<string, unknown> = {};
    const extra: Record<string, string> = {};
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c]!;
      const value = row.fields[c]!;
      if (value === '') continue;
      if (column === 'properties') {
        try {
          record.properties = JSON.parse(value);
        } catch {
          return new UnreadableRecord(`line ${row.line}: properties: not valid JSON`);
        }
      } else if (KNOWN_FIELDS.has(column)) {
        record[column] = /^(timestamp|ts|time)$/.test(column) && /^\d+$/.test(value) ? Number(value) : value;
      } else {
        extra[PROPERTY_COLUMN.exec(column)?.[1] ?? column] = value;
      }
    }
    if (Object.keys(extra).length > 0) {
      const base = record.properties;
      if (base !== undefined && (typeof base !== 'object' || base === null || Array.isArray(base))) {
        return new UnreadableRecord(`line ${row.line}: properties: must be a JSON object`);
      }
      record.properties = { ...extra, ...(base as Record<string, unknown> | undefined) };
    }
    return record;
  });
  return { records, lines: body.map((row) => row.line) };
}

/** Reads a text in the given format into records; a text that cannot be read at all throws a DataError. */
export function readText(text: string, format: TextFormat): TextRecords {
  switch (format) {
    case 'ndjson':
      return readNdjson(text);
    case 'json':
      return readJsonArray(text);
    case 'csv':
      return readCsv(text);
  }
}
