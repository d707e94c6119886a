import { SpecError } from '../errors.ts';
import { optionalEnum, optionalString, rejectUnknownFields, type SpecObject } from '../query/fields.ts';
import { COMMON_FIELDS, eventCondition, eventSource, EVERY_EVENT, inPeriods, periodsParam, type QueryContext } from '../query/context.ts';
import { RANGE_FIELDS, resolveRange, type PeriodRangeFields, type QueryRange } from '../query/range.ts';
import { Suppressor, ratio } from '../privacy/suppress.ts';
import type { SqlParams } from '../sql/executor.ts';
import { incompleteMark, INTERVALS, periodsEnding, type Calendar, type Interval, type Period } from '../time/periods.ts';

export type TrendMath = 'events' | 'users' | 'wau' | 'mau' | 'stickiness_ratio';
export const TREND_MATHS: readonly TrendMath[] = ['events', 'users', 'wau', 'mau', 'stickiness_ratio'];

/** `{ kind: 'trend' }`: a value per period (METRICS.md section 4). */
export interface TrendQuery extends PeriodRangeFields {
  kind: 'trend';
  /** Only events of this name; default any event. */
  event?: string;
  /** Default `events`. `wau`, `mau` and `stickiness_ratio` need interval `day`. */
  math?: TrendMath;
  /** Default `day`. */
  interval?: Interval;
  /** Split each series by this property's value: the 10 most frequent values, the rest as `other`, missing as `(none)`. */
  breakdown?: string;
}

export interface TrendPoint {
  period: string;
  /** Null when suppressed (a distinct-user count below minGroupSize) or, for stickiness_ratio, when mau is 0. */
  value: number | null;
  /**
   * Present when `value` is null because a count was suppressed (METRICS.md section 15), so that a reader can
   * tell a hidden small group from a DAU / MAU of 0 / 0, which is null with nothing hidden.
   */
  suppressed?: true;
  /** Present when the period has not ended at the query's `now` (METRICS.md section 2): its value may still grow. */
  incomplete?: true;
}

export interface TrendResult {
  series: { label: string; points: TrendPoint[] }[];
  suppressed?: true;
}

/** Trailing window length in days of each math that has one. */
const WINDOW_DAYS: Partial<Record<TrendMath, number>> = { wau: 7, mau: 30, stickiness_ratio: 30 };
const BREAKDOWN_LIMIT = 10;
export const OTHER_LABEL = 'other';
export const NONE_LABEL = '(none)';

const FIELDS = [...COMMON_FIELDS, ...RANGE_FIELDS, 'event', 'math', 'interval', 'breakdown'];

/**
 * The query's periods preceded by the days a trailing window reaches back
 * into; those extra days are read from the whole store, not only the range.
 */
function periodsWithLeadIn(periods: Period[], windowDays: number, calendar: Calendar): Period[] {
  if (windowDays <= 1) return periods;
  return [...periodsEnding(periods[0]!.start - 1, windowDays - 1, 'day', calendar), ...periods];
}

/** A trend spec, checked, with its periods resolved: what every engine's trend query runs. */
export interface TrendPlan {
  math: TrendMath;
  interval: Interval;
  /** The trailing window in days (wau 7, mau and stickiness_ratio 30), 1 for the other maths. */
  windowDays: number;
  event: string | undefined;
  breakdown: string | undefined;
  range: QueryRange;
  /** The range's periods preceded by the `lead` days a trailing window reaches back into. */
  allPeriods: Period[];
  lead: number;
}

/** Checks a trend spec and resolves its periods in `calendar` at `now`; throws a SpecError naming the field. */
export function readTrendSpec(spec: SpecObject, calendar: Calendar, now: number): TrendPlan {
  rejectUnknownFields(spec, FIELDS);
  const math = optionalEnum(spec, 'math', TREND_MATHS) ?? 'events';
  const interval = optionalEnum(spec, 'interval', INTERVALS) ?? 'day';
  const windowDays = WINDOW_DAYS[math] ?? 1;
  if (windowDays > 1 && interval !== 'day') throw new SpecError('interval', `math '${math}' is computed per day; use interval 'day'`);
  const event = optionalString(spec, 'event');
  const breakdown = optionalString(spec, 'breakdown');
  const range = resolveRange(spec, calendar, now, interval);
  const allPeriods = periodsWithLeadIn(range.periods, windowDays, calendar);
  return { math, interval, windowDays, event, breakdown, range, allPeriods, lead: allPeriods.length - range.periods.length };
}

/**
 * The result from per-label counts over `allPeriods`: `values` (events, or
 * distinct users) and `windows` (distinct users in each day's trailing
 * window), suppressed per METRICS.md section 15. `labels` in series order.
 */
