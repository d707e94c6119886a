import type { PseudonymizeOptions } from '../privacy/pseudonymize.ts';
import type { Query, ResultOf } from '../query/kinds.ts';
import type { Source } from '../source.ts';
import { SqlJsDatabase } from '../sql/sqljs-database.ts';
import type { TextFormat } from '../ingest/text.ts';
import type { WeekStart } from '../time/periods.ts';
import { openSqlStore, readOptions } from './sql-store.ts';
import { loadSqlJs } from './sqljs.ts';
import type { WasmOptions } from './wasm-options.ts';

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

/**
 * Opens a store: empty, or from a SQLite file saved by `export()`. Works
 * with no options in Node and in browsers.
 */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  readOptions(options); // fail on bad options before loading the engine
  const SQL = await loadSqlJs(options);
  const bytes = options.data ? (options.data instanceof Uint8Array ? options.data : new Uint8Array(options.data)) : undefined;
  const db = new SQL.Database(bytes);
  // sql.js keeps the database in a file of its in-memory file system: a
  // journal kept in memory instead of a second such file, and a page cache
  // of up to 64 MB instead of 2 MB, made ingest about 1.2x faster (200,000
  // events); ROLLBACK works the same.
  try {
    db.exec('PRAGMA journal_mode = MEMORY; PRAGMA cache_size = -65536');
  } catch {
    // Bytes that are no SQLite file fail here: openSchema, below, names the problem.
  }
  return openSqlStore({ db: new SqlJsDatabase(db), export: () => db.export(), close: () => db.close() }, options, bytes === undefined);
}
