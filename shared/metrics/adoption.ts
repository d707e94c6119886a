import { SpecError, quote } from '../errors.ts';
import { optionalEnum, rejectUnknownFields, type SpecObject } from '../query/fields.ts';
import { COMMON_FIELDS, eventSource, EVERY_EVENT, inPeriods, periodsParam, rangeSource, type QueryContext } from '../query/context.ts';
import { RANGE_FIELDS, resolveRange, type PeriodRangeFields, type QueryRange } from '../query/range.ts';
import { Suppressor, ratio } from '../privacy/suppress.ts';
import type { SqlParams } from '../sql/executor.ts';
import { weightedPercentile, type WeightedValue } from '../stats.ts';
import { incompleteMark, INTERVALS, MAX_PERIODS, periodsBetween, type Calendar, type Interval, type Period } from '../time/periods.ts';

/**
 * `{ kind: 'adoption' }`: who uses each feature, how soon and how often
 * (METRICS.md section 10). A feature is an event name.
 *
 * The totals (`adopters`, `adoptionRate`, `timeToAdopt`, `repeatRate`)
 * count the events of `[from, to]` exactly; the `series` counts by period,
 * and its first period counts whole even when it starts before `from`
 * (METRICS.md section 2).
 */
export interface AdoptionQuery extends PeriodRangeFields {
  kind: 'adoption';
  /**
   * Event names, each once, in the order the result should list them; or `'all'`:
   * every event name that occurs in `[from, to]` except the tracker's
   * reserved `$`-prefixed ones (`$pageview`, `$click`, `$error`, ...),
   * listed by adopters, most first (suppressed counts last), then by name.
   * A `$` name can still be asked for by name.
   */
  features: string[] | 'all';
  /** Period of the `series`; default `day`. */
  interval?: Interval;
  /** Also decides which local days count as distinct for `repeatRate`. */
  timezone?: string;
}

/** One feature's adoption. Counts are distinct users; null when suppressed, and so is every rate or time derived from a suppressed group. */
export interface FeatureAdoption {
  feature: string;
  /** Distinct users who used the feature in `[from, to]`. */
  adopters: number | null;
  /** adopters / users with any event in `[from, to]`; null when nobody was active. */
  adoptionRate: number | null;
  /**
   * Days (fractional: milliseconds / 86,400,000) from a user's first event
   * ever to their first use of the feature ever, over the users whose first
   * use is in `[from, to]`; median and 75th percentile, interpolated
   * linearly. Null when no user first used it in the range.
   */
  timeToAdopt: { medianDays: number | null; p75Days: number | null };
  /** Adopters who used the feature on two or more distinct local days of `[from, to]` / adopters. */
  repeatRate: number | null;
  /** Distinct users who used the feature in each period; `incomplete` present when the period has not ended at the query's `now` (METRICS.md section 2). */
  series: { period: string; adopters: number | null; incomplete?: true }[];
}

export interface AdoptionResult {
  features: FeatureAdoption[];
  suppressed?: true;
}

const FIELDS = [...COMMON_FIELDS, ...RANGE_FIELDS, 'features', 'interval'];
const DAY_MS = 86_400_000;
/** The longest event name ingest accepts (METRICS.md section 1). */
const MAX_NAME_LENGTH = 200;

/** `features`: a non-empty array of distinct event names, or `'all'`. */
function readFeatures(spec: SpecObject): string[] | 'all' {
  const value = spec.features;
  if (value === 'all') return 'all';
  if (value === undefined || value === null) throw new SpecError('features', "missing: give event names (['export', 'share']) or 'all'");
  if (!Array.isArray(value) || value.length === 0) {
    throw new SpecError('features', `must be a non-empty array of event names or 'all', got ${quote(value)}`);
  }
  value.forEach((name: unknown, i) => {
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) {
      throw new SpecError(`features[${i}]`, `must be an event name of 1..${MAX_NAME_LENGTH} characters, got ${quote(name)}`);
    }
    const first = value.indexOf(name);
    if (first !== i) throw new SpecError(`features[${i}]`, `repeats features[${first}] (${quote(name)}); list each feature once`);
  });
  return value as string[];
}

