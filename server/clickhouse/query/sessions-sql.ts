import type { SessionOptions } from '../../../shared/sessions/session-options.ts';
import type { Calendar } from '../../../shared/time/periods.ts';
import type { Bindings } from './params.ts';

/**
 * Every session of the users active in `[from, to]` (METRICS.md section 3),
 * wherever it begins: `(u, sid, start, end, n)`, built from every event (of
 * `events`, the events the query sees) of those users, as the core's
 * SessionBuilder builds them. `sid` is the session's `session_id`, '' for
 * the sessions cut by the rules.
 *
 * - `session_id` sessions (`auto`, `property`): one per (user, session_id).
 * - The others (`auto`: events without a session_id; `gap`: every event)
 *   are first cut where the pairwise rules say so, with window functions
 *   (`lagInFrame`): a gap over `gapMinutes`, or with `splitAtMidnight` a new
 *   local date. The `maxMinutes` rule is not pairwise (a session's first
 *   event decides where it ends), so each piece's session starts come from
 *   `arrayFold` over its sorted times; a new session starts at a time
 *   strictly after the previous event, so the starts cut the piece exactly,
 *   and a user's sessions with sid '' never overlap in time.
 */
function allSessions(mine: string, options: Required<SessionOptions>, calendar: Calendar, bind: Bindings): string {
  const parts: string[] = [];
  if (options.sessionSource !== 'gap') {
    parts.push(`SELECT user_id AS u, session_id AS sid, min(ts) AS start, max(ts) AS end, count() AS n FROM ${mine} WHERE session_id != '' GROUP BY user_id, session_id`);
  }
  if (options.sessionSource !== 'property') {
    const day = options.splitAtMidnight ? `toDate(toDateTime(intDiv(ts, 1000), ${bind.bind(calendar.timezone, 'String')}))` : 'toDate(0)';
    const gap = bind.bind(options.gapMinutes * 60_000, 'Int64');
    const cap = bind.bind(options.maxMinutes * 60_000, 'Int64');
    const others = options.sessionSource === 'gap' ? '1' : "session_id = ''";
    const window = 'PARTITION BY user_id ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW';
    const pieces = `(SELECT user_id, ts, sum(toUInt64(first OR ts - prev_ts > ${gap} OR day != prev_day)) OVER (${window}) AS piece
  FROM (SELECT user_id, ts, day, row_number() OVER w = 1 AS first, lagInFrame(ts) OVER w AS prev_ts, lagInFrame(day) OVER w AS prev_day
    FROM (SELECT user_id, ts, ${day} AS day FROM ${mine} WHERE ${others}) WINDOW w AS (${window})))`;
    const starts = `arrayFold((acc, x) -> if(x - acc.2 > ${cap}, tuple(arrayPushBack(acc.1, x), x), acc), t, tuple([t[1]], t[1])).1`;
    parts.push(`SELECT u, '' AS sid, s.1 AS start, s.2 AS end, s.3 AS n FROM (
  SELECT u, t, ${starts} AS starts,
    arrayJoin(arrayMap(j -> (
      starts[j],
      arrayMax(arrayFilter(x -> x >= starts[j] AND (j = length(starts) OR x < starts[j + 1]), t)),
      toUInt64(arrayCount(x -> x >= starts[j] AND (j = length(starts) OR x < starts[j + 1]), t))
    ), arrayEnumerate(starts))) AS s
  FROM (SELECT user_id AS u, arraySort(groupArray(ts)) AS t FROM ${pieces} GROUP BY user_id, piece)
)`);
  }
  return `(${parts.join('\nUNION ALL\n')})`;
}

/** The events (of `events`) of the users active in `[from, to]`: every session of theirs is built from them. */
function activeUsersEvents(events: string, fromMs: string, toMs: string): string {
  return `(SELECT * FROM ${events} WHERE user_id IN (SELECT user_id FROM ${events} WHERE ts >= ${fromMs} AND ts <= ${toMs}))`;
}

/**
 * A derived table of the query's sessions (METRICS.md section 3): `(u,
 * start, end, n)`, the sessions whose first event lies in `[from, to]`, each
 * whole (see `allSessions`).
 */
export function sessionsTable(events: string, options: Required<SessionOptions>, calendar: Calendar, from: number, to: number, bind: Bindings): string {
  const fromMs = bind.bind(from, 'Int64');
  const toMs = bind.bind(to, 'Int64');
  const sessions = allSessions(activeUsersEvents(events, fromMs, toMs), options, calendar, bind);
  return `(SELECT u, start, end, n FROM ${sessions} WHERE start >= ${fromMs} AND start <= ${toMs})`;
}

/**
 * A derived table of the events of the query's sessions (those whose first
 * event lies in `[from, to]`, each whole, events after `to` included): every
 * column of `events` (event, user_id, session_id, ts, seq, uuid,
 * properties) and the session's `start`, `end` and `n`. A session is named
 * by `(user_id, sid, start)` (`sid` is its session_id, '' for sessions cut
 * by the rules); its events in order are those of that name sorted by
 * `(ts, seq)`. Events in no session (without a session_id under `property`)
 * are left out.
 *
 * Each event finds its session with an ASOF join: among its user's
 * sessions of its `sid` that begin in the range, the latest that starts at
 * or before it. That is exact: a session_id names one session, and the
 * sessions cut by the rules of one user are disjoint in time and hold every
 * event between their start and end, so an event of a session begun before
 * `from` precedes every session of the range and finds none, and one of a
 * session begun after `to` finds the range's last session, which ends
 * before it (`ts <= end` leaves it out).
 */
export function sessionEventsTable(events: string, options: Required<SessionOptions>, calendar: Calendar, from: number, to: number, bind: Bindings): string {
  const fromMs = bind.bind(from, 'Int64');
  const toMs = bind.bind(to, 'Int64');
  const mine = activeUsersEvents(events, fromMs, toMs);
  const sessions = allSessions(mine, options, calendar, bind);
  const sid = options.sessionSource === 'gap' ? "''" : 'session_id';
  return `(SELECT e.event AS event, e.user_id AS user_id, e.session_id AS session_id, e.ts AS ts, e.seq AS seq, e.uuid AS uuid, e.properties AS properties,
    e.sid AS sid, s.start AS start, s.end AS end, s.n AS n
  FROM (SELECT *, ${sid} AS sid FROM ${mine}) AS e
  ASOF INNER JOIN (SELECT * FROM ${sessions} WHERE start >= ${fromMs} AND start <= ${toMs}) AS s
    ON e.user_id = s.u AND e.sid = s.sid AND e.ts >= s.start
  WHERE e.ts <= s.end)`;
}
