import { NO_TARGET, type FrictionRules } from '../../../shared/metrics/friction-signals.ts';
import { normalizedMessageSql } from './error-message-sql.ts';
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
 * Every event of the query's sessions (`sessionEvents`, from
 * sessionEventsTable: a session is named by `(user_id, sid, start)`) grouped
 * as the core's sessionSignals groups them, in one pass: `(user_id, sid,
 * start, type, key, n, first, count)` with `n` events, `first` the earliest
 * `(ts, seq)` and `count` the signals (0 for none):
 * - `rageClick`: `$click` events per target (`(no target)` when absent),
 *   `count` the bursts of `rageClicks.clicks` or more;
 * - `thrashing`: any other event but `$error`, per name, `count` the bursts
 *   of `thrashing.count` or more (no positions, so no pixel rule);
 * - `repeatedError`: `$error` events per normalised message
 *   (normalizedMessageSql), `count` 1 when `repeatedErrors.count` or more.
 * Bursts are counted by burstsSql over each group's events sorted by
 * `(ts, seq)` with `arraySort(groupArray(...))`.
 */
function signalGroups(sessionEvents: string, rules: FrictionRules, bind: Bindings, click: string, error: string): string {
  const rage = rules.rageClicks;
  const isClick = "type = 'rageClick'";
  const min = `if(${isClick}, ${bind.bind(rage.clicks, 'UInt64')}, ${bind.bind(rules.thrashing.count, 'UInt64')})`;
  const windowMs = `if(${isClick}, ${bind.bind(rage.windowMs, 'Int64')}, ${bind.bind(rules.thrashing.windowMs, 'Int64')})`;
  const bursts = burstsSql('arraySort(groupArray((ts, seq, has_position, x, y)))', min, windowMs, bind.bind(rage.pixels, 'Float64'));
  const position = (key: string) => `if(event = ${click}, ${sqliteRealSql(propertyText('properties', key, bind))}, NULL)`;
  return `(
  SELECT user_id, sid, start, type, key, count() AS n, min((ts, seq)) AS first,
    if(type = 'repeatedError', toUInt64(n >= ${bind.bind(rules.repeatedErrors.count, 'UInt64')}), if(n >= ${min}, ${bursts}, toUInt64(0))) AS count
  FROM (
    SELECT user_id, sid, start, ts, seq,
      multiIf(event = ${click}, 'rageClick', event = ${error}, 'repeatedError', 'thrashing') AS type,
      multiIf(event = ${click}, coalesce(${propertyText('properties', 'target', bind)}, ${bind.bind(NO_TARGET, 'String')}),
        event = ${error}, ${normalizedMessageSql(propertyText('properties', 'message', bind), bind)}, event) AS key,
      ${position('x')} AS px, ${position('y')} AS py, NOT isNull(px) AND NOT isNull(py) AS has_position, ifNull(px, 0) AS x, ifNull(py, 0) AS y
    FROM ${sessionEvents}
  )
  GROUP BY user_id, sid, start, type, key
)`;
}

/**
 * A derived table of the friction signals of the query's sessions
 * (METRICS.md section 12), as the core's sessionSignals finds them in each
 * session: `(user_id, sid, start, type, key, count)`, one row per session,
 * type and key with a signal (see signalGroups). The `friction` kind sums
 * them per type and key.
 */
export function sessionSignalsTable(sessionEvents: string, rules: FrictionRules, bind: Bindings): string {
  const groups = signalGroups(sessionEvents, rules, bind, bind.bind('$click', 'String'), bind.bind('$error', 'String'));
  return `(SELECT user_id, sid, start, type, key, count FROM ${groups} WHERE count > 0)`;
}

/**
 * A derived table of the query's sessions with what the `segments` kind
 * reads of each, from the same one pass over their events as the signals:
 * `(user_id, sid, start, first_seq, names, signal)`, `first_seq` the
 * ingestion order of the first event (which orders sessions of one start),
 * `names` the distinct event names, `signal` 1 when the session has any
 * friction signal.
 */
export function sessionFrictionTable(sessionEvents: string, rules: FrictionRules, bind: Bindings): string {
  const click = bind.bind('$click', 'String');
  const error = bind.bind('$error', 'String');
  const groups = signalGroups(sessionEvents, rules, bind, click, error);
  return `(SELECT user_id, sid, start, min(first).2 AS first_seq,
    groupUniqArray(multiIf(type = 'rageClick', ${click}, type = 'repeatedError', ${error}, key)) AS names, max(count > 0) AS signal
  FROM ${groups} GROUP BY user_id, sid, start)`;
}
