import { optionalEnum, optionalInteger, optionalString, rejectUnknownFields, type SpecObject } from '../query/fields.ts';
import { COMMON_FIELDS, eventCondition, eventSource, EVERY_EVENT, inPeriods, periodsParam, type EventSource, type QueryContext } from '../query/context.ts';
import { RANGE_FIELDS, resolveRange, type PeriodRangeFields, type QueryRange } from '../query/range.ts';
import { Suppressor, ratio } from '../privacy/suppress.ts';
import type { SqlParams, SqlValue } from '../sql/executor.ts';
import { INTERVALS, type Calendar, type Interval } from '../time/periods.ts';

/*
 * Retention, METRICS.md section 6. Where the section is silent we read it as follows:
 * - The default interval is `day`, as PostHog's retention query runner (DEFAULT_INTERVAL); the default range is
 *   section 2's (30 days ending today), not PostHog's count of intervals.
 * - Rolling windows: "nothing after `to` counts" (section 2) joins "windows that end after the query's last period
 *   are not counted", so a window ending after `to` is not counted either, even for a return before `to`.
 * - minimumOccurrences with rolling windows counts the return events of each window (the window is the member's
 *   period k); PostHog, which counts per calendar interval, has no rolling basis to follow.
 * - average: cohort i's period k has ended when its whole calendar period (not cut at `to`) ends by `now`; for
 *   rolling, when the window k of its latest member (the latest t0) has. Qualifying cohorts whose sizes add up
 *   to 0 give null, as no cohort does. A suppressed size or cell among the qualifying cohorts makes it null.
 * - incompleteFrom (section 2, "the first value whose period has not ended"): the first k whose period has not
 *   ended in the reading of `average` above, so `average[k]` takes exactly the cohorts whose values[k] is
 *   complete. For rolling cohorts that is the latest member's window k, not cohort i's own calendar period.
 * - values[0] is the size whatever the member did afterwards, as in PostHog (its interval 0 is every member).
 */

export type RetentionCohort = 'recurring' | 'first_time';
export type RetentionCriterion = 'on' | 'on_or_after';
export type RetentionBasis = 'calendar' | 'rolling';
export const RETENTION_COHORTS: readonly RetentionCohort[] = ['recurring', 'first_time'];
export const RETENTION_CRITERIA: readonly RetentionCriterion[] = ['on', 'on_or_after'];
export const RETENTION_BASES: readonly RetentionBasis[] = ['calendar', 'rolling'];

/** `{ kind: 'retention' }`: cohorts of users and how many of them came back (METRICS.md section 6). */
export interface RetentionQuery extends PeriodRangeFields {
  kind: 'retention';
  /** The event that puts a user in a cohort; default any event. */
  startEvent?: string;
  /** The event that counts as coming back; default any event. */
  returnEvent?: string;
  /** Cohort period; default `day` (PostHog's retention default). */
  interval?: Interval;
  /**
   * `recurring` (default): a user is in the cohort of every period holding a start event of theirs.
   * `first_time`: only in the cohort of their first start event ever (the whole store is read for "ever").
   */
  cohort?: RetentionCohort;
  /** `on` (default): came back in period k itself. `on_or_after`: in period k or any later period of the query. */
  criterion?: RetentionCriterion;
  /**
   * `calendar` (default): period k is the calendar period k after the cohort's.
   * `rolling`: period k of a member is `[t0 + k*P, t0 + (k+1)*P)` after t0, their first start event in the
   * cohort's period, with P = 1 h, 24 h, 7 d or 30 d; windows ending after the query's last period (or `to`) do not count.
   */
  basis?: RetentionBasis;
  /** A return counts only in a period (or window) where the user did the return event at least this often; default 1. */
  minimumOccurrences?: number;
}