/**
 * Feature ids of the query as a CTE body; `'all'` picks the non-reserved
 * names with an event in `[from, to]`, each found with one seek of the
 * events' (name, time) index (the daily counts lead with the day, so asking
 * them would read the range once per name).
 */
function featureIdsSql(features: string[] | 'all', params: SqlParams, ctx: QueryContext): string {
  if (features !== 'all') {
    params.$features = JSON.stringify(features);
    return `SELECT id AS f, name FROM event_names WHERE name IN ${ctx.dialect.valuesTable('$features')}`;
  }
  // PostHog: "Events starting with $ are PostHog defaults" (pageviews, autocapture), not product
  // features; our trackers' `$pageview`, `$click`, `$error`, `$command` play that part here.
  return `SELECT n.id AS f, n.name AS name FROM event_names AS n
  WHERE substr(n.name, 1, 1) <> '$' AND EXISTS (SELECT 1 FROM events AS e WHERE e.name_id = n.id AND e.ts >= $from AND e.ts <= $to)`;
}

/**
 * CTEs `adopters (f, u, repeats)`, each feature's users in `[from, to]` and
 * whether they used it on two or more local days, and `active (n)`, the
 * users with any event there: from the daily counts, or from every event
 * placed in its local day (`$days`).
 */
function usesSql(ctx: QueryContext, params: SqlParams, counts: boolean): string {
  if (counts) {
    return `adopters AS MATERIALIZED (
  SELECT name_id AS f, user_id AS u, COUNT(*) > 1 AS repeats FROM activity
  WHERE day >= $from AND day <= $to AND name_id IN (SELECT f FROM features) GROUP BY name_id, user_id
),
active AS (SELECT COUNT(DISTINCT user_id) AS n FROM user_days WHERE day >= $from AND day <= $to)`;
  }
  params.$days = daysParam(Number(params.$from), Number(params.$to), ctx);
  // Active users are counted user by user with an index seek (events_by_user) rather than
  // COUNT(DISTINCT user_id) over the range's events: 2 ms instead of 57 ms for the 90 days
  // of generateSampleEvents({ events: 200_000 }).
  return `uses AS MATERIALIZED (
  SELECT e.name_id AS f, e.user_id AS u, d.idx AS day
  FROM ${inPeriods(ctx.dialect.periodsTable('$days'), EVERY_EVENT, 'd')}
  WHERE e.name_id IN (SELECT f FROM features)
),
adopters AS MATERIALIZED (SELECT f, u, MAX(day) > MIN(day) AS repeats FROM uses GROUP BY f, u),
active AS (
  SELECT COUNT(*) AS n FROM users AS a WHERE EXISTS (SELECT 1 FROM events AS e WHERE e.user_id = a.id AND e.ts >= $from AND e.ts <= $to)
)`;
}

/**
 * The CTE `first_timers (f, delay)`: for each user whose first use of a
 * feature ever lies in `[from, to]`, the milliseconds from their first event
 * ever to it. From the first uses the store keeps (shared/store/first-uses.ts)
 * unless a `where` narrows the events, since those count every event.
 * Materialized, so the first-event lookup runs once per user and feature.
 */
function firstTimersSql(ctx: QueryContext): string {
  if (!ctx.filtered) {
    return `first_timers AS MATERIALIZED (
  SELECT f.name_id AS f, f.ts - (SELECT MIN(x.ts) FROM first_uses AS x WHERE x.user_id = f.user_id) AS delay
  FROM first_uses AS f WHERE f.name_id IN (SELECT f FROM features) AND f.ts >= $from AND f.ts <= $to
)`;
  }
  return `first_timers AS MATERIALIZED (
  SELECT a.name_id AS f, a.first_use - (SELECT MIN(x.ts) FROM events AS x WHERE x.user_id = a.user_id) AS delay
  FROM (SELECT user_id, name_id, MIN(ts) AS first_use FROM events WHERE name_id IN (SELECT f FROM features) GROUP BY user_id, name_id) AS a
  WHERE a.first_use >= $from AND a.first_use <= $to
)`;
}

