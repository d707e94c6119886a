import { adoptionResult, readAdoptionSpec, type AdoptionResult, type FeatureCounts } from '../../../shared/metrics/adoption.ts';
import type { SpecObject } from '../../../shared/query/fields.ts';
import type { ClickHouseExecutor } from './executor.ts';
import { Bindings } from './params.ts';
import { percentileSql } from './percentile-sql.ts';
import { periodIndex } from './periods.ts';
import { projectEvents, type ClickHouseQueryContext, type ClickHouseScope } from './scope.ts';

// Typed NULLs for the columns a part of the UNION ALL leaves empty: every part must have the same types.
const NO_COUNT = 'CAST(NULL AS Nullable(UInt64))';
const NO_MS = 'CAST(NULL AS Nullable(Float64))';

const orNull = (value: unknown): number | null => (value === null ? null : Number(value));

/**
 * `{ kind: 'adoption' }` (METRICS.md section 10), counted in ClickHouse per
 * feature (an event name): adopters and repeaters (`uniqExact` of the local
 * dates of a user's uses in the query's time zone), the first timers'
 * delays from first event ever to first use (two `min(ts)` per user joined)
 * with their median and 75th percentile over the sorted delays
 * (percentileSql, the core's arithmetic), and adopters per period
 * (periodIndex). The core shapes the result (adoptionResult): rates, days,
 * suppression and the order of `'all'`. With `'all'` the features are the
 * range's event names not starting with `$`, found first.
 *
 * One difference: the core refuses a range whose events span more than
 * MAX_PERIODS local days when it counts repeat days from every event (not
 * its daily counts); ClickHouse needs no list of days and answers.
 */
export async function adoptionOnClickHouse(sql: ClickHouseExecutor, scope: ClickHouseScope, spec: SpecObject, ctx: ClickHouseQueryContext): Promise<AdoptionResult> {
  const { features, interval, range } = readAdoptionSpec(spec, ctx.calendar, ctx.now);
  const bind = new Bindings();
  const events = projectEvents(scope, spec, ctx, bind);
  const inRange = `ts >= ${bind.bind(range.from, 'Int64')} AND ts <= ${bind.bind(range.to, 'Int64')}`;
  const names =
    features === 'all'
      ? (await sql.rows(`SELECT DISTINCT event FROM ${events} WHERE ${inRange} AND NOT startsWith(event, '$')`, bind.values)).map(([name]) => String(name))
      : features;
  const byName = new Map<string, FeatureCounts>();
  const countsOf = (name: string): FeatureCounts => {
    let c = byName.get(name);
    if (!c) byName.set(name, (c = { adopters: 0, repeaters: 0, firstTimers: 0, medianMs: null, p75Ms: null, series: range.periods.map(() => 0) }));
    return c;
  };
  // With 'all' every feature found is listed, whatever its counts (each has an adopter).
  if (features === 'all') names.forEach(countsOf);
  const isFeature = `has(${bind.bind(names, 'Array(String)')}, event)`;
  const day = `toDate(toDateTime(intDiv(ts, 1000), ${bind.bind(ctx.calendar.timezone, 'String')}))`;
  const idx = periodIndex('ts', interval, ctx.calendar, range.periods, bind);
  const rows = await sql.rows(
    `SELECT 'active' AS type, '' AS name, (SELECT uniqExact(user_id) FROM ${events} WHERE ${inRange}) AS a, ${NO_COUNT} AS b, ${NO_MS} AS c, ${NO_MS} AS d
UNION ALL
SELECT 'adopters', event, count(), toNullable(countIf(days > 1)), ${NO_MS}, ${NO_MS}
FROM (SELECT event, user_id, uniqExact(${day}) AS days FROM ${events} WHERE ${inRange} AND ${isFeature} GROUP BY event, user_id)
GROUP BY event
UNION ALL
SELECT 'delays', event, length(d), ${NO_COUNT}, toFloat64(${percentileSql('d', 0.5)}), toFloat64(${percentileSql('d', 0.75)})
FROM (
  SELECT event, arraySort(groupArray(first_use - first_event)) AS d
  FROM (SELECT event, user_id, min(ts) AS first_use FROM ${events} WHERE ${isFeature} GROUP BY event, user_id) AS f
  INNER JOIN (SELECT user_id, min(ts) AS first_event FROM ${events} GROUP BY user_id) AS u ON f.user_id = u.user_id
  WHERE first_use >= ${bind.bind(range.from, 'Int64')} AND first_use <= ${bind.bind(range.to, 'Int64')}
  GROUP BY event
)
UNION ALL
SELECT 'series', event, toUInt64(idx), toNullable(uniqExact(user_id)), ${NO_MS}, ${NO_MS}
FROM (SELECT event, user_id, ${idx} AS idx FROM ${events} WHERE ts <= ${bind.bind(range.to, 'Int64')} AND ${isFeature})
WHERE idx >= 0
GROUP BY event, idx`,
    bind.values,
  );
  let active = 0;
  for (const [type, name, a, b, c, d] of rows) {
    if (type === 'active') {
      active = Number(a);
      continue;
    }
    const counts = countsOf(String(name));
    if (type === 'adopters') {
      counts.adopters = Number(a);
      counts.repeaters = Number(b);
    } else if (type === 'delays') {
      counts.firstTimers = Number(a);
      counts.medianMs = orNull(c);
      counts.p75Ms = orNull(d);
    } else {
      counts.series[Number(a)] = Number(b);
    }
  }
  return adoptionResult(features, byName, active, range.periods, ctx.now, ctx.minGroupSize);
}