/** One cohort: the users who did the start event in one period of the query. */
export interface RetentionCohortRow {
  /** The cohort's period name (METRICS.md section 2). */
  start: string;
  /** Distinct users in the cohort; null when suppressed. */
  size: number | null;
  /**
   * `values[0]` = size; `values[k]` = members who came back in period k. The cohort of period i of N
   * has N - i values. Each is a distinct-user count, null when suppressed.
   */
  values: (number | null)[];
  /**
   * The index of the first value whose period has not ended at the query's `now` (METRICS.md section 2), so
   * that value and those after it may still grow; absent when every value's period has ended. Calendar: query
   * period i + k; rolling: window k of the cohort's latest member (the reading of `average`).
   */
  incompleteFrom?: number;
}

export interface RetentionResult {
  /** One row per period of the query, oldest first. */
  cohorts: RetentionCohortRow[];
  /**
   * By k = 0..N-1: the sum of `values[k]` over the cohorts whose period k has ended by the time the query
   * runs (rolling: the window k of every member), divided by the sum of their sizes. Null where no cohort
   * qualifies, where their sizes add up to 0, or where any count it is made of is suppressed.
   */
  average: (number | null)[];
  suppressed?: true;
}

/** The length of a rolling period: an hour, 24 hours, 7 days, and 30 days for a month (METRICS.md section 6). */
const ROLLING_MS: Record<Interval, number> = { hour: 3_600_000, day: 86_400_000, week: 604_800_000, month: 2_592_000_000 };

const FIELDS = [...COMMON_FIELDS, ...RANGE_FIELDS, 'startEvent', 'returnEvent', 'interval', 'cohort', 'criterion', 'basis', 'minimumOccurrences'];

/** SQL conditions on the events alias `e` for the start and the return event. */
interface EventConditions {
  start: string;
  back: string;
}

/**
 * The CTEs up to `members(idx, u, t0)`: one row per cohort and member, t0 = the member's first start event in
 * the cohort's period (read from `source`: from the daily counts, the start of its day, which calendar
 * retention only needs to be there). For calendar retention, `per_period` also counts each user's return events per period,
 * so one scan of the range serves both the cohorts and the returns.
 */
function cohortSql(cohort: RetentionCohort, basis: RetentionBasis, { start, back }: EventConditions, source: EventSource): string[] {
  const ctes: string[] = [];
  const wanted = [cohort === 'recurring' ? start : null, basis === 'calendar' ? back : null].filter((c) => c !== null);
  if (wanted.length > 0) {
    ctes.push(`per_period AS MATERIALIZED (
  SELECT p.idx AS idx, e.user_id AS u, MIN(CASE WHEN ${start} THEN e.${source.time} END) AS t0, SUM(CASE WHEN ${back} THEN ${source.count} ELSE 0 END) AS returns
  FROM ${inPeriods('periods', source)}
  WHERE ${wanted.map((c) => `(${c})`).join(' OR ')}
  GROUP BY p.idx, e.user_id
)`);
  }
  ctes.push(
    cohort === 'recurring'
      ? 'members AS (SELECT idx, u, t0 FROM per_period WHERE t0 IS NOT NULL)'
      : // The first start event ever reads the whole store; a user whose first one is outside the periods is in no cohort.
        // `firsts` is MATERIALIZED: as a subquery, SQLite re-ran it for every period it was joined with.
        `firsts AS MATERIALIZED (SELECT e.user_id AS u, MIN(e.ts) AS t0 FROM events AS e WHERE ${start} GROUP BY e.user_id),
members AS MATERIALIZED (SELECT p.idx AS idx, f.u AS u, f.t0 AS t0 FROM firsts AS f JOIN periods AS p ON f.t0 >= p.start_ms AND f.t0 < p.end_ms)`,
  );
  return ctes;
}

