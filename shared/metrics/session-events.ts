import { SpecError } from '../errors.ts';
import { optionalBoolean, optionalEnum, optionalInteger, type SpecObject } from '../query/fields.ts';
import { periodsParam, type QueryContext } from '../query/context.ts';
import type { SqlParams } from '../sql/executor.ts';
import { periodsBetween } from '../time/periods.ts';

/** How events are grouped into sessions (METRICS.md section 3). */
export interface SessionOptions {
  /** Inactivity, in minutes, after which the next event starts a new session; default 30. */
  gapMinutes?: number;
  /** Longest session, in minutes; an event that would make it longer starts a new one; default 1440. */
  maxMinutes?: number;
  /** Start a new session when the local date changes; default false. */
  splitAtMidnight?: boolean;
  /**
   * `auto` (default): events with a `session_id` are grouped by it, the
   * others by the rules above; `property`: only `session_id` (events without
   * one belong to no session); `gap`: the rules above, ignoring `session_id`.
   */
  sessionSource?: 'auto' | 'property' | 'gap';
}

export const SESSION_FIELDS = ['gapMinutes', 'maxMinutes', 'splitAtMidnight', 'sessionSource'] as const;

export function readSessionOptions(spec: SpecObject): Required<SessionOptions> {
  const options = {
    gapMinutes: optionalInteger(spec, 'gapMinutes', 1, 10_080) ?? 30,
    maxMinutes: optionalInteger(spec, 'maxMinutes', 1, 525_600) ?? 1440,
    splitAtMidnight: optionalBoolean(spec, 'splitAtMidnight') ?? false,
    sessionSource: optionalEnum(spec, 'sessionSource', ['auto', 'property', 'gap'] as const) ?? 'auto',
  };
  if (options.maxMinutes < options.gapMinutes) throw new SpecError('maxMinutes', 'must not be shorter than gapMinutes');
  return options;
}

/**
 * What names a session among one user's sessions: a positive number for
 * sessions built by the gap rules (at least SPLIT_SLOTS, since gap numbers
 * start at 1), and minus the `session_id` dictionary id (schema.ts) for
 * those grouped by it, so the two never meet. Naming property sessions by
 * their id, not by a rank, spares a sort of every event.
 */
export type SessionKey = number;

/** Gap sessions are numbered `gap * SPLIT_SLOTS + split`, leaving room for the 24-hour cap's splits. */
const SPLIT_SLOTS = 65_536;

/**
 * CTEs (without the leading WITH) ending in
 * `session_events(seq, u, ts, name_id, sk)`: every event of `[from, to]`
 * that belongs to a session, with `(u, sk)` naming its session (`sk` a
 * `SessionKey`).
 *
 * The gap and midnight rules mark session starts with window functions.
 * The length cap depends on where the current session started, which a
 * window function cannot see, so a recursive walk applies it, only over the
 * rare sessions that the other rules left longer than the cap.
 */
export function sessionEventsSql(
  ctx: QueryContext,
  options: Required<SessionOptions>,
  from: number,
  to: number,
  params: SqlParams,
): string {
  params.$sessFrom = from;
  params.$sessTo = to;
  params.$gapMs = options.gapMinutes * 60_000;
  params.$capMs = options.maxMinutes * 60_000;
  const byGap = options.sessionSource === 'gap' ? 'true' : options.sessionSource === 'auto' ? 'sid IS NULL' : 'false';
  const byProperty = options.sessionSource === 'gap' ? 'false' : 'sid IS NOT NULL';
  let dayColumn = 'NULL';
  let dayJoin = '';
  if (options.splitAtMidnight) {
    const days = periodsBetween(from, to, 'day', ctx.calendar) ?? [];
    params.$sessDays = periodsParam(days, to);
    dayJoin = `JOIN ${ctx.dialect.periodsTable('$sessDays')} AS d ON e.ts >= d.start_ms AND e.ts < d.end_ms`;
    dayColumn = 'd.idx';
  }
  const midnight = options.splitAtMidnight ? ' OR day <> LAG(day) OVER w' : '';
  return `
range_events AS (
  SELECT e.seq AS seq, e.user_id AS u, e.ts AS ts, e.name_id AS name_id, e.session_id AS sid, ${dayColumn} AS day
  FROM events AS e ${dayJoin}
  WHERE e.ts >= $sessFrom AND e.ts <= $sessTo
),
gap_marks AS (
  SELECT seq, u, ts, name_id,
         CASE WHEN LAG(ts) OVER w IS NULL OR ts - LAG(ts) OVER w > $gapMs${midnight} THEN 1 ELSE 0 END AS starts
  FROM range_events WHERE ${byGap}
  WINDOW w AS (PARTITION BY u ORDER BY ts, seq)
),
gap_numbered AS MATERIALIZED (
  SELECT seq, u, ts, name_id, SUM(starts) OVER (PARTITION BY u ORDER BY ts, seq ROWS UNBOUNDED PRECEDING) AS gs
  FROM gap_marks
),
long_gaps AS (
  SELECT u, gs FROM gap_numbered GROUP BY u, gs HAVING MAX(ts) - MIN(ts) > $capMs
),
long_events AS MATERIALIZED (
  SELECT n.seq, n.u, n.gs, n.ts, ROW_NUMBER() OVER (PARTITION BY n.u, n.gs ORDER BY n.ts, n.seq) AS rn
  FROM gap_numbered AS n JOIN long_gaps AS l ON l.u = n.u AND l.gs = n.gs
),
cap_walk (seq, u, gs, rn, started, split) AS (
  SELECT seq, u, gs, rn, ts, 0 FROM long_events WHERE rn = 1
  UNION ALL
  SELECT x.seq, x.u, x.gs, x.rn,
         CASE WHEN x.ts - w.started > $capMs THEN x.ts ELSE w.started END,
         CASE WHEN x.ts - w.started > $capMs THEN w.split + 1 ELSE w.split END
  FROM cap_walk AS w JOIN long_events AS x ON x.u = w.u AND x.gs = w.gs AND x.rn = w.rn + 1
),
session_events AS (
  SELECT n.seq AS seq, n.u AS u, n.ts AS ts, n.name_id AS name_id, n.gs * ${SPLIT_SLOTS} + COALESCE(c.split, 0) AS sk
  FROM gap_numbered AS n LEFT JOIN cap_walk AS c ON c.seq = n.seq
  UNION ALL
  SELECT seq, u, ts, name_id, -sid AS sk
  FROM range_events WHERE ${byProperty}
)`;
}
