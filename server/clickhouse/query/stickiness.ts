import { readStickinessSpec, stickinessBuckets, type StickinessResult } from '../../../shared/metrics/stickiness.ts';
import type { SpecObject } from '../../../shared/query/fields.ts';
import type { ClickHouseExecutor } from './executor.ts';
import { Bindings } from './params.ts';
import { periodIndex } from './periods.ts';
import { eventFilter, projectEvents, type ClickHouseQueryContext, type ClickHouseScope } from './scope.ts';

/** `{ kind: 'stickiness' }` (METRICS.md section 5): uniqExact of each user's periods, then users per count, in ClickHouse. */
export async function stickinessOnClickHouse(sql: ClickHouseExecutor, scope: ClickHouseScope, spec: SpecObject, ctx: ClickHouseQueryContext): Promise<StickinessResult> {
  const { interval, cumulative, event, range } = readStickinessSpec(spec, ctx.calendar, ctx.now);
  const bind = new Bindings();
  const idx = periodIndex('ts', interval, ctx.calendar, range.periods, bind);
  const rows = await sql.rows(
    `SELECT n, count() FROM (
  SELECT user_id, uniqExact(idx) AS n
  FROM (SELECT user_id, ${idx} AS idx FROM ${projectEvents(scope, spec, ctx, bind)} WHERE ts <= ${bind.bind(range.to, 'Int64')} AND ${eventFilter(event, bind)})
  WHERE idx >= 0 GROUP BY user_id
) GROUP BY n`,
    bind.values,
  );
  const exactly: number[] = [];
  for (const [n, users] of rows) exactly[Number(n)] = Number(users);
  return stickinessBuckets(exactly, range.periods.length, cumulative, ctx.minGroupSize);
}
