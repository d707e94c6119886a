import type { Database } from 'sql.js';
import { DataError, SpecError, quote } from '../errors.ts';
import { KNOWN_FIELDS, validateEvent, type ValidEvent } from '../ingest/event.ts';
import { detectFormat, readText, TEXT_FORMATS, UnreadableRecord, type TextFormat } from '../ingest/text.ts';
import { queryCalendar } from '../query/context.ts';
import { runQuery, type Query, type ResultOf } from '../query/kinds.ts';
import type { Source } from '../source.ts';
import { sqliteDialect } from '../sql/dialect.ts';
import { SqlJsExecutor } from '../sql/executor.ts';
import { isDateOnly, parseDate, parseIsoTime } from '../time/parse.ts';
import type { Calendar, WeekStart } from '../time/periods.ts';
import { instantOf, isTimeZone } from '../time/zone.ts';
import { checkSchema, createSchema, readSetting, writeSetting } from './schema.ts';
import { loadSqlJs } from './sqljs.ts';
import type { WasmOptions } from './wasm-options.ts';
import { writeEvents } from './write-events.ts';

/** Options of `openStore`. Every one is optional. */
export interface StoreOptions extends WasmOptions {
  /** IANA time zone that periods are computed in; default `UTC`, or the one a reopened file was saved with. A query may override it. */
  timezone?: string;
  /** First day of a week; default `monday`, or the one a reopened file was saved with. A query may override it. */
  weekStart?: WeekStart;
  /** Distinct-user counts above 0 and below this are reported as null; default 1 (off). */
  minGroupSize?: number;
  /** A SQLite file saved by `export()`, to reopen. */
  data?: Uint8Array | ArrayBuffer;
  /** The clock, in epoch ms; default `Date.now`. Fixes "today" for reproducible queries. */
  now?: () => number;
}

/** What `ingest` did with each input event. Nothing is dropped without being counted here. */
export interface IngestReport {
  /** Events stored. */
  accepted: number;
  /** Events whose `uuid` was already stored (or repeated within the call): not stored again. */
  duplicates: number;
  /** Events refused, with their 0-based index (and, for text, the line) and the field and problem. */
  rejected: { index: number; line?: number; reason: string }[];
  /** Top-level fields that are not event fields, and so were not stored. */
  ignoredFields: string[];
}

/** A Footprint store: events in SQLite, queried by metric specs. Every method returns a promise. */
export interface Store extends Source {
  /** Validates and stores events in one transaction. */
  ingest(events: readonly unknown[]): Promise<IngestReport>;
  /** Reads NDJSON, a JSON array or CSV with a header row (format guessed when omitted), then ingests. */
  ingestText(text: string, format?: TextFormat): Promise<IngestReport>;
  /** Runs a query spec (see METRICS.md); a bad spec rejects with a SpecError naming the field. */
  query<Q extends Query>(spec: Q): Promise<ResultOf<Q>>;
  /** The whole store as a SQLite file that `openStore({ data })` reopens. */
  export(): Promise<Uint8Array>;
  /** Removes every event of a user; resolves to how many were removed. */
  deleteUser(userId: string | number): Promise<number>;
  /** Removes every event before an instant (a `YYYY-MM-DD` date means its local midnight); resolves to how many. */
  purgeBefore(date: string | number | Date): Promise<number>;
  /** Frees the database; the store cannot be used afterwards. */
  close(): Promise<void>;
}

/** Checks the options; `saved` holds the settings a reopened file carries, used where an option is not given. */
function readOptions(options: StoreOptions, saved: Partial<Record<'timezone' | 'weekStart', string>> = {}): { calendar: Calendar; minGroupSize: number } {
  const timezone = options.timezone ?? saved.timezone ?? 'UTC';
  if (typeof timezone !== 'string' || !isTimeZone(timezone)) throw new SpecError('timezone', `not an IANA time zone: ${quote(timezone)}`);
  const weekStart = options.weekStart ?? saved.weekStart ?? 'monday';
  if (weekStart !== 'monday' && weekStart !== 'sunday') throw new SpecError('weekStart', `must be monday or sunday, got ${quote(weekStart)}`);
  const minGroupSize = options.minGroupSize ?? 1;
  if (!Number.isInteger(minGroupSize) || minGroupSize < 1) throw new SpecError('minGroupSize', `must be a whole number of at least 1, got ${quote(minGroupSize)}`);
  return { calendar: { timezone, weekStart }, minGroupSize };
}

class SqlJsStore implements Store {
  private db: Database | null;
  private readonly executor: SqlJsExecutor;

  constructor(
    db: Database,
    private readonly calendar: Calendar,
    private readonly minGroupSize: number,
    private readonly now: () => number,
  ) {
    this.db = db;
    this.executor = new SqlJsExecutor(db);
  }

  private open(): Database {
    if (!this.db) throw new Error('store is closed');
    return this.db;
  }

  async ingest(events: readonly unknown[]): Promise<IngestReport> {
    if (!Array.isArray(events)) throw new DataError(`events: must be an array of event objects, got ${quote(events)}`);
    return this.ingestRecords(events, []);
  }

