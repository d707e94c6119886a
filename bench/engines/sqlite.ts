import type { Database as NativeDatabase } from 'better-sqlite3';
import { NativeDatabase as NativeSqlDatabase } from '../../server/storage/native-database.ts';
import { isDeepStrictEqual } from 'node:util';
import { openStore, type Query } from '../../shared/index.ts';
import { validateEvent } from '../../shared/ingest/event.ts';
import { storedUuid } from '../../shared/store/uuid.ts';
import { queryCalendar, type QueryContext } from '../../shared/query/context.ts';
import { runQuery } from '../../shared/query/kinds.ts';
import type { SampleEvent } from '../../shared/sample-data.ts';
import { DEFAULT_FRICTION_RULES } from '../../shared/metrics/friction-signals.ts';
import { SessionBuilder } from '../../shared/sessions/build-sessions.ts';
import { sessionEvent, sessionEventColumns } from '../../shared/sessions/session-event-rows.ts';
import { DEFAULT_SESSION_OPTIONS } from '../../shared/sessions/session-options.ts';
import { sqliteDialect } from '../../shared/sql/dialect.ts';
import { SESSION_COLUMNS, sessionRow } from '../../shared/store/kept-sessions.ts';
import type { Executor, SqlParams, SqlValue } from '../../shared/sql/executor.ts';
import type { Calendar } from '../../shared/time/periods.ts';
import { DATA_END, WARM_RUNS } from '../config.ts';
import type { BenchQuery } from '../queries.ts';
import { roundMs, type ResultRow } from '../result.ts';
import { Database } from './native.ts';
import { measure, rssGrowthMb, startPeak } from '../timing.ts';

const DAY_MS = 86_400_000;

const CALENDAR: Calendar = { timezone: 'UTC', weekStart: 'monday' };

/** Runs a spec through the same metric code as the store, on native SQLite. */
export function nativeQuery(executor: Executor, spec: Query): unknown {
  const ctx: QueryContext = { sql: executor, dialect: sqliteDialect, calendar: queryCalendar(spec as never, CALENDAR), now: DATA_END, minGroupSize: 1, activityTimezone: CALENDAR.timezone, keptSessions: true, filtered: false };
  return runQuery(spec, ctx);
}

/**
 * Opens a store file in memory, as sql.js holds it (better-sqlite3
 * deserializes a Buffer): the same bytes, and no disk in the timings.
 */
function openInMemory(file: Uint8Array): NativeDatabase {
  return new Database(Buffer.from(file.buffer, file.byteOffset, file.byteLength));
}

/**
 * The same ingest on native SQLite: the same validation, then one prepared
 * insert per row with the dictionaries kept in JavaScript and the uuids and
 * properties stored as the store stores them (shared/store/schema.ts), in one
 * transaction, into an empty store written by `export()`; then the daily
 * counts, summed in SQL.
 */
function nativeIngest(db: NativeDatabase, events: readonly SampleEvent[]): number {
  const insertUser = db.prepare('INSERT INTO users (external_id) VALUES (?)');
  const insertName = db.prepare('INSERT INTO event_names (name) VALUES (?)');
  const insertSession = db.prepare('INSERT INTO session_ids (external_id) VALUES (?)');
  const insertEvent = db.prepare('INSERT INTO events (ts, user_id, name_id, session_id, uuid, properties) VALUES (?, ?, ?, ?, ?, jsonb(?)) ON CONFLICT (uuid) DO NOTHING');
  const users = new Map<string, number>();
  const names = new Map<string, number>();
  const sessions = new Map<string, number>();
  let stored = 0;
  db.transaction(() => {
    for (const raw of events) {
      const e = validateEvent(raw, 'UTC');
      if ('reason' in e) throw new Error(`native ingest: ${e.reason}`);
      let user = users.get(e.userId);
      if (user === undefined) users.set(e.userId, (user = Number(insertUser.run(e.userId).lastInsertRowid)));
      let name = names.get(e.event);
      if (name === undefined) names.set(e.event, (name = Number(insertName.run(e.event).lastInsertRowid)));
      let session = e.sessionId === null ? null : sessions.get(e.sessionId);
      if (session === undefined) sessions.set(e.sessionId!, (session = Number(insertSession.run(e.sessionId).lastInsertRowid)));
      stored += insertEvent.run(e.timestamp, user, name, session, e.uuid === null ? null : storedUuid(e.uuid), e.properties).changes;
    }
    // The daily counts the store keeps (shared/store/activity.ts), here in UTC days as the benchmark's store,
    // and the first uses (shared/store/first-uses.ts).
    db.exec(`INSERT INTO activity (day, user_id, name_id, n) SELECT ts - ts % ${DAY_MS}, user_id, name_id, COUNT(*) FROM events GROUP BY 1, 2, 3;
INSERT INTO user_days (day, user_id, n) SELECT day, user_id, SUM(n) FROM activity GROUP BY day, user_id;
INSERT INTO first_uses (user_id, name_id, ts) SELECT user_id, name_id, MIN(ts) FROM events GROUP BY user_id, name_id`);
    keepSessions(db);
  })();
  return stored;
}

/**
 * The sessions the store keeps (shared/store/kept-sessions.ts), built by
 * the same SessionBuilder from every event in user order, as a native
 * program using our code would.
 */
