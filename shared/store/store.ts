import type { Database } from 'sql.js';
import { DataError, SpecError, quote } from '../errors.ts';
import { idText, KNOWN_FIELDS, userIdOf, validateEvent, type ValidEvent } from '../ingest/event.ts';
import { detectFormat, readText, TEXT_FORMATS, UnreadableRecord, type TextFormat } from '../ingest/text.ts';
import { Pseudonymizer, readPseudonymizeSalt, type PseudonymizeOptions } from '../privacy/pseudonymize.ts';
import { queryCalendar } from '../query/context.ts';
import { runQuery, type Query, type ResultOf } from '../query/kinds.ts';
import type { Source } from '../source.ts';
import { sqliteDialect } from '../sql/dialect.ts';
import { SqlJsExecutor } from '../sql/executor.ts';
import { isDateOnly, parseDate, parseIsoTime } from '../time/parse.ts';
import type { Calendar, WeekStart } from '../time/periods.ts';
import { instantOf, isTimeZone } from '../time/zone.ts';
import { createSchema, openSchema, readSetting, writeSetting } from './schema.ts';
import { loadSqlJs } from './sqljs.ts';
import { inTransaction } from './transaction.ts';
import type { WasmOptions } from './wasm-options.ts';
import { writeEvents } from './write-events.ts';
import { ActivityCounter, deleteUserActivity, ensureActivity, purgeActivityBefore } from './activity.ts';
import { deleteUserSessions, ensureKeptSessions, purgeSessionsBefore, SessionKeeper } from './kept-sessions.ts';
import { deleteUserFirstUses, ensureFirstUses, FirstUseTracker, purgeFirstUsesBefore } from './first-uses.ts';

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
  /**
   * Pseudonymize user ids (METRICS.md section 15): at ingest each id is
   * replaced by HMAC-SHA-256(key = salt, message = id) in lower-case hex, so
   * raw ids never reach the database; results show the hex. `deleteUser(id)`
   * and the `events` query's `user` take the raw id and hash it the same way,
   * so a person can still see and delete their own data.
   *
   * The salt is not saved in the file: pass the same `pseudonymize` option
   * every time the store is reopened. Reopened without it (or with another
   * salt), new events get other ids than the stored ones and lookups by raw
   * id find nothing. Needs Web Crypto (`crypto.subtle`): Node 20+, and
   * browsers on https or localhost pages.
   */
  pseudonymize?: PseudonymizeOptions;
  /**
   * Scrub event properties at ingest; default true. In every string value
   * (nested objects and arrays included; keys are never changed), e-mail
   * addresses become `<email>`, IPv4 and IPv6 addresses `<ip>`, home-directory
   * paths `<path>`, bearer tokens and JWTs `<token>`, and URLs lose their
   * query string and fragment (see privacy/scrub.ts for the exact patterns).
   * What is stored, and so what the `events` query shows, is the scrubbed
   * value. `false` stores properties exactly as given. User ids are never
   * scrubbed: use `pseudonymize`.
   */
  scrub?: boolean;
  /**
   * Keep every session from ingest (default true): each write builds again
   * the sessions of the users it touches, from the first session it
   * changes, so the session kinds (sessions, paths, errors, friction,
   * segments) read one row per session when they use the default session
   * options and friction thresholds. `false` keeps none: those kinds then
   * build sessions from the events on every query (the same answers, more
   * slowly), and ingest does less work. A file reopened with `true` builds
   * the sessions it lacks.
   */
  keepSessions?: boolean;
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

/**
 * A Footprint store: events in SQLite, queried by metric specs. Every method
 * returns a promise, and the operations run one after another in the order
 * they were called, whether or not the caller awaits each one.
 */
