import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { isDeepStrictEqual } from 'node:util';
import { validateEvent } from '../../shared/ingest/event.ts';
import type { SampleEvent } from '../../shared/sample-data.ts';
import { WARM_RUNS } from '../config.ts';
import type { BenchQuery } from '../queries.ts';
import { roundMs, type ResultRow } from '../result.ts';
import { measure, rssGrowthMb, startPeak } from '../timing.ts';

const DAY_MS = 86_400_000;

/** The table a DuckDB user would load events into: one row per event, plain strings. */
const TABLE = `CREATE OR REPLACE TABLE events (
  seq BIGINT, ts BIGINT, user_id VARCHAR, name VARCHAR, session_id VARCHAR, uuid VARCHAR, properties VARCHAR)`;

/** The query's range in days: day 0 starts at `from` (UTC, as the benchmark's store). */
interface Range {
  fromMs: number;
  toMs: number;
  days: number;
}

type Rows = unknown[][];
type Run = (sql: string, params?: Record<string, number>) => Promise<Rows>;

/** A query written for DuckDB, and how to put its rows in the shape of our answer (only the fields it computes). */
interface DuckQuery {
  sql: string;
  shape: (rows: Rows, range: Range) => unknown;
  /** The part of our answer it is compared with. */
  ours: (answer: unknown) => unknown;
}

const num = (value: unknown): number => Number(value);
const ms3 = (seconds: number | null): number | null => (seconds === null ? null : Math.round(seconds * 1000) / 1000);

/** The day index of each event in range, and the bound range. */
const IN_RANGE = `SELECT *, (ts - $from::BIGINT) // ${DAY_MS} AS day FROM events WHERE ts >= $from::BIGINT AND ts <= $to::BIGINT`;

function perDay(rows: Rows, range: Range, column = 1): number[] {
  const values = new Array<number>(range.days).fill(0);
  for (const row of rows) values[num(row[0])] = num(row[column]);
  return values;
}

const trendValues = (answer: unknown): number[] => (answer as { series: { points: { value: number }[] }[] }).series[0]!.points.map((p) => p.value);

function trailing(window: number): DuckQuery {
  return {
    sql: `WITH active AS (SELECT DISTINCT (ts - $from::BIGINT) // ${DAY_MS} AS day, user_id FROM events WHERE ts >= $from::BIGINT - ${(window - 1) * DAY_MS} AND ts <= $to::BIGINT),
days AS (SELECT range AS day FROM range(0, $days::BIGINT))
SELECT d.day, COUNT(DISTINCT a.user_id) FROM days AS d JOIN active AS a ON a.day > d.day - ${window} AND a.day <= d.day GROUP BY d.day`,
    shape: (rows, range) => perDay(rows, range),
    ours: trendValues,
  };
}

/**
 * DuckDB SQL for the kinds where an equivalent is short enough to write and
 * check honestly; each is compared with our answer (the fields it computes)
 * before it is timed. The others are reported n/a with the reason.
 */
