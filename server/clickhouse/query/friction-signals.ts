import { NO_TARGET, type FrictionRules } from '../../../shared/metrics/friction-signals.ts';
import { normalizedMessageSql } from './error-message.ts';
import type { Bindings } from './params.ts';
import { propertyText } from './where.ts';

/**
 * A text (NULL or not) as SQLite's `CAST(text AS REAL)` reads it, which is
 * how the core reads a click's `x` / `y` (shared/sessions/session-event-rows.ts):
 * the longest numeric prefix after leading white space (`'12px'` is 12), 0
 * when there is none (`'true'`, `'abc'`); NULL stays NULL.
 */
function sqliteRealSql(text: string): string {
  const prefix = `extract(${text}, '^[\\\\t\\\\n\\\\x0B\\\\f\\\\r ]*([+-]?(?:[0-9]+(?:\\\\.[0-9]*)?|\\\\.[0-9]+)(?:[eE][+-]?[0-9]+)?)')`;
  return `if(isNull(${text}), NULL, toFloat64OrZero(${prefix}))`;
}

/**
 * How many bursts of at least `min` events the sorted array `events` of
 * tuples `(ts, seq, hasPosition, x, y)` holds, as the core's countBursts
 * (shared/metrics/friction-signals.ts) counts them, greedily in one
 * `arrayFold`: the first event anchors a burst; a later one joins it when at
 * most `windowMs` after the anchor and (with `pixels`, when both have a
 * position) at most that far from it as `|dx| + |dy|`; one that does not
 * fit anchors the next burst. The state is the anchor's (ts, hasPosition,
 * x, y), the burst's size and the bursts so far.
 */
function burstsSql(events: string, min: string, windowMs: string, pixels: string | null): string {
  const near = pixels === null ? '1' : `(NOT e.3 OR NOT s.2 OR abs(e.4 - s.3) + abs(e.5 - s.4) <= ${pixels})`;
  const state = (ts: string, pos: string, x: string, y: string, size: string, bursts: string) =>
    `tuple(toInt64(${ts}), toUInt8(${pos}), toFloat64(${x}), toFloat64(${y}), toUInt64(${size}), toUInt64(${bursts}))`;
  const fold = `arrayFold((s, e) -> if(s.5 > 0 AND e.1 - s.1 <= ${windowMs} AND ${near},
      ${state('s.1', 's.2', 's.3', 's.4', 's.5 + 1', 's.6')},
      ${state('e.1', 'e.3', 'e.4', 'e.5', '1', `s.6 + (s.5 >= ${min})`)}),
    ${events}, ${state('0', '0', '0', '0', '0', '0')})`;
  return `arrayMap(f -> f.6 + (f.5 >= ${min}), [${fold}])[1]`;
}

/**
 * A derived table of the friction signals of the query's sessions
 * (METRICS.md section 12), as the core's sessionSignals finds them in each
 * session: `(user_id, sid, start, type, key, count)`, one row per session,
 * type and key, where `sessionEvents` is `sessionEventsTable(...)` (a
 * session is named by `(user_id, sid, start)`):
 * - `rageClick`: per `$click` target (`(no target)` when absent), the
 *   bursts of `rageClicks.clicks` or more, each click's events sorted by
 *   `(ts, seq)` with `arraySort(groupArray(...))` and counted by `arrayFold`;
 * - `thrashing`: per event name (any but `$click` and `$error`), the same
 *   bursts without positions;
 * - `repeatedError`: count 1 per normalised message (normalizedMessageSql)
 *   that came `repeatedErrors.count` or more times.
 * The `friction` kind sums them per type and key; `segments` counts a
 * user's sessions with one.
 */
export function sessionSignalsTable(sessionEvents: string, rules: FrictionRules, bind: Bindings): string {
  const click = bind.bind('$click', 'String');
  const error = bind.bind('$error', 'String');
  const rage = rules.rageClicks;
  const clicks = bind.bind(rage.clicks, 'UInt64');
  const rageBursts = burstsSql(
    'arraySort(groupArray((ts, seq, has_position, x, y)))',
    clicks,
    bind.bind(rage.windowMs, 'Int64'),
    bind.bind(rage.pixels, 'Float64'),
  );
  const x = sqliteRealSql(propertyText('properties', 'x', bind));
  const y = sqliteRealSql(propertyText('properties', 'y', bind));
  const thrash = bind.bind(rules.thrashing.count, 'UInt64');
  const thrashBursts = burstsSql('arraySort(groupArray((ts, seq, 0, 0, 0)))', thrash, bind.bind(rules.thrashing.windowMs, 'Int64'), null);
  return `(
  SELECT user_id, sid, start, 'rageClick' AS type, key, bursts AS count FROM (
    SELECT user_id, sid, start, key, ${rageBursts} AS bursts
    FROM (SELECT user_id, sid, start, ts, seq, coalesce(${propertyText('properties', 'target', bind)}, ${bind.bind(NO_TARGET, 'String')}) AS key,
        ${x} AS px, ${y} AS py, NOT isNull(px) AND NOT isNull(py) AS has_position, ifNull(px, 0) AS x, ifNull(py, 0) AS y
      FROM ${sessionEvents} WHERE event = ${click})
    GROUP BY user_id, sid, start, key HAVING count() >= ${clicks}
  ) WHERE bursts > 0
  UNION ALL
  SELECT user_id, sid, start, 'thrashing' AS type, key, bursts AS count FROM (
    SELECT user_id, sid, start, event AS key, ${thrashBursts} AS bursts
    FROM ${sessionEvents} WHERE event != ${click} AND event != ${error}
    GROUP BY user_id, sid, start, event HAVING count() >= ${thrash}
  ) WHERE bursts > 0
  UNION ALL
  SELECT user_id, sid, start, 'repeatedError' AS type, key, toUInt64(1) AS count FROM (
    SELECT user_id, sid, start, ${normalizedMessageSql('properties')} AS key FROM ${sessionEvents} WHERE event = ${error}
  ) GROUP BY user_id, sid, start, key HAVING count() >= ${bind.bind(rules.repeatedErrors.count, 'UInt64')}
)`;
}