export interface Store extends Source {
  /** Validates and stores events in one transaction. */
  ingest(events: readonly unknown[]): Promise<IngestReport>;
  /** Reads NDJSON, a JSON array or CSV with a header row (format guessed when omitted), then ingests. */
  ingestText(text: string, format?: TextFormat): Promise<IngestReport>;
  /** Runs a query spec (see METRICS.md); a bad spec rejects with a SpecError naming the field. */
  query<Q extends Query>(spec: Q): Promise<ResultOf<Q>>;
  /** The whole store as a SQLite file that `openStore({ data })` reopens. */
  export(): Promise<Uint8Array>;
  /** Removes every event of a user (the raw id, hashed first when the store pseudonymizes); resolves to how many were removed. */
  deleteUser(userId: string | number): Promise<number>;
  /** Removes every event before an instant (a `YYYY-MM-DD` date means its local midnight); resolves to how many. */
  purgeBefore(date: string | number | Date): Promise<number>;
  /** Frees the database; the store cannot be used afterwards. */
  close(): Promise<void>;
}

/** The checked options a store runs with. */
interface StoreSettings {
  calendar: Calendar;
  minGroupSize: number;
  scrub: boolean;
  /** The `pseudonymize` salt, or null. */
  salt: string | null;
  keepSessions: boolean;
}

/** Checks the options; `saved` holds the settings a reopened file carries, used where an option is not given. */
function readOptions(options: StoreOptions, saved: Partial<Record<'timezone' | 'weekStart', string>> = {}): StoreSettings {
  const timezone = options.timezone ?? saved.timezone ?? 'UTC';
  if (typeof timezone !== 'string' || !isTimeZone(timezone)) throw new SpecError('timezone', `not an IANA time zone: ${quote(timezone)}`);
  const weekStart = options.weekStart ?? saved.weekStart ?? 'monday';
  if (weekStart !== 'monday' && weekStart !== 'sunday') throw new SpecError('weekStart', `must be monday or sunday, got ${quote(weekStart)}`);
  const minGroupSize = options.minGroupSize ?? 1;
  if (!Number.isInteger(minGroupSize) || minGroupSize < 1) throw new SpecError('minGroupSize', `must be a whole number of at least 1, got ${quote(minGroupSize)}`);
  const scrub = options.scrub ?? true;
  if (typeof scrub !== 'boolean') throw new SpecError('scrub', `must be true or false, got ${quote(scrub)}`);
  const keepSessions = options.keepSessions ?? true;
  if (typeof keepSessions !== 'boolean') throw new SpecError('keepSessions', `must be true or false, got ${quote(keepSessions)}`);
  return { calendar: { timezone, weekStart }, minGroupSize, scrub, salt: readPseudonymizeSalt(options.pseudonymize), keepSessions };
}