/**
 * The local days holding events of `[from, to]`, cut to it, as the JSON
 * `periodsTable` reads. Only the span that has events is split into days,
 * so a range reaching back to 1970 does not build fifty thousand of them.
 */
function daysParam(from: number, to: number, ctx: QueryContext): string {
  const [first, last] = ctx.sql.rows(
    'SELECT (SELECT MIN(ts) FROM events WHERE ts >= $from AND ts <= $to), (SELECT MAX(ts) FROM events WHERE ts >= $from AND ts <= $to)',
    { $from: from, $to: to },
  )[0]!;
  if (first === null || last === null) return '[]';
  const days = periodsBetween(Number(first), Number(last), 'day', ctx.calendar);
  if (!days) throw new SpecError('from', `the events of the range span more than ${MAX_PERIODS} days, too many to count repeat days over; choose a shorter range`);
  return JSON.stringify(days.map((d) => [Math.max(d.start, from), Math.min(d.end, to + 1)]));
}

/** One result row: what it counts, the feature's name id, a name / delay / period index, and one or two numbers. */
type Row = [type: 'feature' | 'active' | 'adopters' | 'delay' | 'series', f: number | null, key: number | string | null, n: number, m: number | null];

/** What one feature's adoption is made of, before suppression. */
export interface FeatureCounts {
  /** Distinct users who used it in `[from, to]`. */
  adopters: number;
  /** Those of them who used it on two or more local days of `[from, to]`. */
  repeaters: number;
  /** Users whose first use ever is in `[from, to]`. */
  firstTimers: number;
  /** Median and 75th percentile of the first timers' milliseconds from first event ever to first use (weightedPercentile); null without first timers. */
  medianMs: number | null;
  p75Ms: number | null;
  /** Distinct users who used it, per period of the range. */
  series: number[];
}

/** A checked adoption spec: its features, interval and range. */
export interface AdoptionPlan {
  features: string[] | 'all';
  interval: Interval;
  range: QueryRange;
}

/** Checks an adoption spec and resolves its periods in `calendar` at `now`; throws a SpecError naming the field. */
export function readAdoptionSpec(spec: SpecObject, calendar: Calendar, now: number): AdoptionPlan {
  rejectUnknownFields(spec, FIELDS);
  const features = readFeatures(spec);
  const interval = optionalEnum(spec, 'interval', INTERVALS) ?? 'day';
  return { features, interval, range: resolveRange(spec, calendar, now, interval) };
}