/** The CTE `hits(idx, u, k)` of rolling retention: member u of cohort idx came back in its window k >= 1, with at least $minimum return events there. */
function rollingHitsSql(minimumOccurrences: number, { back }: EventConditions): string {
  // Rolling windows: k = (ts - t0) / P for the return events at least P after t0, in windows ending by $bound.
  // sql.js binds numbers beyond 32 bits ($origin, a 30-day $window) as doubles: cast them so `/` divides integers.
  //
  // Joining every member with every later return event of its user is the costly part (2.3 M rows for 90 daily
  // cohorts of the 200,000-event sample), so the return events are thinned first, exactly: cut time into spans
  // of length P from $origin; a window of length P covers a suffix of one span and a prefix of the next, and
  // keeping the first m and the last m return events of each (user, span) keeps min(n, m) of the n events of
  // any suffix or prefix, so a window holds m kept events exactly when it holds m events. For m = 1 that is
  // MIN and MAX per span, which costs a quarter of the ROW_NUMBER pass m > 1 needs (0.3 s against 1.2 s on the
  // sample, 12 weekly cohorts).
  //
  // 30-day windows are shorter than the average month, so past about 68 monthly periods a window numbered
  // beyond the cohort's row can still end inside the query: `on` never reads it, `on_or_after` counts it in
  // the row's cells, as a return before the query's end.
  const span = '(e.ts - CAST($origin AS INTEGER)) / CAST($window AS INTEGER)';
  const inRange = `(${back}) AND e.ts >= $origin AND e.ts < $bound`;
  const kept =
    minimumOccurrences === 1
      ? `spans AS MATERIALIZED (
  SELECT e.user_id AS u, MIN(e.ts) AS first_ts, MAX(e.ts) AS last_ts FROM events AS e WHERE ${inRange} GROUP BY e.user_id, ${span}
),
kept AS MATERIALIZED (SELECT u, first_ts AS ts FROM spans UNION ALL SELECT u, last_ts FROM spans WHERE last_ts > first_ts)`
      : `kept AS MATERIALIZED (
  SELECT u, ts FROM (
    SELECT e.user_id AS u, e.ts AS ts, ROW_NUMBER() OVER span AS rank,
      COUNT(*) OVER (span ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS total
    FROM events AS e
    WHERE ${inRange}
    WINDOW span AS (PARTITION BY e.user_id, ${span} ORDER BY e.ts, e.seq)
  )
  WHERE rank <= $minimum OR rank > total - $minimum
)`;
  return `${kept},
hits AS MATERIALIZED (
  SELECT m.idx AS idx, m.u AS u, (r.ts - m.t0) / CAST($window AS INTEGER) AS k
  FROM members AS m JOIN kept AS r ON r.u = m.u AND r.ts >= m.t0 + CAST($window AS INTEGER)
  GROUP BY m.idx, m.u, m.t0, k
  HAVING COUNT(*) >= $minimum AND m.t0 + (k + 1) * CAST($window AS INTEGER) <= $bound
)`;
}

/**
 * Rows `(1, idx, k, users)` of rolling retention's cells k >= 1 (from `hits`), with the CTEs they need. A member
 * counts in cell k when it came back in window k (`on`), or in k or a later window (`on_or_after`: every k up to
 * its furthest return, its reach).
 */
function cellsSql(criterion: RetentionCriterion): { ctes: string[]; select: string } {
  if (criterion === 'on') return { ctes: [], select: 'SELECT 1, idx, k, COUNT(*), NULL FROM hits GROUP BY idx, k' };
  // Members are counted per (cohort, reach) before the expansion to cells, so it handles a few thousand rows, not
  // one per member. MATERIALIZED: as a subquery, SQLite re-ran it for every period it was joined with (20 s on 90 days).
  return {
    ctes: ['reached AS MATERIALIZED (SELECT idx, reach, COUNT(*) AS users FROM (SELECT idx, MAX(k) AS reach FROM hits GROUP BY idx, u) GROUP BY idx, reach)'],
    select: `SELECT 1, r.idx, later.idx, SUM(r.users), NULL
FROM reached AS r JOIN periods AS later ON later.idx >= 1 AND later.idx <= r.reach
GROUP BY r.idx, later.idx`,
  };
}

/** Cohort sizes and, per cohort, the members counted in each cell k >= 1. */
export interface Cells {
  sizes: number[];
  counts: Map<number, number>[];
}

/**
 * Calendar retention's cells, from rows `(0, idx, u)` (u is a member of
 * cohort idx) and `(1, idx, u)` (u came back in period idx, with at least
 * the minimum of return events there). A member of cohort i counts in cell
 * k when it came back in period i + k (`on`), or in k or a later period
 * (`on_or_after`: every k up to its furthest return). Paired here, user by
 * user: in SQL the pairs of a user's periods (1,355,686 for 90 daily cohorts
 * of the 1M-event sample) went through a join and a sort.
 */
