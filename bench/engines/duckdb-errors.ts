import { IN_RANGE, num, perDay, STARTS_IN_RANGE, type DuckQuery } from './duckdb-sql.ts';

const ALNUM = '0-9A-Za-z';
const UUID = '[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}';
/** A UUID not touching a letter or digit; RE2 has no lookaround, so the neighbours are matched and put back. */
const UUID_ALONE = `(^|[^${ALNUM}])${UUID}([^${ALNUM}]|$)`;
/** What JavaScript's trim() removes: the message is then `(no message)`. */
const JS_SPACE = '[\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{FEFF}\\x{2028}\\x{2029}\\p{Zs}]*';

/**
 * `raw` normalized as shared/metrics/error-message.ts reads METRICS.md 11:
 * a UUID alone, then, token by token (runs of letters and digits, so
 * "alone" means the whole token), a `0x` literal or a hex id of 6+ hex
 * digits with a decimal one, else each run of digits, becomes `#`. The UUID
 * pass runs twice because two UUIDs one separator apart share that
 * separator, which one match consumes.
 */
export const NORMALIZED = `CASE WHEN raw IS NULL OR regexp_full_match(raw, '${JS_SPACE}') THEN '(no message)' ELSE array_to_string(list_transform(
  regexp_extract_all(regexp_replace(regexp_replace(raw, '${UUID_ALONE}', '\\1#\\2', 'g'), '${UUID_ALONE}', '\\1#\\2', 'g'), '[${ALNUM}]+|[^${ALNUM}]+'),
  t -> CASE WHEN regexp_full_match(t, '0[xX][0-9A-Fa-f]+') OR (regexp_full_match(t, '[0-9A-Fa-f]{6,}') AND regexp_matches(t, '[0-9]'))
            THEN '#' ELSE regexp_replace(t, '[0-9]+', '#', 'g') END), '') END`;

interface ErrorsAnswer {
  total: number;
  users: number | null;
  sessions: number;
  errorFreeSessionRate: number | null;
  series: { errors: number; perThousandEvents: number | null }[];
  top: { message: string; count: number; users: number | null }[];
}

/**
 * Everything of the errors result but the period names. Errors and events
 * count by their own time in the range; the sessions are the query's
 * (STARTS_IN_RANGE), affected by an error anywhere in them, after `to` too. `top` ties
 * order by message in code points, ours in UTF-16 units: the same for the
 * sample's ASCII messages.
 */
export const errors: DuckQuery = {
  sql: `WITH ev AS (${IN_RANGE}),
err AS (SELECT user_id, ${NORMALIZED} AS message FROM (SELECT user_id, json_extract_string(properties, '$.message') AS raw FROM ev WHERE name = '$error')),
sessions AS (SELECT bool_or(name = '$error') AS has_error FROM events GROUP BY user_id, session_id ${STARTS_IN_RANGE}),
groups AS (SELECT message, COUNT(*) AS n, COUNT(DISTINCT user_id) AS users FROM err GROUP BY message ORDER BY n DESC, message LIMIT 10)
SELECT (SELECT COUNT(*) FROM sessions), (SELECT COUNT(*) FILTER (has_error) FROM sessions),
       (SELECT COUNT(*) FROM err), (SELECT COUNT(DISTINCT user_id) FROM err),
       (SELECT list([day, n, e]) FROM (SELECT day, COUNT(*) AS n, COUNT(*) FILTER (name = '$error') AS e FROM ev GROUP BY day)),
       (SELECT list({'message': message, 'n': n, 'users': users} ORDER BY n DESC, message) FROM groups)`,
  shape: ([row], range) => {
    const [sessions, affected, total, users, days, top] = row!;
    const perDayRows = (days ?? []) as unknown[][];
    const events = perDay(perDayRows, range, 1);
    const errs = perDay(perDayRows, range, 2);
    return {
      total: num(total),
      users: num(users),
      sessions: num(affected),
      errorFreeSessionRate: num(sessions) === 0 ? null : (num(sessions) - num(affected)) / num(sessions),
      series: events.map((n, day) => ({ errors: errs[day]!, perThousandEvents: n === 0 ? null : (errs[day]! * 1000) / n })),
      top: ((top ?? []) as { message: string; n: unknown; users: unknown }[]).map((g) => ({ message: g.message, count: num(g.n), users: num(g.users) })),
    };
  },
  ours: (answer) => {
    const a = answer as ErrorsAnswer;
    return { ...a, series: a.series.map(({ errors, perThousandEvents }) => ({ errors, perThousandEvents })) };
  },
};
