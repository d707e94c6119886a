import { readPathsSpec, type PathsResult } from '../../../shared/metrics/paths.ts';
import type { SpecObject } from '../../../shared/query/fields.ts';
import type { ClickHouseExecutor } from './executor.ts';
import { Bindings } from './params.ts';
import { projectEvents, type ClickHouseQueryContext, type ClickHouseScope } from './scope.ts';
import { sessionEventsTable } from './sessions-sql.ts';

/**
 * `{ kind: 'paths' }` (METRICS.md section 9), as the core's countPaths
 * (shared/metrics/paths.ts) does it, per session in ClickHouse arrays:
 * - `names`: the session's event names sorted by (ts, seq) (`groupArray` +
 *   `arraySort` of tuples), then `include` / `exclude` (`arrayFilter`);
 * - `first` / `last`: the 1-based positions of the first `start` and the
 *   last `end` event in them (`indexOf`, on the reversed array for the end);
 *   a session without them, or with its last end before its first start,
 *   is no path;
 * - `path`: the names between them, each kept where it differs from the
 *   filtered name before it (so repeats collapse across an anchor, as in the
 *   core), cut to `steps` (`arraySlice`);
 * then one row per step (`arrayJoin`), counted and ranked in ClickHouse with
 * the core's orders: transitions by count (most first), step, from, to;
 * drop-offs by step, count (most first), event. Strings compare by bytes in
 * both engines, which for UTF-8 is code point order.
 */
export async function pathsOnClickHouse(sql: ClickHouseExecutor, scope: ClickHouseScope, spec: SpecObject, ctx: ClickHouseQueryContext): Promise<PathsResult> {
  const { start, end, steps, limit, include, exclude, options, range } = readPathsSpec(spec, ctx.calendar, ctx.now);
  const bind = new Bindings();
  const events = sessionEventsTable(projectEvents(scope, spec, ctx, bind), options, ctx.calendar, range.from, range.to, bind);
  const kept = [include ? `has(${bind.bind(include, 'Array(String)')}, x)` : '1', exclude ? `NOT has(${bind.bind(exclude, 'Array(String)')}, x)` : '1'].join(' AND ');
  const first = start === undefined ? '1' : `indexOf(names, ${bind.bind(start, 'String')})`;
  const endName = end === undefined ? '' : bind.bind(end, 'String');
  const last = end === undefined ? 'length(names)' : `if(has(names, ${endName}), length(names) + 1 - indexOf(arrayReverse(names), ${endName}), 0)`;
  const paths = `(SELECT arraySlice(arrayFilter((x, i) -> i >= first AND i <= last AND (i = 1 OR x != names[i - 1]), names, arrayEnumerate(names)), 1, ${bind.bind(steps, 'UInt64')}) AS path
  FROM (
    SELECT names, ${first} AS first, ${last} AS last
    FROM (SELECT arrayFilter(x -> ${kept}, arrayMap(e -> e.3, arraySort(groupArray((ts, seq, event))))) AS names FROM ${events} GROUP BY user_id, sid, start)
  )
  WHERE length(names) > 0 AND first > 0 AND last >= first)`;
  const counted = `(SELECT step, from_name, to_name, count() AS n FROM (
    SELECT k AS step, path[k] AS from_name, if(k < length(path), CAST(path[k + 1] AS Nullable(String)), NULL) AS to_name
    FROM ${paths} ARRAY JOIN arrayEnumerate(path) AS k
  ) GROUP BY step, from_name, to_name)`;
  const rows = await sql.rows(
    `SELECT part, step, from_name, to_name, n FROM (
  SELECT 0 AS part, row_number() OVER (ORDER BY n DESC, step, from_name, to_name) AS rank, step, from_name, to_name, n FROM ${counted} WHERE to_name IS NOT NULL
  UNION ALL
  SELECT 1 AS part, row_number() OVER (ORDER BY step, n DESC, from_name) AS rank, step, from_name, to_name, n FROM ${counted} WHERE to_name IS NULL
)
WHERE part = 1 OR rank <= ${bind.bind(limit, 'UInt64')}
ORDER BY part, rank`,
    bind.values,
  );
  const result: PathsResult = { transitions: [], dropOffs: [] };
  for (const [part, step, from, to, count] of rows) {
    if (Number(part) === 0) result.transitions.push({ step: Number(step), from: String(from), to: String(to), count: Number(count) });
    else result.dropOffs.push({ step: Number(step), event: String(from), count: Number(count) });
  }
  return result;
}
