import { lifecycleResult, readLifecycleSpec, type LifecycleCounts, type LifecycleResult } from '../../../shared/metrics/lifecycle.ts';
import type { SpecObject } from '../../../shared/query/fields.ts';
import type { ClickHouseExecutor } from './executor.ts';
import { Bindings } from './params.ts';
import { periodIndex } from './periods.ts';
import { eventFilter, projectEvents, type ClickHouseQueryContext, type ClickHouseScope } from './scope.ts';

/**
 * `{ kind: 'lifecycle' }` (METRICS.md section 7). Per user, the periods
 * active (`groupArray`) and the first event ever (`min(ts)` over all the
 * project's events the query sees); each active period p >= 1 is returning
 * when p - 1 is active, else new when the first event is in p or later,
 * else resurrecting; each active period not followed by an active one makes
 * the user dormant in the next. Only the counts per status and period reach Node.
 */
export async function lifecycleOnClickHouse(sql: ClickHouseExecutor, scope: ClickHouseScope, spec: SpecObject, ctx: ClickHouseQueryContext): Promise<LifecycleResult> {
  const { interval, event, range, allPeriods } = readLifecycleSpec(spec, ctx.calendar, ctx.now);
  const bind = new Bindings();
  const events = projectEvents(scope, spec, ctx, bind);
  const idx = periodIndex('ts', interval, ctx.calendar, allPeriods, bind);
  const starts = bind.bind(allPeriods.map((p) => p.start), 'Array(Int64)');
  const last = bind.bind(range.periods.length, 'Int64');
  const rows = await sql.rows(
    `WITH active AS (
  SELECT user_id AS u, groupUniqArray(idx) AS ps
  FROM (SELECT user_id, ${idx} AS idx FROM ${events} WHERE ts <= ${bind.bind(range.to, 'Int64')} AND ${eventFilter(event, bind)})
  WHERE idx >= 0 GROUP BY user_id
),
firsts AS (SELECT user_id AS u, min(ts) AS first FROM ${events} WHERE user_id IN (SELECT u FROM active) GROUP BY user_id)
SELECT status.1, status.2, count() FROM (
  SELECT arrayJoin(arrayConcat(
    arrayMap(p -> tuple(if(has(ps, p - 1), 'returning', if(first >= ${starts}[p + 1], 'new', 'resurrecting')), p - 1), arrayFilter(p -> p >= 1, ps)),
    arrayMap(p -> tuple('dormant', p), arrayFilter(p -> p < ${last} AND NOT has(ps, p + 1), ps))
  )) AS status
  FROM active INNER JOIN firsts USING u
) GROUP BY status`,
    bind.values,
  );
  const counts: LifecycleCounts = range.periods.map(() => ({ new: 0, returning: 0, resurrecting: 0, dormant: 0 }));
  for (const [status, period, users] of rows) counts[Number(period)]![status as keyof LifecycleCounts[number]] = Number(users);
  return lifecycleResult(range.periods, counts, ctx.now, ctx.minGroupSize);
}
