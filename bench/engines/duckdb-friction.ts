import { NORMALIZED } from './duckdb-errors.ts';
import { num, SESSION_EVENTS, type DuckQuery } from './duckdb-sql.ts';

/**
 * Bursts in `events`, a list of {ats, ax, ay} in event order, folded with
 * list_reduce: the first event anchors a burst; the next one joins it when
 * at most `ms` after the anchor (and, with `px`, at most `px` from it as
 * |dx| + |dy|, unless a position is missing), else anchors the next burst.
 * Bursts of `min` or more events count. Elements carry the accumulator's
 * fields so both are one struct type.
 */
function bursts(events: string, ms: number, min: number, px: number | null): string {
  const near = px === null ? '' : ` AND COALESCE(abs(e.ax - acc.ax) + abs(e.ay - acc.ay) <= ${px}, true)`;
  const folded = `list_reduce(${events}, (acc, e) -> CASE WHEN e.ats - acc.ats <= ${ms}${near}
    THEN {'ats': acc.ats, 'ax': acc.ax, 'ay': acc.ay, 'size': acc.size + 1, 'bursts': acc.bursts}
    ELSE {'ats': e.ats, 'ax': e.ax, 'ay': e.ay, 'size': 1, 'bursts': acc.bursts + (acc.size >= ${min})::INTEGER} END,
  {'ats': NULL::BIGINT, 'ax': NULL::DOUBLE, 'ay': NULL::DOUBLE, 'size': 0, 'bursts': 0})`;
  return `(SELECT r.bursts + (r.size >= ${min})::INTEGER FROM (SELECT ${folded} AS r))`;
}

const element = (x: string, y: string) => `{'ats': ts, 'ax': ${x}, 'ay': ${y}, 'size': 0, 'bursts': 0}`;
const coordinate = (key: string) => `TRY_CAST(json_extract_string(properties, '$.${key}') AS DOUBLE)`;

interface FrictionAnswer {
  rageClicks: { target: string; count: number; users: number | null }[];
  repeatedErrors: { message: string; count: number; users: number | null }[];
  thrashing: { event: string; count: number; users: number | null }[];
}

/**
 * CTEs after `sev` (every event of the query's sessions, SESSION_EVENTS)
 * ending in `signals(type, user_id, session_id, k, n)`: per session and key, n = the
 * rage-click or thrashing bursts (0 too), or 1 for a message repeated 3
 * times. Default thresholds (3 clicks in 1 s and 30 px, 3 errors of one
 * normalized message, 5 events of one name in 60 s). Positions are
 * read as numbers where they are numbers (the sample's are); SQLite's CAST
 * would also read a leading number out of text, which TRY_CAST does not.
 */
export const SIGNALS = `rage AS (
  SELECT user_id, session_id, k, ${bursts('clicks', 1000, 3, 30)} AS n FROM (
    SELECT user_id, session_id, COALESCE(json_extract_string(properties, '$.target'), '(no target)') AS k,
           list(${element(coordinate('x'), coordinate('y'))} ORDER BY ts, seq) AS clicks
    FROM sev WHERE name = '$click' GROUP BY ALL)
),
thrash AS (
  SELECT user_id, session_id, name AS k, ${bursts('runs', 60_000, 5, null)} AS n FROM (
    SELECT user_id, session_id, name, list(${element('NULL::DOUBLE', 'NULL::DOUBLE')} ORDER BY ts, seq) AS runs
    FROM sev WHERE name NOT IN ('$click', '$error') GROUP BY ALL)
),
repeated AS (
  SELECT user_id, session_id, k, 1 AS n FROM (SELECT user_id, session_id, ${NORMALIZED} AS k FROM (
    SELECT user_id, session_id, json_extract_string(properties, '$.message') AS raw FROM sev WHERE name = '$error'))
  GROUP BY user_id, session_id, k HAVING COUNT(*) >= 3
),
signals AS (
  SELECT 'rage' AS type, * FROM rage UNION ALL SELECT 'thrash', * FROM thrash UNION ALL SELECT 'error', * FROM repeated
)`;

/** Default friction. Compared: the whole result. */
export const friction: DuckQuery = {
  sql: `WITH sev AS (${SESSION_EVENTS}),
${SIGNALS}
SELECT type, k, SUM(n) AS count, COUNT(DISTINCT user_id) AS users FROM signals WHERE n > 0 GROUP BY ALL ORDER BY type, count DESC, users DESC, k`,
  shape: (rows) => {
    const of = (type: string) => rows.filter((r) => r[0] === type).map(([, k, count, users]) => ({ key: String(k), count: num(count), users: num(users) }));
    return {
      rageClicks: of('rage').map(({ key, count, users }) => ({ target: key, count, users })),
      repeatedErrors: of('error').map(({ key, count, users }) => ({ message: key, count, users })),
      thrashing: of('thrash').map(({ key, count, users }) => ({ event: key, count, users })),
    };
  },
  ours: (answer) => {
    const { rageClicks, repeatedErrors, thrashing } = answer as FrictionAnswer;
    return { rageClicks, repeatedErrors, thrashing };
  },
};