class SqlJsStore implements Store {
  private db: Database | null;
  private readonly executor: SqlJsExecutor;
  private readonly calendar: Calendar;
  /** The end of the queue of operations (see `serial`); never rejects. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    db: Database,
    private readonly settings: StoreSettings,
    /** Hashes user ids when the store pseudonymizes; null otherwise. */
    private readonly pseudonymizer: Pseudonymizer | null,
    private readonly now: () => number,
  ) {
    this.db = db;
    this.executor = new SqlJsExecutor(db);
    this.calendar = settings.calendar;
  }

  /**
   * Runs the store's operations one after another, in call order. A
   * pseudonymizing ingest awaits Web Crypto: without the queue, a
   * `deleteUser` called after it (its hash already cached) would run first
   * and miss the events being ingested, and an `export` would lack them.
   */
  private serial<T>(operation: () => T | Promise<T>): Promise<T> {
    const run = this.tail.then(operation);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** The id as stored: its pseudonym when the store pseudonymizes. */
  private async storedUserId(userId: string): Promise<string> {
    return this.pseudonymizer ? this.pseudonymizer.pseudonym(userId) : userId;
  }

  private open(): Database {
    if (!this.db) throw new Error('store is closed');
    return this.db;
  }

  ingest(events: readonly unknown[]): Promise<IngestReport> {
    return this.serial(() => {
      if (!Array.isArray(events)) throw new DataError(`events: must be an array of event objects, got ${quote(events)}`);
      return this.ingestRecords(events, []);
    });
  }

  ingestText(text: string, format?: TextFormat): Promise<IngestReport> {
    return this.serial(() => {
      if (typeof text !== 'string') throw new DataError(`text: must be a string, got ${typeof text}`);
      if (format !== undefined && !TEXT_FORMATS.includes(format)) {
        throw new SpecError('format', `must be one of ${TEXT_FORMATS.join(', ')}, got ${quote(format)}`);
      }
      const { records, lines } = format === undefined ? readText(text, detectFormat(text), true) : readText(text, format);
      return this.ingestRecords(records, lines);
    });
  }

  private async ingestRecords(records: readonly unknown[], lines: readonly number[]): Promise<IngestReport> {
    this.open();
    const pseudonyms = await this.pseudonyms(records);
    const rejected: IngestReport['rejected'] = [];
    const ignored = new Set<string>();
    let valid = 0;
    /**
     * The valid events of records `from` to `to` (excluded), each with its
     * pseudonym as user id when the store pseudonymizes. Validated a batch
     * at a time as they are written, so that the validated events (their
     * serialized properties above all) are never all held at once.
     */
    const validate = (from: number, to: number): ValidEvent[] => {
      const batch: ValidEvent[] = [];
      for (let index = from; index < to; index++) {
        const record = records[index];
        const line = lines[index];
        const outcome = record instanceof UnreadableRecord ? { reason: record.reason } : validateEvent(record, this.calendar.timezone, this.settings.scrub);
        if ('reason' in outcome) {
          rejected.push(line === undefined ? { index, reason: outcome.reason } : { index, line, reason: outcome.reason });
          continue;
        }
        if (pseudonyms) outcome.userId = pseudonyms.get(outcome.userId)!;
        batch.push(outcome);
        for (const key of Object.keys(record as object)) if (!KNOWN_FIELDS.has(key)) ignored.add(key);
      }
      valid += batch.length;
      return batch;
    };
    const db = this.open(); // hashing awaited: check again, before the transaction (which never awaits)
    const kept = [new ActivityCounter(this.calendar.timezone), new FirstUseTracker(), ...(this.settings.keepSessions ? [new SessionKeeper()] : [])];
    const accepted = inTransaction(db, () => writeEvents(db, records.length, validate, kept));
    return { accepted, duplicates: valid - accepted, rejected, ignoredFields: [...ignored].sort() };
  }

  /**
   * The pseudonym of each user id the records give, when the store
   * pseudonymizes; null otherwise. Hashed before validation, which runs
   * inside the write's transaction, where nothing may be awaited.
   */
  private async pseudonyms(records: readonly unknown[]): Promise<Map<string, string> | null> {
    if (!this.pseudonymizer) return null;
    const ids: string[] = [];
    for (const record of records) {
      const id = userIdOf(record);
      if (id !== null) ids.push(id);
    }
    return this.pseudonymizer.pseudonyms(ids);
  }

  query<Q extends Query>(spec: Q): Promise<ResultOf<Q>> {
    return this.serial(async () => {
      this.open();
      const stored = await this.withStoredUser(spec);
      const calendar = typeof spec === 'object' && spec !== null ? queryCalendar(spec as unknown as Record<string, unknown>, this.calendar) : this.calendar;
      return runQuery(stored, {
        sql: this.executor,
        dialect: sqliteDialect,
        calendar,
        now: this.now(),
        minGroupSize: this.settings.minGroupSize,
        activityTimezone: this.calendar.timezone,
        keptSessions: this.settings.keepSessions,
        filtered: false,
      }) as ResultOf<Q>;
    });
  }

  /**
   * The `events` query's `user` is the raw id, as for `deleteUser`: in a
   * pseudonymizing store it is hashed here, so the query finds the stored
   * pseudonym (METRICS.md sections 13 and 15: a person can ask for their own data).
   * A number is the id ingest stored for it (42 is '42'); a `user` that is
   * neither a non-empty string nor a number is left for the query to reject.
   */
  private async withStoredUser<Q extends Query>(spec: Q): Promise<Q> {
    if (!this.pseudonymizer || typeof spec !== 'object' || spec === null || spec.kind !== 'events') return spec;
    const user = idText(spec.user);
    if (user === null || user === '') return spec;
    return { ...spec, user: await this.storedUserId(user) };
  }

  export(): Promise<Uint8Array> {
    return this.serial(() => this.open().export());
  }

  deleteUser(userId: string | number): Promise<number> {
    return this.serial(async () => {
      // Ingest stores a number as its string, so 42 and '42' are one user (and one pseudonym).
      const id = idText(userId);
      if (id === null || id === '') throw new SpecError('userId', `must be a non-empty string or a number, got ${quote(userId)}`);
      this.open();
      const stored = await this.storedUserId(id);
      return this.remove((db) => {
        const id = db.exec('SELECT id FROM users WHERE external_id = $user', { $user: stored })[0]?.values[0]?.[0];
        if (typeof id !== 'number') return 0;
        deleteUserActivity(db, id);
        deleteUserFirstUses(db, id);
        if (this.settings.keepSessions) deleteUserSessions(db, id);
        db.run('DELETE FROM events WHERE user_id = $id', { $id: id });
        return db.getRowsModified();
      });
    });
  }

  purgeBefore(date: string | number | Date): Promise<number> {
    return this.serial(() => {
      const before = this.instant(date);
      return this.remove((db) => {
        db.run('DELETE FROM events WHERE ts < $before', { $before: before });
        const removed = db.getRowsModified();
        purgeActivityBefore(db, this.calendar.timezone, before);
        purgeFirstUsesBefore(db, before);
        if (this.settings.keepSessions) purgeSessionsBefore(db, before);
        return removed;
      });
    });
  }

  /**
   * Runs `deleteEvents`, which deletes events (and their daily counts) and
   * returns how many events it deleted, then deletes the user ids and names
   * no event refers to any more, in one transaction; returns the count.
   */
  private remove(deleteEvents: (db: Database) => number): number {
    const db = this.open();
    return inTransaction(db, () => {
      const removed = deleteEvents(db);
      db.exec('DELETE FROM users WHERE id NOT IN (SELECT user_id FROM events)');
      db.exec('DELETE FROM event_names WHERE id NOT IN (SELECT name_id FROM events)');
      // NOT IN over a NULL would match nothing: events without a session are left out.
      db.exec('DELETE FROM session_ids WHERE id NOT IN (SELECT session_id FROM events WHERE session_id IS NOT NULL)');
      return removed;
    });
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

  close(): Promise<void> {
    return this.serial(() => {
      this.db?.close();
      this.db = null;
    });
  }
}

/**
 * Opens a store: empty, or from a SQLite file saved by `export()`. Works
 * with no options in Node and in browsers.
 */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const { salt } = readOptions(options); // fail on bad options before loading the engine
  const pseudonymizer = salt === null ? null : await Pseudonymizer.create(salt);
  const SQL = await loadSqlJs(options);
  let db: Database;
  if (options.data) {
    const bytes = options.data instanceof Uint8Array ? options.data : new Uint8Array(options.data);
    db = new SQL.Database(bytes);
    try {
      openSchema(db);
    } catch (error) {
      db.close();
      throw error;
    }
  } else {
    db = new SQL.Database();
    createSchema(db);
  }
  let settings: StoreSettings;
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
  // sql.js keeps the database in a file of its in-memory file system: a
  // journal kept in memory instead of a second such file, and a page cache
  // of up to 64 MB instead of 2 MB, made ingest about 1.2x faster (200,000
  // events); ROLLBACK works the same.
  db.exec('PRAGMA journal_mode = MEMORY; PRAGMA cache_size = -65536');
  try {
    ensureActivity(db, settings.calendar.timezone);
    ensureFirstUses(db);
    if (settings.keepSessions) ensureKeptSessions(db);
    // A file whose sessions are not kept must not keep stale ones that a later open with keepSessions would trust.
    else db.exec('DROP TABLE IF EXISTS sessions');
  } catch (error) {
    db.close();
    throw error;
  }
  return new SqlJsStore(db, settings, pseudonymizer, options.now ?? Date.now);
}