const DUCK_QUERIES: Record<string, DuckQuery> = {
  'trend events': { sql: `SELECT day, COUNT(*) FROM (${IN_RANGE}) GROUP BY day`, shape: (rows, range) => perDay(rows, range), ours: trendValues },
  'trend users': { sql: `SELECT day, COUNT(DISTINCT user_id) FROM (${IN_RANGE}) GROUP BY day`, shape: (rows, range) => perDay(rows, range), ours: trendValues },
  'trend wau': trailing(7),
  'trend mau': trailing(30),
  stickiness: {
    sql: `SELECT n, COUNT(*) FROM (SELECT user_id, COUNT(DISTINCT day) AS n FROM (${IN_RANGE}) GROUP BY user_id) GROUP BY n`,
    shape: (rows, range) => {
      const buckets = new Array<number>(range.days).fill(0);
      for (const [n, users] of rows) buckets[num(n) - 1] = num(users);
      return buckets;
    },
    ours: (answer) => (answer as { buckets: { users: number }[] }).buckets.map((b) => b.users),
  },
  lifecycle: {
    // Day -1 is the day before the range: who was active there decides day 0's statuses.
    sql: `WITH active AS (SELECT DISTINCT (ts - $from::BIGINT) // ${DAY_MS} AS day, user_id FROM events WHERE ts >= $from::BIGINT - ${DAY_MS} AND ts <= $to::BIGINT),
firsts AS (SELECT user_id, (MIN(ts) - $from::BIGINT) // ${DAY_MS} AS first_day FROM events GROUP BY user_id),
marked AS (
  SELECT a.day, a.user_id, f.first_day,
         LAG(a.day) OVER (PARTITION BY a.user_id ORDER BY a.day) AS prev_day,
         LEAD(a.day) OVER (PARTITION BY a.user_id ORDER BY a.day) AS next_day
  FROM active AS a JOIN firsts AS f USING (user_id)
)
SELECT day, 'returning' AS status, COUNT(*) FROM marked WHERE day >= 0 AND prev_day = day - 1 GROUP BY day
UNION ALL SELECT day, 'new', COUNT(*) FROM marked WHERE day >= 0 AND prev_day IS DISTINCT FROM day - 1 AND first_day >= day GROUP BY day
UNION ALL SELECT day, 'resurrecting', COUNT(*) FROM marked WHERE day >= 0 AND prev_day IS DISTINCT FROM day - 1 AND first_day < day GROUP BY day
UNION ALL SELECT day + 1, 'dormant', COUNT(*) FROM marked WHERE day < $days::BIGINT - 1 AND next_day IS DISTINCT FROM day + 1 GROUP BY day`,
    shape: (rows, range) => {
      const points = Array.from({ length: range.days }, () => ({ new: 0, returning: 0, resurrecting: 0, dormant: 0 }));
      for (const [day, status, users] of rows) points[num(day)]![status as 'new'] = num(users);
      return points;
    },
    ours: (answer) => (answer as { points: { new: number; returning: number; resurrecting: number; dormant: number }[] }).points.map(({ new: n, returning, resurrecting, dormant }) => ({ new: n, returning, resurrecting, dormant })),
  },
  sessions: {
    // Every sample event carries a session_id, so sessions are (user, session_id), as our `auto` source makes them.
    sql: `WITH s AS (SELECT user_id, MIN(ts) AS started, (MAX(ts) - MIN(ts)) / 1000 AS seconds, COUNT(*) AS n FROM (${IN_RANGE}) GROUP BY user_id, session_id),
placed AS (SELECT *, (started - $from::BIGINT) // ${DAY_MS} AS day FROM s)
SELECT 'all', NULL, COUNT(*), COUNT(DISTINCT user_id), SUM((n = 1)::INTEGER), AVG(seconds), QUANTILE_CONT(seconds, 0.5), QUANTILE_CONT(seconds, 0.9), QUANTILE_CONT(seconds, 0.95), MAX(seconds) FROM placed
UNION ALL SELECT 'day', day, COUNT(*), COUNT(DISTINCT user_id), NULL, NULL, QUANTILE_CONT(seconds, 0.5), NULL, NULL, NULL FROM placed GROUP BY day
UNION ALL SELECT 'bucket', edge, COUNT(*), NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM (
  SELECT CASE WHEN seconds >= 3600 THEN 3600 WHEN seconds >= 1800 THEN 1800 WHEN seconds >= 600 THEN 600 WHEN seconds >= 180 THEN 180
              WHEN seconds >= 60 THEN 60 WHEN seconds >= 30 THEN 30 WHEN seconds >= 10 THEN 10 ELSE 0 END AS edge FROM placed) GROUP BY edge`,
    shape: (rows, range) => {
      const all = rows.find((r) => r[0] === 'all')!;
      const count = num(all[2]);
      const users = num(all[3]);
      const series = Array.from({ length: range.days }, () => ({ sessions: 0, users: 0, medianDuration: null as number | null }));
      const buckets = new Map<number, number>();
      for (const r of rows) {
        if (r[0] === 'day') series[num(r[1])] = { sessions: num(r[2]), users: num(r[3]), medianDuration: ms3(num(r[6])) };
        if (r[0] === 'bucket') buckets.set(num(r[1]), num(r[2]));
      }
      return {
        count,
        users,
        perUser: count / users,
        bounceRate: num(all[4]) / count,
        duration: { mean: ms3(num(all[5])), median: ms3(num(all[6])), p90: ms3(num(all[7])), p95: ms3(num(all[8])), max: num(all[9]) },
        histogram: [0, 10, 30, 60, 180, 600, 1800, 3600].map((edge) => buckets.get(edge) ?? 0),
        series,
      };
    },
    ours: (answer) => {
      const a = answer as { count: number; users: number; perUser: number; bounceRate: number; duration: unknown; histogram: { count: number }[]; series: { sessions: number; users: number; medianDuration: number | null }[] };
      return {
        count: a.count,
        users: a.users,
        perUser: a.perUser,
        bounceRate: a.bounceRate,
        duration: a.duration,
        histogram: a.histogram.map((h) => h.count),
        series: a.series.map(({ sessions, users, medianDuration }) => ({ sessions, users, medianDuration })),
      };
    },
  },
  events: {
    sql: `SELECT COUNT(*) OVER (), name, user_id, ts, session_id, uuid, properties FROM events WHERE ts >= $from::BIGINT AND ts <= $to::BIGINT ORDER BY ts DESC, seq DESC LIMIT 100`,
    shape: (rows) => ({
      total: rows.length ? num(rows[0]![0]) : 0,
      events: rows.map(([, event, user, ts, session, uuid, properties]) => ({
        event,
        user_id: user,
        timestamp: new Date(num(ts)).toISOString(),
        session_id: session,
        uuid,
        properties: properties === null ? {} : JSON.parse(String(properties)),
      })),
    }),
    ours: (answer) => answer,
  },
};

/** Why a kind has no DuckDB equivalent in the benchmark. */
const NOT_WRITTEN: Record<string, string> = {
  retention: 'not written yet: recurring cohorts by day with on-period returns (about 40 lines of SQL to check against ours)',
  funnel: 'not written yet: ordered matching within a 14-day window, counting the furthest attempt per user, needs a recursive or window-heavy query',
  paths: 'not written yet: collapsed repeats within sessions, top-50 transitions and drop-offs per step',
  adoption: "not written yet: 'all' features, time to adopt (median, p75 days), repeat rate and a per-day series",
  errors: 'not written yet: message normalisation (digits and hex ids) and sessions without errors',
  friction: 'not written yet: rage clicks within 1 s and 30 px, repeated errors and thrashing need per-user sequence logic',
  segments: 'not written yet: labels built from friction signals and funnel abandonments, which are themselves not written',
};

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