function calendarCells(rows: readonly SqlValue[][], periodCount: number, criterion: RetentionCriterion): Cells {
  const sizes = new Array<number>(periodCount).fill(0);
  const counts = sizes.map(() => new Map<number, number>());
  const byUser = new Map<number, { member: number[]; back: number[] }>();
  for (const [type, idx, u] of rows) {
    let user = byUser.get(Number(u));
    if (!user) byUser.set(Number(u), (user = { member: [], back: [] }));
    (type === 0 ? user.member : user.back).push(Number(idx));
  }
  const add = (i: number, k: number): void => {
    counts[i]!.set(k, (counts[i]!.get(k) ?? 0) + 1);
  };
  for (const { member, back } of byUser.values()) {
    const furthest = back.length === 0 ? -1 : Math.max(...back);
    for (const i of member) {
      sizes[i]!++;
      if (criterion === 'on') {
        for (const j of back) if (j > i) add(i, j - i);
      } else if (furthest > i) add(i, furthest - i);
    }
  }
  if (criterion === 'on_or_after') {
    // Reaches counted above; a member reaching k counts in every cell 1..k.
    for (const cohort of counts) {
      const reaches = [...cohort].sort(([a], [b]) => b - a);
      cohort.clear();
      let reached = 0;
      for (let r = 0; r < reaches.length; r++) {
        const [k, n] = reaches[r]!;
        reached += n;
        const next = reaches[r + 1]?.[0] ?? 0;
        for (let cell = k; cell > next; cell--) cohort.set(cell, reached);
      }
    }
  }
  return { sizes, counts };
}

/** A retention spec, checked, with its periods resolved: what every engine's retention query runs. */
export interface RetentionPlan {
  startEvent: string | undefined;
  returnEvent: string | undefined;
  interval: Interval;
  cohort: RetentionCohort;
  criterion: RetentionCriterion;
  basis: RetentionBasis;
  minimumOccurrences: number;
  range: QueryRange;
  /** Nothing at or after it counts: the end of the last period, or just after `to` when that comes first. */
  bound: number;
  /** The length of a rolling period in ms. */
  window: number;
}

/** Checks a retention spec and resolves its periods in `calendar` at `now`; throws a SpecError naming the field. */
export function readRetentionSpec(spec: SpecObject, calendar: Calendar, now: number): RetentionPlan {
  rejectUnknownFields(spec, FIELDS);
  const startEvent = optionalString(spec, 'startEvent');
  const returnEvent = optionalString(spec, 'returnEvent');
  // METRICS.md names no default interval; PostHog's retention query runner defaults to `day` (DEFAULT_INTERVAL).
  const interval = optionalEnum(spec, 'interval', INTERVALS) ?? 'day';
  const cohort = optionalEnum(spec, 'cohort', RETENTION_COHORTS) ?? 'recurring';
  const criterion = optionalEnum(spec, 'criterion', RETENTION_CRITERIA) ?? 'on';
  const basis = optionalEnum(spec, 'basis', RETENTION_BASES) ?? 'calendar';
  const minimumOccurrences = optionalInteger(spec, 'minimumOccurrences', 1, 1_000_000) ?? 1;
  const range = resolveRange(spec, calendar, now, interval);
  const bound = Math.min(range.periods[range.periods.length - 1]!.end, range.to + 1);
  return { startEvent, returnEvent, interval, cohort, criterion, basis, minimumOccurrences, range, bound, window: ROLLING_MS[interval] };
}

