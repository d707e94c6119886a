import { optionalEnum, optionalString, rejectUnknownFields, type SpecObject } from '../query/fields.ts';
import { COMMON_FIELDS, eventCondition, eventSource, inPeriods, periodsParam, type QueryContext } from '../query/context.ts';
import { RANGE_FIELDS, resolveRange, type PeriodRangeFields, type QueryRange } from '../query/range.ts';
import { Suppressor } from '../privacy/suppress.ts';
import type { SqlParams } from '../sql/executor.ts';
import { incompleteMark, INTERVALS, periodsEnding, type Calendar, type Interval, type Period } from '../time/periods.ts';

/**
 * `{ kind: 'lifecycle' }`: where each period's active users come from, and
 * who stopped (METRICS.md section 7). "Active" in a period = did a matching
 * event in it.
 */
export interface LifecycleQuery extends PeriodRangeFields {
  kind: 'lifecycle';
  /** Only events of this name make a user active; default any event. "First event ever" always means any event name. */
  event?: string;
  /** Default `day`. */
  interval?: Interval;
}

/**
 * One period's users, each a distinct-user count (null when suppressed).
 * `new + returning + resurrecting` = the users active in this period;
 * `returning + dormant` = those active in the previous one (for the first
 * period, the period before the range, read from the store).
 */
export interface LifecyclePoint {
  period: string;
  /** Active, and their first event ever (any event name, whole store) is in this period. */
  new: number | null;
  /** Active, active in the previous period, not new. */
  returning: number | null;
  /** Active, not active in the previous period, not new. */
  resurrecting: number | null;
  /** Active in the previous period, not in this one. Non-negative here; widgets plot it below zero. */
  dormant: number | null;
  /** Present when the period has not ended at the query's `now` (METRICS.md section 2): its users may still change. */
  incomplete?: true;
}

export interface LifecycleResult {
  points: LifecyclePoint[];
  suppressed?: true;
}

type Status = 'new' | 'returning' | 'resurrecting' | 'dormant';

const FIELDS = [...COMMON_FIELDS, ...RANGE_FIELDS, 'event', 'interval'];

/** A lifecycle spec, checked, with its periods resolved: what every engine's lifecycle query runs. */
export interface LifecyclePlan {
  interval: Interval;
  event: string | undefined;
  range: QueryRange;
  /** The period before the range (index 0: who was active there decides the first period's statuses), then the range's periods. */
  allPeriods: Period[];
}

/** Checks a lifecycle spec and resolves its periods in `calendar` at `now`; throws a SpecError naming the field. */
export function readLifecycleSpec(spec: SpecObject, calendar: Calendar, now: number): LifecyclePlan {
  rejectUnknownFields(spec, FIELDS);
  const interval = optionalEnum(spec, 'interval', INTERVALS) ?? 'day';
  const event = optionalString(spec, 'event');
  const range = resolveRange(spec, calendar, now, interval);
  const before = periodsEnding(range.periods[0]!.start - 1, 1, interval, calendar);
  return { interval, event, range, allPeriods: [...before, ...range.periods] };
}

/** Counts of each status per period of the range. */
export type LifecycleCounts = Record<Status, number>[];

/** The result from the counts per period of the range, suppressed per METRICS.md section 15. */
export function lifecycleResult(periods: readonly Period[], counts: LifecycleCounts, now: number, minGroupSize: number): LifecycleResult {
  const suppressor = new Suppressor(minGroupSize);
  return suppressor.finish({
    points: periods.map((period, i) => {
      const c = counts[i]!;
      return {
        period: period.name,
        new: suppressor.users(c.new),
        returning: suppressor.users(c.returning),
        resurrecting: suppressor.users(c.resurrecting),
        dormant: suppressor.users(c.dormant),
        ...incompleteMark(period, now),
      };
    }),
  });
}

export function lifecycleQuery(spec: SpecObject, ctx: QueryContext): LifecycleResult {
  const { interval, event, range, allPeriods } = readLifecycleSpec(spec, ctx.calendar, ctx.now);
  const params: SqlParams = { $periods: periodsParam(allPeriods, range.to) };
  const source = eventSource(ctx, interval, allPeriods, range.to, event !== undefined);
  const active = ctx.sql.rows(
    `SELECT DISTINCT p.idx, e.user_id
FROM ${inPeriods(ctx.dialect.periodsTable('$periods'), source)}
WHERE ${eventCondition(event, params)}`,
    params,
  );
  // Statuses are given here, user by user, from the periods each was active in (in SQL, looking up the
  // previous and next period of every active user-period and grouping the statuses cost 0.3 s more on
  // 1M events).
  const periodsOf = new Map<number, Set<number>>();
  for (const [idx, u] of active) {
    const user = Number(u);
    let periods = periodsOf.get(user);
    if (!periods) periodsOf.set(user, (periods = new Set()));
    periods.add(Number(idx));
  }
  // A user active in the previous period has an earlier event, so is never new: the first event ever is looked
  // up only for the others. And a first event ever is never after the event that made the user active in
  // period p, so "first event ever in p" is "first event ever >= p's start".
  const maybeNew = [...periodsOf].filter(([, periods]) => [...periods].some((p) => p >= 1 && !periods.has(p - 1))).map(([user]) => user);
  const firstEver = new Map<number, number>();
  const firsts = ctx.sql.rows(
    `SELECT u.value, (SELECT MIN(f.ts) FROM events AS f WHERE f.user_id = u.value) FROM ${ctx.dialect.valuesTable('$users')} AS u`,
    { $users: JSON.stringify(maybeNew) },
  );
  for (const [user, first] of firsts) firstEver.set(Number(user), Number(first));

  const counts: LifecycleCounts = range.periods.map(() => ({ new: 0, returning: 0, resurrecting: 0, dormant: 0 }));
  const last = range.periods.length;
  for (const [user, periods] of periodsOf) {
    for (const p of periods) {
      if (p >= 1) {
        const status: Status = periods.has(p - 1) ? 'returning' : firstEver.get(user)! >= allPeriods[p]!.start ? 'new' : 'resurrecting';
        counts[p - 1]![status]++;
      }
      if (p < last && !periods.has(p + 1)) counts[p]!.dormant++;
    }
  }
  return lifecycleResult(range.periods, counts, ctx.now, ctx.minGroupSize);
}
