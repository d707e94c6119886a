import { funnelResult, readFunnelSpec, type FunnelResult } from '../../../shared/metrics/funnel.ts';
import type { FunnelExclusion, FunnelStep } from '../../../shared/metrics/funnel-steps.ts';
import type { SpecObject } from '../../../shared/query/fields.ts';
import { HttpError } from '../../http/http-error.ts';
import type { ClickHouseExecutor } from './executor.ts';
import { countedAttemptSql } from './funnel-match.ts';
import { Bindings } from './params.ts';
import { projectEvents, type ClickHouseQueryContext, type ClickHouseScope } from './scope.ts';
import { percentileSql } from './percentile-sql.ts';
import { propertyFilterSql } from './where.ts';

/** Steps of one event name with as many different `where`s make 2^N - 1 Hall sets for order `any`; past this many, the kind is refused. */
const MAX_ANY_ORDER_VARIANTS = 10;

/** A sum of `2^i` over the conditions `i` that the event row meets: a bit mask (UInt64). */
function maskSql(conditions: readonly string[]): string {
  if (conditions.length === 0) return 'toUInt64(0)';
  return `(${conditions.map((condition, i) => `if(${condition}, toUInt64(${2 ** i}), toUInt64(0))`).join(' + ')})`;
}

function stepMaskSql(steps: readonly FunnelStep[], bind: Bindings): string {
  return maskSql(steps.map((step) => `event = ${bind.bind(step.event, 'String')} AND ${propertyFilterSql(step.where, 'properties', bind)}`));
}

function exclusionMaskSql(exclusions: readonly FunnelExclusion[], bind: Bindings): string {
  return maskSql(exclusions.map((exclusion) => `event = ${bind.bind(exclusion.event, 'String')}`));
}

/**
 * The step sets whose Hall conditions decide an `any`-order match
 * (funnel-match.ts). Events of different names never match one step, and
 * steps with the same name and `where` match the same events, so the sets
 * are, per event name, every union of its steps grouped by `where`.
 */
export function anyOrderSets(steps: readonly FunnelStep[]): number[] {
  const byName = new Map<string, Map<string, number>>();
  steps.forEach((step, i) => {
    const variants = byName.get(step.event) ?? new Map<string, number>();
    const key = JSON.stringify(step.where);
    variants.set(key, (variants.get(key) ?? 0) | (2 ** i));
    byName.set(step.event, variants);
  });
  const sets: number[] = [];
  for (const [event, variants] of byName) {
    const bits = [...variants.values()];
    if (bits.length > MAX_ANY_ORDER_VARIANTS) {
      throw new HttpError(501, `funnel: order 'any' with more than ${MAX_ANY_ORDER_VARIANTS} steps of ${JSON.stringify(event)} that differ in their where is not answered on the ClickHouse backend`, {}, 'steps');
    }
    for (let subset = 1; subset < 2 ** bits.length; subset++) sets.push(bits.reduce((union, b, j) => ((subset >> j) & 1 ? union | b : union), 0));
  }
  return sets;
}

/**
 * `{ kind: 'funnel' }` (METRICS.md section 8, read as the core reads it:
 * shared/metrics/funnel.ts). Per user, the events of the range (for
 * `strict` all of them, else the steps' and exclusions' events) become
 * sorted arrays (`groupArray`, `arraySort` by timestamp then ingestion
 * order) with step and exclusion bit masks, and the counted attempt is
 * matched in SQL (`countedAttemptSql`). Per step, its count, and the sorted
 * seconds from the previous step give the mean (a left fold, the sum as the
 * core adds) and the median (the core's interpolation); only those rows
 * reach Node.
 */
export async function funnelOnClickHouse(sql: ClickHouseExecutor, scope: ClickHouseScope, spec: SpecObject, ctx: ClickHouseQueryContext): Promise<FunnelResult> {
  const { steps, exclusions, rules, range } = readFunnelSpec(spec, ctx);
  const bind = new Bindings();
  const events = projectEvents(scope, spec, ctx, bind);
  const anySets = rules.order === 'any' ? anyOrderSets(steps) : [];
  const names = bind.bind([...new Set([...steps.map((step) => step.event), ...exclusions.map((exclusion) => exclusion.event)])], 'Array(String)');
  // Strict funnels see every event of the range: a step's event must be the user's very next one, whatever its name.
  const candidates = rules.order === 'strict' ? '1' : `event IN ${names}`;
  const perUser = `SELECT user_id, arraySort(v -> (v.1, v.2), groupArray((ts, seq, step_mask, exclusion_mask))) AS ev
  FROM (SELECT user_id, ts, seq, ${stepMaskSql(steps, bind)} AS step_mask, ${exclusionMaskSql(exclusions, bind)} AS exclusion_mask
    FROM ${events} WHERE ts >= ${bind.bind(range.from, 'Int64')} AND ts <= ${bind.bind(range.to, 'Int64')} AND ${candidates})
  GROUP BY user_id`;
  const counted = countedAttemptSql({ t: 'ft', m: 'fm', x: 'fx' }, rules, { anySets }, bind);
  const reachedAt = `SELECT arrayMap(i -> ft[i], ${counted}) AS bt
  FROM (SELECT arrayMap(v -> v.1, ev) AS ft, arrayMap(v -> v.3, ev) AS fm, arrayMap(v -> v.4, ev) AS fx FROM (${perUser}))`;
  const rows = await sql.rows(
    `SELECT k, c, if(k = 1, NULL, arrayFold((acc, d) -> acc + d, ds, toFloat64(0)) / length(ds)), if(k = 1, NULL, ${percentileSql('ds', 0.5)}) FROM (
  SELECT kd.1 AS k, count() AS c, arraySort(groupArray(kd.2)) AS ds
  FROM (SELECT arrayJoin(arrayMap(k -> (k, if(k = 1, toFloat64(0), (bt[k] - bt[k - 1]) / 1000)), arrayEnumerate(bt))) AS kd FROM (${reachedAt}))
  GROUP BY k
)`,
    bind.values,
  );
  const tallies = steps.map(() => ({ count: 0, meanSeconds: null as number | null, medianSeconds: null as number | null }));
  for (const [k, count, mean, median] of rows) {
    tallies[Number(k) - 1] = { count: Number(count), meanSeconds: mean === null ? null : Number(mean), medianSeconds: median === null ? null : Number(median) };
  }
  return funnelResult(steps, tallies, ctx.minGroupSize);
}
