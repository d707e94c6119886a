import { adoption } from './duckdb-adoption.ts';
import { errors } from './duckdb-errors.ts';
import { friction } from './duckdb-friction.ts';
import { funnel } from './duckdb-funnel.ts';
import { paths } from './duckdb-paths.ts';
import { retention } from './duckdb-retention.ts';
import { segments } from './duckdb-segments.ts';
import { DAY_MS, dayIndex, IN_RANGE, ms3, num, perDay, STARTS_IN_RANGE, type DuckQuery } from './duckdb-sql.ts';

const trendValues = (answer: unknown): number[] => (answer as { series: { points: { value: number }[] }[] }).series[0]!.points.map((p) => p.value);

function trailing(window: number): DuckQuery {
  return {
    sql: `WITH active AS (SELECT DISTINCT ${dayIndex('ts')} AS day, user_id FROM events WHERE ts >= $from::BIGINT - ${(window - 1) * DAY_MS} AND ts <= $to::BIGINT),
days AS (SELECT range AS day FROM range(0, $days::BIGINT))
SELECT d.day, COUNT(DISTINCT a.user_id) FROM days AS d JOIN active AS a ON a.day > d.day - ${window} AND a.day <= d.day GROUP BY d.day`,
    shape: (rows, range) => perDay(rows, range),
    ours: trendValues,
  };
}

/**
 * DuckDB SQL for each kind, as a DuckDB user would write it for the same
 * definition (METRICS.md); each is compared with our answer (the fields it
 * computes) before it is timed. A kind missing here is reported n/a.
 */
export const DUCK_QUERIES: Record<string, DuckQuery> = {
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
    sql: `WITH active AS (SELECT DISTINCT ${dayIndex('ts')} AS day, user_id FROM events WHERE ts >= $from::BIGINT - ${DAY_MS} AND ts <= $to::BIGINT),
firsts AS (SELECT user_id, ${dayIndex('MIN(ts)')} AS first_day FROM events GROUP BY user_id),
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
    // Every sample event carries a session_id, so sessions are (user, session_id), as our `auto` source makes them; whole, placed by their first event.
    sql: `WITH s AS (SELECT user_id, MIN(ts) AS started, (MAX(ts) - MIN(ts)) / 1000 AS seconds, COUNT(*) AS n FROM events GROUP BY user_id, session_id ${STARTS_IN_RANGE}),
placed AS (SELECT *, ${dayIndex('started')} AS day FROM s)
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
  retention,
  funnel,
  paths,
  adoption,
  errors,
  friction,
  segments,
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

/** Why a kind has no DuckDB equivalent in the benchmark (none is missing today). */
export const NOT_WRITTEN: Record<string, string> = {};
