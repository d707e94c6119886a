import { DURATION_EDGES, readSessionsSpec, toMillisecond, type SessionsResult } from '../../../shared/metrics/sessions.ts';
import { Suppressor, ratio } from '../../../shared/privacy/suppress.ts';
import type { SpecObject } from '../../../shared/query/fields.ts';
import { incompleteMark } from '../../../shared/time/periods.ts';
import type { ClickHouseExecutor } from './executor.ts';
import { Bindings } from './params.ts';
import { percentileSql } from './percentile-sql.ts';
import { periodIndex } from './periods.ts';
import { projectEvents, type ClickHouseQueryContext, type ClickHouseScope } from './scope.ts';
import { sessionsTable } from './sessions-sql.ts';

const seconds = (value: unknown): number | null => (value === null ? null : Number(value));

/**
 * `{ kind: 'sessions' }` (METRICS.md section 3): sessions built in ClickHouse
 * (sessions-sql.ts), then counts, bounces, duration statistics, histogram and
 * series aggregated there; only those numbers reach Node.
 */
export async function sessionsOnClickHouse(sql: ClickHouseExecutor, scope: ClickHouseScope, spec: SpecObject, ctx: ClickHouseQueryContext): Promise<SessionsResult> {
  const { interval, options, range } = readSessionsSpec(spec, ctx.calendar, ctx.now);
  const bind = new Bindings();
  const sessions = sessionsTable(projectEvents(scope, spec, ctx, bind), options, ctx.calendar, range.from, range.to, bind);
  const buckets = DURATION_EDGES.map((from, i) => {
    const to = DURATION_EDGES[i + 1];
    return `countIf(dur >= ${from}${to === undefined ? '' : ` AND dur < ${to}`})`;
  });
  const [totals] = (await sql.rows(
    `SELECT c, users, bounces, total_ms, max_ms, ${percentileSql('d', 0.5)}, ${percentileSql('d', 0.9)}, ${percentileSql('d', 0.95)}, histogram FROM (
  SELECT count() AS c, uniqExact(u) AS users, countIf(n = 1) AS bounces, sum(end - start) AS total_ms, max(end - start) AS max_ms,
    arraySort(groupArray(dur)) AS d, [${buckets.join(', ')}] AS histogram
  FROM (SELECT u, start, end, n, (end - start) / 1000 AS dur FROM ${sessions})
)`,
    bind.values,
  )) as [[unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown[]]];
  const [count, userCount, bounces, totalMs, maxMs, median, p90, p95, histogram] = totals;
  const idx = periodIndex('start', interval, ctx.calendar, range.periods, bind);
  const series = range.periods.map(() => ({ sessions: 0, users: 0, median: null as number | null }));
  for (const [i, n, users, med] of await sql.rows(
    `SELECT idx, count(), uniqExact(u), ${percentileSql('arraySort(groupArray((end - start) / 1000))', 0.5)} FROM (SELECT u, start, end, ${idx} AS idx FROM ${sessions}) GROUP BY idx`,
    bind.values,
  )) {
    series[Number(i)] = { sessions: Number(n), users: Number(users), median: seconds(med) };
  }
  const sessionCount = Number(count);
  const suppressor = new Suppressor(ctx.minGroupSize);
  const reportedUsers = suppressor.users(Number(userCount));
  return suppressor.finish({
    count: sessionCount,
    users: reportedUsers,
    perUser: ratio(sessionCount, reportedUsers),
    bounceRate: sessionCount === 0 ? null : Number(bounces) / sessionCount,
    duration:
      sessionCount === 0
        ? { mean: null, median: null, p90: null, p95: null, max: null }
        : {
            mean: toMillisecond(Number(totalMs) / 1000 / sessionCount),
            median: toMillisecond(seconds(median)),
            p90: toMillisecond(seconds(p90)),
            p95: toMillisecond(seconds(p95)),
            max: Number(maxMs) / 1000,
          },
    histogram: DURATION_EDGES.map((from, i) => ({ from, to: DURATION_EDGES[i + 1] ?? null, count: Number(histogram[i]) })),
    series: range.periods.map((period, i) => ({
      period: period.name,
      ...incompleteMark(period, ctx.now),
      sessions: series[i]!.sessions,
      users: suppressor.users(series[i]!.users),
      medianDuration: toMillisecond(series[i]!.median),
    })),
  });
}