export function trendResult(plan: TrendPlan, labels: readonly string[], values: Map<string, number[]>, windows: Map<string, number[]>, now: number, minGroupSize: number): TrendResult {
  const { math, lead, range } = plan;
  const suppressor = new Suppressor(minGroupSize);
  const countOf = (label: string, i: number): number | null => {
    const count = values.get(label)?.[lead + i] ?? 0;
    const window = windows.get(label)?.[lead + i] ?? 0;
    switch (math) {
      case 'events':
        return count;
      case 'users':
        return suppressor.users(count);
      case 'wau':
      case 'mau':
        return suppressor.users(window);
      case 'stickiness_ratio':
        return ratio(suppressor.users(count), suppressor.users(window));
    }
  };
  const valueOf = (label: string, i: number): Pick<TrendPoint, 'value' | 'suppressed'> => {
    const hiddenBefore = suppressor.hidden;
    const value = countOf(label, i);
    return value === null && suppressor.hidden > hiddenBefore ? { value, suppressed: true } : { value };
  };
  return suppressor.finish({
    series: labels.map((label) => ({
      label,
      points: range.periods.map((period, i) => ({ period: period.name, ...valueOf(label, i), ...incompleteMark(period, now) })),
    })),
  });
}

export function trendQuery(spec: SpecObject, ctx: QueryContext): TrendResult {
  const plan = readTrendSpec(spec, ctx.calendar, ctx.now);
  const { math, interval, windowDays, event, breakdown, range, allPeriods } = plan;

  const params: SqlParams = { $periods: periodsParam(allPeriods, range.to), $lead: plan.lead };
  // A breakdown reads each event's properties: only the events have them.
  const source = breakdown === undefined ? eventSource(ctx, interval, allPeriods, range.to, event !== undefined) : EVERY_EVENT;
  const matched = `matched AS MATERIALIZED (
  SELECT p.idx AS idx, e.user_id AS u, ${breakdown === undefined ? 'NULL' : ctx.dialect.propertyText('e.properties', breakdown, params, '$path')} AS value, ${source.count} AS n
  FROM ${inPeriods(ctx.dialect.periodsTable('$periods'), source)}
  WHERE ${eventCondition(event, params)}
)`;

  let labels = ['all'];
  let labelSql = "'all'";
  if (breakdown !== undefined) {
    // Rank values by how many matching events carry them (PostHog orders breakdown values by volume),
    // counting the days a trailing window reads before the range too, so no user in a window loses their series.
    const ranked = ctx.sql.rows(
      `WITH ${matched} SELECT COALESCE(value, $none) AS label, SUM(n) AS n FROM matched GROUP BY label ORDER BY n DESC, label LIMIT ${BREAKDOWN_LIMIT + 1}`,
      { ...params, $none: NONE_LABEL },
    );
    const top = ranked.slice(0, BREAKDOWN_LIMIT).map((row) => String(row[0]));
    labels = ranked.length > BREAKDOWN_LIMIT ? [...top, OTHER_LABEL] : top;
    params.$top = JSON.stringify(top);
    params.$none = NONE_LABEL;
    params.$other = OTHER_LABEL;
    labelSql = `CASE WHEN COALESCE(value, $none) IN ${ctx.dialect.valuesTable('$top')} THEN COALESCE(value, $none) ELSE $other END`;
  }
  const labelled = `labelled AS (SELECT idx, u, n, ${labelSql} AS label FROM matched)`;

  const ctes = [matched, labelled];
  // Per label and period of allPeriods: the value, and the change of the window count there.
  const values = new Map<string, number[]>();
  const deltas = new Map<string, number[]>();
  const cell = (map: Map<string, number[]>, label: string): number[] => {
    let cells = map.get(label);
    if (!cells) map.set(label, (cells = new Array<number>(allPeriods.length + windowDays).fill(0)));
    return cells;
  };
  const sql = `WITH ${ctes.join(',\n')}\n`;
  if (math === 'events' || math === 'users') {
    const aggregate = math === 'events' ? 'SUM(n)' : 'COUNT(DISTINCT u)';
    for (const [idx, label, value] of ctx.sql.rows(`${sql}SELECT idx, label, ${aggregate} FROM labelled GROUP BY idx, label`, params)) {
      cell(values, String(label))[Number(idx)]! += Number(value);
    }
  } else {
    // A user is in day D's trailing window when active on a day a with D - window < a <= D. Each active day
    // covers the days [a, a + window), cut at the user's next active day so the spans do not overlap; a window
    // count is then the running sum of +1 where spans start and -1 where they stop, instead of joining every
    // day to every active day of its window. The spans are laid out here, user by user, from the distinct
    // active days (in SQL they cost two more sorts of them).
    /** Per label, each user's active days. */
    const activeDays = new Map<string, Map<number, number[]>>();
    for (const [idx, label, u] of ctx.sql.rows(`${sql}SELECT DISTINCT idx, label, u FROM labelled`, params)) {
      const day = Number(idx);
      cell(values, String(label))[day]!++;
      let users = activeDays.get(String(label));
      if (!users) activeDays.set(String(label), (users = new Map()));
      const days = users.get(Number(u));
      if (days) days.push(day);
      else users.set(Number(u), [day]);
    }
    for (const [label, users] of activeDays) {
      const changes = cell(deltas, label);
      for (const days of users.values()) {
        days.sort((a, b) => a - b);
        days.forEach((day, i) => {
          changes[day]!++;
          changes[Math.min(day + windowDays, days[i + 1] ?? Infinity)]!--;
        });
      }
    }
  }
  const windows = new Map<string, number[]>();
  for (const [label, changes] of deltas) {
    let running = 0;
    windows.set(label, changes.map((change) => (running += change)));
  }
  return trendResult(plan, labels, values, windows, ctx.now, ctx.minGroupSize);
}
