import { readRetentionSpec, retentionResult, type Cells, type RetentionResult } from '../../../shared/metrics/retention.ts';
import type { SpecObject } from '../../../shared/query/fields.ts';
import type { ClickHouseExecutor } from './executor.ts';
import { Bindings } from './params.ts';
import { periodIndex } from './periods.ts';
import { eventFilter, projectEvents, type ClickHouseQueryContext, type ClickHouseScope } from './scope.ts';

/**
 * `{ kind: 'retention' }` (METRICS.md section 6, read as the core reads it:
 * shared/metrics/retention.ts). Members are (cohort, user, t0) rows: the
 * first start event per period (`min(ts)`), or for `first_time` the first
 * start event ever placed in its period. Each member meets its user's
 * returns as one array (`groupArray`): calendar, the periods with at least
 * `minimumOccurrences` return events; rolling, the return times, turned into
 * window numbers with `intDiv` and kept where a window holds enough
 * (`countEqual`) and ends by the bound. `arrayJoin` gives the cells; only
 * the counts per cohort and cell reach Node.
 */
export async function retentionOnClickHouse(sql: ClickHouseExecutor, scope: ClickHouseScope, spec: SpecObject, ctx: ClickHouseQueryContext): Promise<RetentionResult> {
  const plan = readRetentionSpec(spec, ctx.calendar, ctx.now);
  const { startEvent, returnEvent, interval, cohort, criterion, basis, minimumOccurrences, range, bound, window } = plan;
  const periods = range.periods;
  const bind = new Bindings();
  const events = projectEvents(scope, spec, ctx, bind);
  const start = eventFilter(startEvent, bind);
  const back = eventFilter(returnEvent, bind);
  const to = bind.bind(range.to, 'Int64');
  const minimum = bind.bind(minimumOccurrences, 'Int64');
  const placed = `(SELECT user_id, ts, event, ${periodIndex('ts', interval, ctx.calendar, periods, bind)} AS idx FROM ${events} WHERE ts <= ${to})`;
  const members =
    cohort === 'recurring'
      ? `members AS (SELECT idx, user_id AS u, min(ts) AS t0 FROM ${placed} WHERE idx >= 0 AND ${start} GROUP BY idx, user_id)`
      : // The first start event ever reads every event the query sees; a user whose first one is outside the periods is in no cohort.
        `members AS (SELECT ${periodIndex('t0', interval, ctx.calendar, periods, bind)} AS idx, u, t0
  FROM (SELECT user_id AS u, min(ts) AS t0 FROM ${events} WHERE ${start} GROUP BY user_id) WHERE idx >= 0 AND t0 <= ${to})`;
  let returns: string;
  let cellsOf: string;
  if (basis === 'calendar') {
    returns = `returns AS (SELECT u, groupArray(idx) AS backs FROM (
  SELECT user_id AS u, idx FROM ${placed} WHERE idx >= 0 AND ${back} GROUP BY user_id, idx HAVING count() >= ${minimum}
) GROUP BY u)`;
    cellsOf = criterion === 'on' ? 'arrayMap(j -> j - idx, arrayFilter(j -> j > idx, backs))' : 'range(1, toInt64(greatest(arrayMax(backs) - idx, 0)) + 1)';
  } else {
    const P = bind.bind(window, 'Int64');
    returns = `returns AS (SELECT user_id AS u, groupArray(ts) AS times FROM ${events}
  WHERE ${back} AND ts >= ${bind.bind(periods[0]!.start, 'Int64')} AND ts < ${bind.bind(bound, 'Int64')} GROUP BY user_id)`;
    const windows = `arrayMap(r -> intDiv(r - t0, ${P}), arrayFilter(r -> r >= t0 + ${P}, times))`;
    const hits = `arrayFilter(k -> countEqual(${windows}, k) >= ${minimum} AND t0 + (k + 1) * ${P} <= ${bind.bind(bound, 'Int64')}, arrayDistinct(${windows}))`;
    cellsOf = criterion === 'on' ? hits : `range(1, toInt64(arrayMax(arrayPushBack(${hits}, 0))) + 1)`;
  }
  const rows = await sql.rows(
    `WITH ${members}, ${returns}
SELECT toUInt8(0) AS type, toInt64(idx) AS cohort, toInt64(0) AS cell, count() AS users, toInt64(max(t0)) AS latest FROM members GROUP BY idx
UNION ALL
SELECT toUInt8(1), toInt64(idx), toInt64(k), count(), toInt64(0) FROM (SELECT idx, arrayJoin(${cellsOf}) AS k FROM members LEFT JOIN returns USING u) GROUP BY idx, k`,
    bind.values,
  );
  const cells: Cells = { sizes: periods.map(() => 0), counts: periods.map(() => new Map<number, number>()) };
  const latestStart = periods.map((): number | null => null);
  for (const [type, idx, k, n, latest] of rows) {
    const i = Number(idx);
    if (Number(type) === 0) {
      cells.sizes[i] = Number(n);
      if (basis === 'rolling') latestStart[i] = Number(latest);
    } else cells.counts[i]!.set(Number(k), Number(n));
  }
  return retentionResult(plan, cells, latestStart, ctx.now, ctx.minGroupSize);
}
