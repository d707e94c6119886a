import { DataError, SpecError, quote } from '../errors.ts';
import { idText, KNOWN_FIELDS, userIdOf, validateEvent, type ValidEvent } from '../ingest/event.ts';
import { detectFormat, readText, TEXT_FORMATS, UnreadableRecord, type TextFormat } from '../ingest/text.ts';
import { Pseudonymizer, readPseudonymizeSalt } from '../privacy/pseudonymize.ts';
import { queryCalendar } from '../query/context.ts';
import type { PropertyFilter } from '../query/property-filter.ts';
import { runQuery, type Query, type ResultOf } from '../query/kinds.ts';
import { inTransaction, type SqlDatabase } from '../sql/database.ts';
import { sqliteDialect } from '../sql/dialect.ts';
import { isDateOnly, parseDate, parseIsoTime } from '../time/parse.ts';
import type { Calendar } from '../time/periods.ts';
import { instantOf, isTimeZone } from '../time/zone.ts';
import { ActivityCounter, deleteUserActivity, ensureActivity, purgeActivityBefore } from './activity.ts';
import { deleteUserFirstUses, ensureFirstUses, FirstUseTracker, purgeFirstUsesBefore } from './first-uses.ts';
import { deleteUserSessions, ensureKeptSessions, purgeSessionsBefore, SessionKeeper } from './kept-sessions.ts';
import { createSchema, openSchema, readSetting, writeSetting } from './schema.ts';
import type { IngestReport, Store, StoreOptions } from './store.ts';
import { writeEvents } from './write-events.ts';

/** The checked options a store runs with. */
export interface StoreSettings {
  calendar: Calendar;
  minGroupSize: number;
  scrub: boolean;
  /** The `pseudonymize` salt, or null. */
  salt: string | null;
  keepSessions: boolean;
}

