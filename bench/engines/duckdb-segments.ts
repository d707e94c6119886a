import { SIGNALS } from './duckdb-friction.ts';
import { IN_RANGE, num, SESSION_EVENTS, type DuckQuery } from './duckdb-sql.ts';

const LABELS = ['power', 'struggling', 'exploring', 'casual'];

/**
 * Default segments (no funnel, so no abandonments): each active user of the
 * range gets the first label that fits: `power`, active on 12 or more of
 * the last 28 days of the range; `struggling`, 2 or more sessions with a
 * friction signal (the friction kind's); `exploring`, 8 or more distinct
 * names in the first 3 sessions (ordered by their first event) and no
 * session with a signal; else `casual`. Sessions are the query's, whole
 * (STARTS_IN_RANGE); activity and top events read the range's events. Top
 * events: the 5 most frequent names of each label's events, ties by name.
 * Compared: the whole result.
 */
export const segments: DuckQuery = {
  sql: `WITH ev AS (${IN_RANGE}),
sev AS (${SESSION_EVENTS}),
${SIGNALS},
signalled AS (SELECT user_id, COUNT(DISTINCT session_id) AS sessions FROM signals WHERE n > 0 GROUP BY user_id),
power AS (SELECT user_id FROM ev WHERE day >= $days::BIGINT - 28 GROUP BY user_id HAVING COUNT(DISTINCT day) >= 12),
firsts AS (SELECT user_id, session_id, ts, seq FROM sev QUALIFY ROW_NUMBER() OVER (PARTITION BY user_id, session_id ORDER BY ts, seq) = 1),
first3 AS (SELECT user_id, session_id FROM firsts QUALIFY ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts, seq) <= 3),
exploring AS (
  SELECT user_id FROM sev SEMI JOIN first3 USING (user_id, session_id) GROUP BY user_id HAVING COUNT(DISTINCT name) >= 8
),
labels AS (
  SELECT user_id, CASE WHEN user_id IN (SELECT user_id FROM power) THEN 'power'
                       WHEN COALESCE(s.sessions, 0) >= 2 THEN 'struggling'
                       WHEN s.sessions IS NULL AND user_id IN (SELECT user_id FROM exploring) THEN 'exploring'
                       ELSE 'casual' END AS label
  FROM (SELECT DISTINCT user_id FROM ev) LEFT JOIN signalled AS s USING (user_id)
),
top AS (
  SELECT label, name, COUNT(*) AS n FROM ev JOIN labels USING (user_id) GROUP BY label, name
  QUALIFY ROW_NUMBER() OVER (PARTITION BY label ORDER BY n DESC, name) <= 5
)
SELECT label, COUNT(*), (SELECT list({'event': name, 'count': n} ORDER BY n DESC, name) FROM top WHERE top.label = labels.label)
FROM labels GROUP BY label`,
  shape: (rows) => ({
    segments: LABELS.map((label) => {
      const row = rows.find((r) => r[0] === label);
      const top = (row?.[2] ?? []) as { event: string; count: unknown }[];
      return { label, users: row ? num(row[1]) : 0, topEvents: top.map(({ event, count }) => ({ event, count: num(count) })) };
    }),
  }),
  ours: (answer) => answer,
};
