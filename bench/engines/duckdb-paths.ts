import { num, STARTS_IN_RANGE, type DuckQuery } from './duckdb-sql.ts';

/** The default paths: 5 steps, the top 50 transitions. */
const STEPS = 5;
const LIMIT = 50;

/**
 * Default paths: each of the query's sessions (STARTS_IN_RANGE), whole, as
 * the list of its names in event order (time, then ingestion order), consecutive repeats dropped, cut to its first 5. Transitions are
 * counted per path (not per user); ties order by step then names in code
 * points, as ours. Compared: the whole result.
 */
export const paths: DuckQuery = {
  sql: `WITH sessions AS (SELECT list(name ORDER BY ts, seq) AS names FROM events GROUP BY user_id, session_id ${STARTS_IN_RANGE}),
paths AS (SELECT list_filter(names, (x, i) -> i = 1 OR x <> names[i - 1])[1:${STEPS}] AS path FROM sessions),
steps AS (SELECT path, unnest(generate_series(1, len(path) - 1)) AS step FROM paths),
transitions AS (SELECT step, path[step] AS src, path[step + 1] AS dst, COUNT(*) AS n FROM steps GROUP BY ALL ORDER BY n DESC, step, src, dst LIMIT ${LIMIT}),
drops AS (SELECT len(path) AS step, path[-1] AS event, COUNT(*) AS n FROM paths GROUP BY ALL)
SELECT (SELECT list({'step': step, 'from': src, 'to': dst, 'count': n} ORDER BY n DESC, step, src, dst) FROM transitions),
       (SELECT list({'step': step, 'event': event, 'count': n} ORDER BY step, n DESC, event) FROM drops)`,
  shape: ([row]) => {
    const [transitions, drops] = row! as [{ step: unknown; from: string; to: string; count: unknown }[] | null, { step: unknown; event: string; count: unknown }[] | null];
    return {
      transitions: (transitions ?? []).map((t) => ({ step: num(t.step), from: t.from, to: t.to, count: num(t.count) })),
      dropOffs: (drops ?? []).map((d) => ({ step: num(d.step), event: d.event, count: num(d.count) })),
    };
  },
  ours: (answer) => answer,
};