export function retentionQuery(spec: SpecObject, ctx: QueryContext): RetentionResult {
  const plan = readRetentionSpec(spec, ctx.calendar, ctx.now);
  const { startEvent, returnEvent, interval, cohort, criterion, basis, minimumOccurrences, range, bound, window } = plan;
  const periods = range.periods;

  const params: SqlParams = { $periods: periodsParam(periods, range.to), $minimum: minimumOccurrences };
  const events = { start: eventCondition(startEvent, params, '$startEvent'), back: eventCondition(returnEvent, params, '$returnEvent') };
  if (basis === 'rolling') Object.assign(params, { $window: window, $bound: bound, $origin: periods[0]!.start });
  // Calendar retention asks only who did what in which period: the daily counts answer it. Rolling windows
  // start at each member's first start event, to the millisecond.
  const source = basis === 'calendar' ? eventSource(ctx, interval, periods, range.to, startEvent !== undefined || returnEvent !== undefined) : EVERY_EVENT;
  const ctes = [`periods AS MATERIALIZED ${ctx.dialect.periodsTable('$periods')}`, ...cohortSql(cohort, basis, events, source)];
  let cells: Cells;
  const latestStart = new Array<number | null>(periods.length).fill(null);
  if (basis === 'calendar') {
    const rows = ctx.sql.rows(
      `WITH ${ctes.join(',\n')}
SELECT 0, idx, u FROM members
UNION ALL SELECT 1, idx, u FROM per_period WHERE returns >= $minimum`,
      params,
    );
    cells = calendarCells(rows, periods.length, criterion);
  } else {
    const select = cellsSql(criterion);
    ctes.push(rollingHitsSql(minimumOccurrences, events), ...select.ctes);
    const rows = ctx.sql.rows(
      `WITH ${ctes.join(',\n')}
SELECT 0, idx, 0, COUNT(*), MAX(t0) FROM members GROUP BY idx
UNION ALL ${select.select}`,
      params,
    );
    cells = { sizes: new Array<number>(periods.length).fill(0), counts: periods.map(() => new Map<number, number>()) };
    for (const [type, idx, k, n, latest] of rows as [number, number, number, number, number | null][]) {
      if (type === 0) {
        cells.sizes[idx] = n;
        latestStart[idx] = latest;
      } else cells.counts[idx]!.set(k, n);
    }
  }
  return retentionResult(plan, cells, latestStart, ctx.now, ctx.minGroupSize);
}

/**
 * The result from the cohort sizes, the members counted in each cell k >= 1
 * and, for rolling cohorts, each cohort's latest member's first start event
 * (null for calendar cohorts): incompleteness, averages and suppression.
 */
export function retentionResult(plan: RetentionPlan, cells: Cells, latestStart: readonly (number | null)[], now: number, minGroupSize: number): RetentionResult {
  const { sizes, counts } = cells;
  const { basis, window } = plan;
  const periods = plan.range.periods;
  const last = periods.length - 1;

  /**
   * Whether cohort i's period k has ended by the time the query runs. Calendar: query period i + k has ended.
   * Rolling: every member's window k has ended, i.e. the one of the latest t0 (a cohort without members
   * adds nothing to either sum, so its answer does not matter to the average; its values are all 0 and
   * take the calendar reading).
   */
  const ended = (i: number, k: number): boolean => {
    const latest = latestStart[i];
    if (basis === 'rolling' && latest !== null && latest !== undefined) return latest + (k + 1) * window <= now;
    return periods[i + k]!.end <= now;
  };

  const suppressor = new Suppressor(minGroupSize);
  const cohorts = periods.map((period, i): RetentionCohortRow => {
    const size = suppressor.users(sizes[i]!);
    const values = [size];
    for (let k = 1; k <= last - i; k++) values.push(suppressor.users(counts[i]!.get(k) ?? 0));
    const incompleteFrom = values.findIndex((_, k) => !ended(i, k));
    return incompleteFrom === -1 ? { start: period.name, size, values } : { start: period.name, size, values, incompleteFrom };
  });
  const average = periods.map((_, k) => {
    let returned: number | null = 0;
    let members: number | null = 0;
    for (let i = 0; i + k <= last; i++) {
      if (!ended(i, k)) continue;
      const row = cohorts[i]!;
      const value = row.values[k] ?? null;
      // A suppressed count anywhere in the sums makes the average derived from it null (METRICS.md section 15).
      returned = returned === null || value === null ? null : returned + value;
      members = members === null || row.size === null ? null : members + row.size;
    }
    return ratio(returned, members);
  });
  return suppressor.finish({ cohorts, average });
}
