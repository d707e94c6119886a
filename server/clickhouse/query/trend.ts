import { NONE_LABEL, OTHER_LABEL, readTrendSpec, trendResult, type TrendResult } from '../../../shared/metrics/trend.ts';
import type { SpecObject } from '../../../shared/query/fields.ts';
import type { ClickHouseExecutor } from './executor.ts';
import { Bindings } from './params.ts';
import { periodIndex } from './periods.ts';
import { eventFilter, projectEvents, type ClickHouseQueryContext, type ClickHouseScope } from './scope.ts';
import { propertyText } from './where.ts';

const BREAKDOWN_LIMIT = 10;

/** Per label, a number per period of `length` periods, from rows `[label, idx, value]`. */
function byLabel(rows: unknown[][], length: number): Map<string, number[]> {
  const map = new Map<string, number[]>();
  for (const [label, idx, value] of rows) {
    let cells = map.get(String(label));
    if (!cells) map.set(String(label), (cells = new Array<number>(length).fill(0)));
    cells[Number(idx)] = Number(value);
  }
  return map;
}

/**
 * `{ kind: 'trend' }` (METRICS.md section 4). Events are placed in periods
 * in ClickHouse (periods.ts); events are counted with count(), users with
 * uniqExact; a trailing window (wau, mau) spreads each user's active day d
 * over the days d .. d + window - 1 with `ARRAY JOIN range(...)` and counts
 * distinct users per day. Breakdown values are ranked by events (PostHog's
 * order), ties by value, the top 10 kept and the rest `other`.
 */
export async function trendOnClickHouse(sql: ClickHouseExecutor, scope: ClickHouseScope, spec: SpecObject, ctx: ClickHouseQueryContext): Promise<TrendResult> {
  const plan = readTrendSpec(spec, ctx.calendar, ctx.now);
  const { math, interval, windowDays, event, breakdown, range, allPeriods, lead } = plan;
  const bind = new Bindings();
  const idx = periodIndex('ts', interval, ctx.calendar, allPeriods, bind);
  const value = breakdown === undefined ? 'CAST(NULL AS Nullable(String))' : propertyText('properties', breakdown, bind);
  const matched = `matched AS (
  SELECT idx, user_id AS u, ${value} AS value FROM (SELECT *, ${idx} AS idx FROM ${projectEvents(scope, spec, ctx, bind)} WHERE ts <= ${bind.bind(range.to, 'Int64')} AND ${eventFilter(event, bind)})
  WHERE idx >= 0
)`;
  let labels = ['all'];
  let labelSql = "'all'";
  if (breakdown !== undefined) {
    const none = bind.bind(NONE_LABEL, 'String');
    const ranked = await sql.rows(
      `WITH ${matched} SELECT coalesce(value, ${none}) AS label, count() AS n FROM matched GROUP BY label ORDER BY n DESC, label LIMIT ${BREAKDOWN_LIMIT + 1}`,
      bind.values,
    );
    const top = ranked.slice(0, BREAKDOWN_LIMIT).map((row) => String(row[0]));
    labels = ranked.length > BREAKDOWN_LIMIT ? [...top, OTHER_LABEL] : top;
    labelSql = `if(has(${bind.bind(top, 'Array(String)')}, coalesce(value, ${none})), coalesce(value, ${none}), ${bind.bind(OTHER_LABEL, 'String')})`;
  }
  const labelled = `WITH ${matched}, labelled AS (SELECT idx, u, ${labelSql} AS label FROM matched)\n`;
  const length = allPeriods.length;
  let values = new Map<string, number[]>();
  let windows = new Map<string, number[]>();
  if (math === 'events' || math === 'users') {
    const aggregate = math === 'events' ? 'count()' : 'uniqExact(u)';
    values = byLabel(await sql.rows(`${labelled}SELECT label, idx, ${aggregate} FROM labelled GROUP BY label, idx`, bind.values), length);
  } else {
    values = byLabel(await sql.rows(`${labelled}SELECT label, idx, uniqExact(u) FROM labelled GROUP BY label, idx`, bind.values), length);
    windows = byLabel(
      await sql.rows(
        `${labelled}SELECT label, day, uniqExact(u) FROM (SELECT DISTINCT label, u, idx FROM labelled)
ARRAY JOIN range(idx, idx + ${bind.bind(windowDays, 'Int64')}) AS day
WHERE day >= ${bind.bind(lead, 'Int64')} AND day < ${bind.bind(length, 'Int64')} GROUP BY label, day`,
        bind.values,
      ),
      length,
    );
  }
  return trendResult(plan, labels, values, windows, ctx.now, ctx.minGroupSize);
}
