import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { isDeepStrictEqual } from 'node:util';
import { validateEvent } from '../../shared/ingest/event.ts';
import type { SampleEvent } from '../../shared/sample-data.ts';
import { WARM_RUNS } from '../config.ts';
import type { BenchQuery } from '../queries.ts';
import { roundMs, type ResultRow } from '../result.ts';
import { measure, rssGrowthMb, startPeak } from '../timing.ts';
import { DUCK_QUERIES, NOT_WRITTEN } from './duckdb-queries.ts';
import { num, type Range, type Rows } from './duckdb-sql.ts';

/** The table a DuckDB user would load events into: one row per event, plain strings. */
const TABLE = `CREATE OR REPLACE TABLE events (
  seq BIGINT, ts BIGINT, user_id VARCHAR, name VARCHAR, session_id VARCHAR, uuid VARCHAR, properties VARCHAR)`;

type Run = (sql: string, params?: Record<string, number>) => Promise<Rows>;

/**
 * DuckDB, what a user might pick instead: the same validated events appended
 * into one table (plain strings, no dictionaries), then hand-written SQL
 * for each kind that has some, each answer checked equal to ours first.
 */
export async function benchDuckDb(events: readonly SampleEvent[], queries: readonly BenchQuery[], answers: Map<string, unknown>, range: Range, warm = WARM_RUNS): Promise<ResultRow[]> {
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

  // Numbers bind as DOUBLE: the SQL casts each to BIGINT.
  const params = { from: range.fromMs, to: range.toMs, days: range.days };
  for (const { task } of queries) {
    const query = DUCK_QUERIES[task];
    if (!query) {
      rows.push({ engine: 'duckdb', events: n, task, ms: null, note: NOT_WRITTEN[task] ?? 'no DuckDB equivalent written' });
      continue;
    }
    const theirs = query.shape(await run(query.sql, params), range);
    const ours = query.ours(answers.get(task));
    if (!isDeepStrictEqual(theirs, ours)) {
      throw new Error(`DuckDB answers ${task} differently from sql.js:\n${JSON.stringify(theirs).slice(0, 600)}\nvs\n${JSON.stringify(ours).slice(0, 600)}`);
    }
    const timing = await measure(warm, async () => query.shape(await run(query.sql, params), range));
    rows.push({ engine: 'duckdb', events: n, task, ms: roundMs(timing.median) });
  }
  connection.closeSync();
  instance.closeSync();
  rows[0]!.peakMemoryMb = rssGrowthMb(baseline);
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
