import type { DuckDBConnection } from '@duckdb/node-api';
import { isDeepStrictEqual } from 'node:util';
import { validateEvent } from '../../shared/ingest/event.ts';
import type { SampleEvent } from '../../shared/sample-data.ts';
import { WARM_RUNS } from '../config.ts';
import { utcDay, type BenchQuery } from '../queries.ts';
import { roundMs, type ResultRow } from '../result.ts';
import { measure, rssGrowthMb, startPeak } from '../timing.ts';
import { DUCK_QUERIES, NOT_WRITTEN } from './duckdb-queries.ts';
import { DuckDBInstance } from './native.ts';
import { num, type DuckQuery, type Range, type Rows } from './duckdb-sql.ts';

/** The table a DuckDB user would load events into: one row per event, plain strings. */
const TABLE = `CREATE OR REPLACE TABLE events (
  seq BIGINT, ts BIGINT, user_id VARCHAR, name VARCHAR, session_id VARCHAR, uuid VARCHAR, properties VARCHAR)`;

type Run = (sql: string, params?: Record<string, number>) => Promise<Rows>;

/** Queries over another range, answered by DuckDB and compared with ours, not timed. */
export interface RangeCheck {
  range: Range;
  queries: readonly BenchQuery[];
  /** Our answers, by task. */
  answers: Map<string, unknown>;
  /** Tasks run but not compared (run.ts says why). */
  skip: ReadonlySet<string>;
}

/** Sessions that began before `from` and go on after it, and those that began by `to` and go on after it. */
const CROSSING = `SELECT COUNT(*) FILTER (started < $from::BIGINT AND ended >= $from::BIGINT), COUNT(*) FILTER (started <= $to::BIGINT AND ended > $to::BIGINT)
FROM (SELECT MIN(ts) AS started, MAX(ts) AS ended FROM events GROUP BY user_id, session_id)`;

/** Numbers bind as DOUBLE: the SQL casts each to BIGINT. */
const bound = (range: Range): Record<string, number> => ({ from: range.fromMs, to: range.toMs, days: range.days });

/**
 * DuckDB, what a user might pick instead: the same validated events appended
 * into one table (plain strings, no dictionaries), then hand-written SQL
 * for each kind that has some, each answer checked equal to ours first;
 * then the `check` queries, compared only.
 */
export async function benchDuckDb(events: readonly SampleEvent[], queries: readonly BenchQuery[], answers: Map<string, unknown>, range: Range, check: RangeCheck, warm = WARM_RUNS): Promise<ResultRow[]> {
  const n = events.length;
  const rows: ResultRow[] = [];
  const baseline = startPeak();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  // DuckDB refuses parameters its SQL does not use: bind only those it names.
  const run: Run = async (sql, params = {}) => {
    const used = Object.fromEntries(Object.entries(params).filter(([name]) => new RegExp(`\\$${name}\\b`).test(sql)));
    return (await connection.runAndReadAll(sql, used)).getRowsJS() as Rows;
  };

  const ingest = await measure(warm, () => appendEvents(connection, events), () => connection.run(TABLE));
  rows.push({ engine: 'duckdb', events: n, task: 'ingest', ms: roundMs(ingest.median), eventsPerSecond: Math.round(n / (ingest.median / 1000)) });
  const stored = num((await run('SELECT COUNT(*) FROM events'))[0]![0]);
  if (stored !== n) throw new Error(`DuckDB stored ${stored} of ${n} events`);

  /** DuckDB's answer to `task` over `over`, checked equal to ours unless `compared` is false. */
  const answer = async (task: string, query: DuckQuery, over: Range, ours: unknown, compared = true): Promise<void> => {
    const theirs = query.shape(await run(query.sql, bound(over)), over);
    const label = `${task} from ${utcDay(over.fromMs)} to ${utcDay(over.toMs)}`;
    if (compared && !isDeepStrictEqual(theirs, query.ours(ours))) {
      throw new Error(`DuckDB answers ${label} differently from sql.js:\n${JSON.stringify(theirs).slice(0, 600)}\nvs\n${JSON.stringify(query.ours(ours)).slice(0, 600)}`);
    }
  };
  for (const { task } of queries) {
    const query = DUCK_QUERIES[task];
    if (!query) {
      rows.push({ engine: 'duckdb', events: n, task, ms: null, note: NOT_WRITTEN[task] ?? 'no DuckDB equivalent written' });
      continue;
    }
    await answer(task, query, range, answers.get(task));
    const timing = await measure(warm, async () => query.shape(await run(query.sql, bound(range)), range));
    rows.push({ engine: 'duckdb', events: n, task, ms: roundMs(timing.median) });
  }
  const [fromCrossed, toCrossed] = (await run(CROSSING, bound(check.range)))[0]!.map(num);
  if (!fromCrossed || !toCrossed) {
    throw new Error(`the check range from ${utcDay(check.range.fromMs)} to ${utcDay(check.range.toMs)} has ${fromCrossed} sessions across its start and ${toCrossed} across its end: it cannot tell whole sessions from cut ones; move it (CHECK_RANGE_DAYS in bench/config.ts)`);
  }
  for (const { task } of check.queries) {
    const query = DUCK_QUERIES[task];
    if (query) await answer(task, query, check.range, check.answers.get(task), !check.skip.has(task));
  }
  connection.closeSync();
  instance.closeSync();
  rows[0]!.peakMemoryMB = rssGrowthMb(baseline);
  return rows;
}

/** The DuckDB version string (e.g. v1.5.6). */
export async function duckDbVersion(): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const version = String((await connection.runAndReadAll('SELECT version()')).getRowsJS()[0]![0]);
  connection.closeSync();
  instance.closeSync();
  return version;
}

/** Validates each event as our ingest does, then appends it: DuckDB's fastest row-by-row path from JavaScript. */
async function appendEvents(connection: DuckDBConnection, events: readonly SampleEvent[]): Promise<void> {
  const appender = await connection.createAppender('events');
  let seq = 0;
  for (const raw of events) {
    const e = validateEvent(raw, 'UTC');
    if ('reason' in e) throw new Error(`DuckDB ingest: ${e.reason}`);
    appender.appendBigInt(BigInt(++seq));
    appender.appendBigInt(BigInt(e.timestamp));
    appender.appendVarchar(e.userId);
    appender.appendVarchar(e.event);
    if (e.sessionId === null) appender.appendNull();
    else appender.appendVarchar(e.sessionId);
    if (e.uuid === null) appender.appendNull();
    else appender.appendVarchar(e.uuid);
    if (e.properties === null) appender.appendNull();
    else appender.appendVarchar(e.properties);
    appender.endRow();
  }
  appender.closeSync();
}