  async ingestText(text: string, format?: TextFormat): Promise<IngestReport> {
    if (typeof text !== 'string') throw new DataError(`text: must be a string, got ${typeof text}`);
    if (format !== undefined && !TEXT_FORMATS.includes(format)) {
      throw new SpecError('format', `must be one of ${TEXT_FORMATS.join(', ')}, got ${quote(format)}`);
    }
    const { records, lines } = readText(text, format ?? detectFormat(text));
    return this.ingestRecords(records, lines);
  }

  private ingestRecords(records: readonly unknown[], lines: readonly number[]): IngestReport {
    const db = this.open();
    const valid: ValidEvent[] = [];
    const rejected: IngestReport['rejected'] = [];
    const ignored = new Set<string>();
    records.forEach((record, index) => {
      const line = lines[index];
      const outcome = record instanceof UnreadableRecord ? { reason: record.reason } : validateEvent(record, this.calendar.timezone);
      if ('reason' in outcome) {
        rejected.push(line === undefined ? { index, reason: outcome.reason } : { index, line, reason: outcome.reason });
        return;
      }
      valid.push(outcome);
      for (const key of Object.keys(record as object)) if (!KNOWN_FIELDS.has(key)) ignored.add(key);
    });
    db.exec('BEGIN');
    let accepted: number;
    try {
      accepted = writeEvents(db, valid);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    return { accepted, duplicates: valid.length - accepted, rejected, ignoredFields: [...ignored].sort() };
  }

  async query<Q extends Query>(spec: Q): Promise<ResultOf<Q>> {
    this.open();
    const calendar = typeof spec === 'object' && spec !== null ? queryCalendar(spec as unknown as Record<string, unknown>, this.calendar) : this.calendar;
    return runQuery(spec, {
      sql: this.executor,
      dialect: sqliteDialect,
      calendar,
      now: this.now(),
      minGroupSize: this.minGroupSize,
    }) as ResultOf<Q>;
  }

  async export(): Promise<Uint8Array> {
    return this.open().export();
  }

  async deleteUser(userId: string | number): Promise<number> {
    if ((typeof userId !== 'string' || userId === '') && typeof userId !== 'number') {
      throw new SpecError('userId', `must be a non-empty string or a number, got ${quote(userId)}`);
    }
    return this.remove(
      'DELETE FROM events WHERE user_id = (SELECT id FROM users WHERE external_id = $user)',
      { $user: String(userId) },
    );
  }

  async purgeBefore(date: string | number | Date): Promise<number> {
    return this.remove('DELETE FROM events WHERE ts < $before', { $before: this.instant(date) });
  }

  /** Deletes events, then the user ids and names no event refers to any more, in one transaction. */
  private remove(sql: string, params: Record<string, string | number>): number {
    const db = this.open();
    db.exec('BEGIN');
    try {
      db.run(sql, params);
      const removed = db.getRowsModified();
      db.exec('DELETE FROM users WHERE id NOT IN (SELECT user_id FROM events)');
      db.exec('DELETE FROM event_names WHERE id NOT IN (SELECT name_id FROM events)');
      db.exec('COMMIT');
      return removed;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }

  private instant(date: string | number | Date): number {
    if (date instanceof Date && !Number.isNaN(date.getTime())) return date.getTime();
    if (typeof date === 'number' && Number.isFinite(date)) return date;
    if (typeof date === 'string') {
      const day = isDateOnly(date) ? parseDate(date) : null;
      const ms = day ? instantOf(day, this.calendar.timezone) : parseIsoTime(date, this.calendar.timezone);
      if (ms !== null) return ms;
    }
    throw new SpecError('date', `not a date: ${quote(date)} (give YYYY-MM-DD, an ISO 8601 date-time, epoch ms or a Date)`);
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = null;
  }
}

/**
 * Opens a store: empty, or from a SQLite file saved by `export()`. Works
 * with no options in Node and in browsers.
 */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  readOptions(options); // fail on bad options before loading the engine
  const SQL = await loadSqlJs(options);
  let db: Database;
  if (options.data) {
    const bytes = options.data instanceof Uint8Array ? options.data : new Uint8Array(options.data);
    db = new SQL.Database(bytes);
    try {
      checkSchema(db);
    } catch (error) {
      db.close();
      throw error;
    }
  } else {
    db = new SQL.Database();
    createSchema(db);
  }
  let settings: ReturnType<typeof readOptions>;
  try {
    settings = readOptions(options, { timezone: readSetting(db, 'timezone'), weekStart: readSetting(db, 'weekStart') });
    writeSetting(db, 'timezone', settings.calendar.timezone);
    writeSetting(db, 'weekStart', settings.calendar.weekStart);
  } catch (error) {
    db.close();
    throw error;
  }
  // Deleted events are overwritten, so an exported file keeps no trace of them.
  db.exec('PRAGMA secure_delete = ON');
  return new SqlJsStore(db, settings.calendar, settings.minGroupSize, options.now ?? Date.now);
}