/** Checks the options; `saved` holds the settings a reopened file carries, used where an option is not given. */
export function readOptions(options: StoreOptions, saved: Partial<Record<'timezone' | 'weekStart', string>> = {}): StoreSettings {
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

/**
 * A SQLite engine a store runs on: its database, and what differs between
 * engines (how the whole file is read out, how it is closed).
 */
export interface StoreEngine {
  readonly db: SqlDatabase;
  /** The database as a SQLite file that `openStore({ data })` reopens. */
  export(): Uint8Array;
  close(): void;
}

/** The store over any SQLite engine: sql.js in the browser (store.ts), better-sqlite3 in the server. */
export class SqlStore implements Store {
  private engine: StoreEngine | null;
  private readonly calendar: Calendar;
  /** The end of the queue of operations (see `serial`); never rejects. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    engine: StoreEngine,
    private readonly settings: StoreSettings,
    /** Hashes user ids when the store pseudonymizes; null otherwise. */
    private readonly pseudonymizer: Pseudonymizer | null,
    private readonly now: () => number,
  ) {
    this.engine = engine;
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

  private open(): SqlDatabase {
    if (!this.engine) throw new Error('store is closed');
    return this.engine.db;
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

  /**
   * Validates and stores groups of events in one transaction, one commit
   * for them all, with a report for each group as if it had been ingested
   * alone, right after the groups before it (a uuid repeated from an
   * earlier group is its duplicate). The server gathers the batches that
   * arrive while a write runs into one such call: a commit costs far more
   * than the events it writes.
   */
  ingestGroups(groups: readonly (readonly unknown[])[]): Promise<IngestReport[]> {
    return this.serial(() => {
      if (!Array.isArray(groups) || !groups.every((group) => Array.isArray(group))) throw new DataError('groups: must be an array of arrays of event objects');
      const ends: number[] = [];
      let total = 0;
      for (const group of groups) ends.push((total += group.length));
      return this.ingestRecords(groups.flat(), [], ends);
    });
  }

  /**
   * Validates and stores `records` in one transaction; reports on each group
   * of them (a group ends before `ends[g]`; by default they are one group).
   */
  private async ingestRecords(records: readonly unknown[], lines: readonly number[]): Promise<IngestReport>;
  private async ingestRecords(records: readonly unknown[], lines: readonly number[], ends: readonly number[]): Promise<IngestReport[]>;
  private async ingestRecords(records: readonly unknown[], lines: readonly number[], ends?: readonly number[]): Promise<IngestReport | IngestReport[]> {
    this.open();
    const pseudonyms = await this.pseudonyms(records);
    const rejected: IngestReport['rejected'] = [];
    const groupEnds = ends ?? [records.length];
    const ignored = groupEnds.map(() => new Set<string>());
    /** Per record, with several groups: 1 when valid, 2 once stored. */
    const fate = groupEnds.length > 1 ? new Uint8Array(records.length) : null;
    /** The record of each valid event, in the order they are written, with several groups. */
    const validRecords: number[] = [];
    let group = 0;
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
        while (index >= groupEnds[group]!) group++;
        const record = records[index];
        const line = lines[index];
        const outcome = record instanceof UnreadableRecord ? { reason: record.reason } : validateEvent(record, this.calendar.timezone, this.settings.scrub);
        if ('reason' in outcome) {
          rejected.push(line === undefined ? { index, reason: outcome.reason } : { index, line, reason: outcome.reason });
          continue;
        }
        if (pseudonyms) outcome.userId = pseudonyms.get(outcome.userId)!;
        batch.push(outcome);
        if (fate) {
          fate[index] = 1;
          validRecords.push(index);
        }
        for (const key of Object.keys(record as object)) if (!KNOWN_FIELDS.has(key)) ignored[group]!.add(key);
      }
      valid += batch.length;
      return batch;
    };
    const db = this.open(); // hashing awaited: check again, before the transaction (which never awaits)
    const kept = [new ActivityCounter(this.calendar.timezone), new FirstUseTracker(), ...(this.settings.keepSessions ? [new SessionKeeper()] : [])];
    const onStored = fate ? (position: number): void => void (fate[validRecords[position]!] = 2) : undefined;
    const accepted = inTransaction(db, () => writeEvents(db, records.length, validate, kept, onStored));
    if (!fate) {
      const report = { accepted, duplicates: valid - accepted, rejected, ignoredFields: [...ignored[0]!].sort() };
      return ends ? [report] : report;
    }
    return groupEnds.map((end, g) => {
      const start = g === 0 ? 0 : groupEnds[g - 1]!;
      let groupValid = 0;
      let stored = 0;
      for (let index = start; index < end; index++) {
        if (fate[index]! >= 1) groupValid++;
        if (fate[index] === 2) stored++;
      }
      return {
        accepted: stored,
        duplicates: groupValid - stored,
        rejected: rejected.filter((r) => r.index >= start && r.index < end).map((r) => ({ ...r, index: r.index - start })),
        ignoredFields: [...ignored[g]!].sort(),
      };
    });
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
    return this.queryLocked(spec, null);
  }

  /**
   * Runs a query spec with `lockedWhere` (an embed token's `where`) ANDed
   * onto its own `where`, so that the spec can only narrow it (METRICS.md
   * section 2).
   */
  queryLocked<Q extends Query>(spec: Q, lockedWhere: PropertyFilter | null): Promise<ResultOf<Q>> {
    return this.serial(async () => {
      const db = this.open();
      const stored = await this.withStoredUser(spec);
      const calendar = typeof spec === 'object' && spec !== null ? queryCalendar(spec as unknown as Record<string, unknown>, this.calendar) : this.calendar;
      return runQuery(stored, {
        sql: db,
        dialect: sqliteDialect,
        calendar,
        now: this.now(),
        minGroupSize: this.settings.minGroupSize,
        activityTimezone: this.calendar.timezone,
        keptSessions: this.settings.keepSessions,
        filtered: false,
        lockedWhere,
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
    return this.serial(() => {
      this.open();
      return this.engine!.export();
    });
  }

  deleteUser(userId: string | number): Promise<number> {
    return this.serial(async () => {
      // Ingest stores a number as its string, so 42 and '42' are one user (and one pseudonym).
      const id = idText(userId);
      if (id === null || id === '') throw new SpecError('userId', `must be a non-empty string or a number, got ${quote(userId)}`);
      this.open();
      const stored = await this.storedUserId(id);
      return this.remove((db) => {
        const id = db.rows('SELECT id FROM users WHERE external_id = $user', { $user: stored })[0]?.[0];
        if (typeof id !== 'number') return 0;
        deleteUserActivity(db, id);
        deleteUserFirstUses(db, id);
        if (this.settings.keepSessions) deleteUserSessions(db, id);
        return db.run('DELETE FROM events WHERE user_id = $id', { $id: id });
      });
    });
  }

  purgeBefore(date: string | number | Date): Promise<number> {
    return this.serial(() => {
      const before = this.instant(date);
      return this.remove((db) => {
        const removed = db.run('DELETE FROM events WHERE ts < $before', { $before: before });
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
  private remove(deleteEvents: (db: SqlDatabase) => number): number {
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
      this.engine?.close();
      this.engine = null;
    });
  }
}

/**
 * Makes a store of an opened engine: creates the tables in a `fresh` (empty)
 * database, or checks (and converts) those of a saved one, applies and
 * records the settings, and brings the kept tables up to date. Closes the
 * engine when it fails. The caller has checked `options` already and set
 * the engine's own pragmas.
 */
export async function openSqlStore(engine: StoreEngine, options: StoreOptions, fresh: boolean): Promise<SqlStore> {
  try {
    const { salt } = readOptions(options);
    const pseudonymizer = salt === null ? null : await Pseudonymizer.create(salt);
    const db = engine.db;
    if (fresh) createSchema(db);
    else openSchema(db);
    const settings = readOptions(options, { timezone: readSetting(db, 'timezone'), weekStart: readSetting(db, 'weekStart') });
    writeSetting(db, 'timezone', settings.calendar.timezone);
    writeSetting(db, 'weekStart', settings.calendar.weekStart);
    // Deleted events are overwritten, so an exported file keeps no trace of them.
    db.exec('PRAGMA secure_delete = ON');
    ensureActivity(db, settings.calendar.timezone);
    ensureFirstUses(db);
    if (settings.keepSessions) ensureKeptSessions(db);
    // A file whose sessions are not kept must not keep stale ones that a later open with keepSessions would trust.
    else db.exec('DROP TABLE IF EXISTS sessions');
    return new SqlStore(engine, settings, pseudonymizer, options.now ?? Date.now);
  } catch (error) {
    engine.close();
    throw error;
  }
}