export function adoptionQuery(spec: SpecObject, ctx: QueryContext): AdoptionResult {
  const { features, interval, range } = readAdoptionSpec(spec, ctx.calendar, ctx.now);
  const params: SqlParams = { $from: range.from, $to: range.to, $periods: periodsParam(range.periods, range.to) };
  // The range's uses and active users come from the daily counts where they answer for it.
  const fromCounts = rangeSource(ctx, range.from, range.to, true) !== EVERY_EVENT;
  // The per-period users of each feature need no more than the daily counts, where they answer.
  const series = eventSource(ctx, interval, range.periods, range.to, true);
  const rows = ctx.sql.rows(
    `WITH features AS MATERIALIZED (${featureIdsSql(features, params, ctx)}),
${usesSql(ctx, params, fromCounts)},
${firstTimersSql(ctx)}
SELECT 'feature', f, name, 0, NULL FROM features
UNION ALL SELECT 'active', NULL, NULL, n, NULL FROM active
UNION ALL SELECT 'adopters', f, NULL, COUNT(*), SUM(repeats) FROM adopters GROUP BY f
UNION ALL SELECT 'delay', f, delay, COUNT(*), NULL FROM first_timers GROUP BY f, delay
UNION ALL SELECT 'series', e.name_id, p.idx, COUNT(DISTINCT e.user_id), NULL
  FROM ${inPeriods(ctx.dialect.periodsTable('$periods'), series)}
  WHERE e.name_id IN (SELECT f FROM features)
  GROUP BY p.idx, e.name_id
ORDER BY 1, 2, 3`,
    params,
  );

  const names = new Map<number, string>();
  const counts = new Map<number, FeatureCounts>();
  const delays = new Map<number, WeightedValue[]>();
  const countsOf = (f: number): FeatureCounts => {
    let c = counts.get(f);
    if (!c) counts.set(f, (c = emptyCounts(range.periods.length)));
    return c;
  };
  let active = 0;
  for (const [type, f, key, n, m] of rows as Row[]) {
    switch (type) {
      case 'active':
        active = n;
        break;
      case 'feature':
        names.set(f!, String(key));
        break;
      case 'adopters':
        countsOf(f!).adopters = n;
        countsOf(f!).repeaters = m ?? 0;
        break;
      case 'delay':
        // Rows come sorted by delay, as weightedPercentile needs.
        if (!delays.has(f!)) delays.set(f!, []);
        delays.get(f!)!.push({ value: Number(key), count: n });
        countsOf(f!).firstTimers += n;
        break;
      case 'series':
        countsOf(f!).series[Number(key)] = n;
    }
  }

  for (const [f, sorted] of delays) {
    countsOf(f).medianMs = weightedPercentile(sorted, 0.5);
    countsOf(f).p75Ms = weightedPercentile(sorted, 0.75);
  }
  const byName = new Map([...names].map(([f, name]) => [name, counts.get(f) ?? emptyCounts(range.periods.length)]));
  return adoptionResult(features, byName, active, range.periods, ctx.now, ctx.minGroupSize);
}

/** A feature's counts when nobody used it. */
function emptyCounts(periods: number): FeatureCounts {
  return { adopters: 0, repeaters: 0, firstTimers: 0, medianMs: null, p75Ms: null, series: Array.from({ length: periods }, () => 0) };
}

/**
 * The result from each feature's counts (`byName`: the listed features that
 * have any, or with `'all'` every feature found) and the range's active
 * users: rates, days, suppression below `minGroupSize`, and with `'all'` the
 * order by adopters, then name.
 */
export function adoptionResult(
  features: string[] | 'all',
  byName: ReadonlyMap<string, FeatureCounts>,
  active: number,
  periods: readonly Period[],
  now: number,
  minGroupSize: number,
): AdoptionResult {
  const suppressor = new Suppressor(minGroupSize);
  const empty = emptyCounts(periods.length);
  const list = features === 'all' ? [...byName.keys()] : features;
  const result = list.map((feature): FeatureAdoption => {
    const c = byName.get(feature) ?? empty;
    const adopters = suppressor.users(c.adopters);
    // METRICS.md section 15: a time or rate over a group below minGroupSize (first-time adopters,
    // repeaters, active users) would tell about its few members, even when that group's own count
    // is not reported: null too.
    const timed = suppressor.users(c.firstTimers) !== null;
    const days = (ms: number | null) => (timed ? dayCount(ms) : null);
    return {
      feature,
      adopters,
      adoptionRate: ratio(adopters, suppressor.users(active)),
      timeToAdopt: { medianDays: days(c.medianMs), p75Days: days(c.p75Ms) },
      repeatRate: ratio(suppressor.users(c.repeaters), adopters),
      series: periods.map((period, i) => ({ period: period.name, adopters: suppressor.users(c.series[i]!), ...incompleteMark(period, now) })),
    };
  });
  if (features === 'all') result.sort(byAdoptersThenName);
  return suppressor.finish({ features: result });
}

function dayCount(ms: number | null): number | null {
  return ms === null ? null : ms / DAY_MS;
}

/**
 * Most adopters first, as PostHog orders breakdown values by volume;
 * suppressed counts (null, all below minGroupSize) after every reported
 * one, by name, so the order tells nothing the counts do not.
 */
function byAdoptersThenName(a: FeatureAdoption, b: FeatureAdoption): number {
  const difference = (b.adopters ?? -1) - (a.adopters ?? -1);
  if (difference !== 0) return difference;
  return a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0;
}