function keepSessions(db: NativeDatabase): void {
  const params: SqlParams = {};
  const select = db.prepare(`SELECT ${sessionEventColumns(sqliteDialect, params)} FROM events AS e WHERE e.user_id = $u ORDER BY e.ts, e.seq`).raw(true);
  const insert = db.prepare(`INSERT INTO sessions (${SESSION_COLUMNS.join(', ')}) VALUES (${SESSION_COLUMNS.map(() => '?').join(', ')})`);
  const names = new Map((db.prepare('SELECT id, name FROM event_names').raw(true).all() as [number, string][]).map(([id, name]) => [id, name]));
  const builder = new SessionBuilder(DEFAULT_SESSION_OPTIONS, 'UTC', DEFAULT_FRICTION_RULES);
  const named: Record<string, SqlValue> = {};
  for (const [key, value] of Object.entries(params)) named[key.slice(1)] = value;
  for (const [user] of db.prepare('SELECT id FROM users').raw(true).all() as [number][]) {
    const events = (select.all({ ...named, u: user }) as SqlValue[][]).map((row) => sessionEvent(row, names));
    for (const session of builder.build(user, events)) insert.run(sessionRow(session));
  }
}

/**
 * Rows of each table of `db`, by name. The native ingest copies by hand
 * what the store's ingest writes; compared with the store's own file, this
 * catches a table the store starts filling at ingest (sessions kept from
 * ingest, as METRICS.md section 3 now allows) that the copy would skip,
 * which would make its time look shorter than the work it stands for.
 */
function tableRows(db: NativeDatabase): Record<string, number> {
  const names = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").raw(true).all() as [string][]).map(([name]) => name);
  // Table names are identifiers read from the schema, not values: they cannot be bound.
  return Object.fromEntries(names.map((name) => [name, Number((db.prepare(`SELECT COUNT(*) FROM "${name.replaceAll('"', '""')}"`).raw(true).all()[0] as [number])[0])]));
}

/**
 * Native SQLite: ingest as above, then every query through the metric
 * modules on the sql.js store's exported file, each answer checked equal to
 * sql.js's before it is timed. The queries are our metric modules' own SQL,
 * so they follow any change of a definition (METRICS.md section 3) with ours;
 * the ingest is a copy, checked to fill every table as the store's does.
 */
export async function benchSqlite(events: readonly SampleEvent[], file: Uint8Array, queries: readonly BenchQuery[], answers: Map<string, unknown>, warm = WARM_RUNS): Promise<ResultRow[]> {
  const n = events.length;
  const rows: ResultRow[] = [];
  const baseline = startPeak();
  const empty = await openStore();
  const emptyFile = await empty.export();
  await empty.close();
  const reference = openInMemory(file);
  const expected = tableRows(reference);
  reference.close();
  const ingest = await measure<NativeDatabase>(
    warm,
    (ingested) => {
      const stored = nativeIngest(ingested, events);
      if (stored !== n) throw new Error(`native SQLite stored ${stored} of ${n} events`);
    },
    () => openInMemory(emptyFile),
    (ingested) => {
      const rows = tableRows(ingested);
      ingested.close();
      if (!isDeepStrictEqual(rows, expected)) throw new Error(`native ingest fills the tables unlike the store's ingest (nativeIngest in bench/engines/sqlite.ts): rows ${JSON.stringify(rows)}, the store's ${JSON.stringify(expected)}`);
    },
  );
  rows.push({ engine: 'sqlite', events: n, task: 'ingest', ms: roundMs(ingest.median), eventsPerSecond: Math.round(n / (ingest.median / 1000)) });

  const db = openInMemory(file);
  // The server's executor (statements kept prepared, values bound as sql.js binds them): the floor for our SQL.
  const executor = new NativeSqlDatabase(db);
  for (const { task, spec } of queries) {
    const answer = nativeQuery(executor, spec);
    if (!isDeepStrictEqual(answer, answers.get(task))) {
      throw new Error(`native SQLite answers ${task} differently from sql.js:\n${JSON.stringify(answer).slice(0, 400)}\nvs\n${JSON.stringify(answers.get(task)).slice(0, 400)}`);
    }
    const timing = await measure(warm, () => nativeQuery(executor, spec));
    rows.push({ engine: 'sqlite', events: n, task, ms: roundMs(timing.median) });
  }
  db.close();
  rows[0]!.peakMemoryMB = rssGrowthMb(baseline);
  return rows;
}

/**
 * A store file holding `events`, filled by the native ingest above into an
 * empty store's file: the data of a size sql.js cannot hold (a 32-bit wasm
 * heap), which benchSqlite then loads as it loads sql.js's export.
 */
export async function nativeStoreFile(events: readonly SampleEvent[]): Promise<Uint8Array> {
  const empty = await openStore();
  const emptyFile = await empty.export();
  await empty.close();
  const db = openInMemory(emptyFile);
  try {
    const stored = nativeIngest(db, events);
    if (stored !== events.length) throw new Error(`native SQLite stored ${stored} of ${events.length} events`);
    return db.serialize();
  } finally {
    db.close();
  }
}

/** Each query's answer on native SQLite from a store file, by task: the reference where sql.js gave none. */
export function nativeAnswers(file: Uint8Array, queries: readonly BenchQuery[]): Map<string, unknown> {
  const db = openInMemory(file);
  try {
    const executor = new NativeSqlDatabase(db);
    return new Map(queries.map(({ task, spec }) => [task, nativeQuery(executor, spec)]));
  } finally {
    db.close();
  }
}
