import { FUNNEL_STEPS } from '../config.ts';
import { DAY_MS, IN_RANGE, ms3, num, type DuckQuery } from './duckdb-sql.ts';

/** The default window: 14 days of elapsed time after the step-1 event, inclusive. */
const WINDOW_MS = 14 * DAY_MS;

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;
const steps = FUNNEL_STEPS.map((_, k) => k + 1);

/**
 * An attempt from each step-1 event: step k is the first step-k event after
 * step k-1's in the user's order (time, then ingestion order, numbered
 * `ord`), an ASOF join, kept when within 14 days of the step-1 event. The
 * steps' names are distinct, so no event can serve two steps.
 */
const attempts = steps
  .slice(1)
  .map(
    (k) => `a${k} AS (
  SELECT a.*, CASE WHEN s.ts <= a.t1 + ${WINDOW_MS} THEN s.ord END AS o${k}, CASE WHEN s.ts <= a.t1 + ${WINDOW_MS} THEN s.ts END AS t${k}
  FROM a${k - 1} AS a ASOF LEFT JOIN (SELECT * FROM c WHERE name = ${literal(FUNNEL_STEPS[k - 1]!)}) AS s ON a.user_id = s.user_id AND a.o${k - 1} < s.ord
)`,
  )
  .join(',\n');

const last = steps.length;
/** Per user the attempt reaching the furthest step, the earliest on a tie. */
const reached = steps.map((k) => `(t${k} IS NOT NULL)::INTEGER`).join(' + ');

/**
 * The median of `seconds` as shared/stats.ts takes it: low + (high - low) *
 * 0.5 of the middle two, in doubles as JavaScript computes them, so a median
 * halfway between two milliseconds rounds as ours does (quantile_cont's own
 * arithmetic can land on the other side of the half).
 */
const median = (seconds: string): string =>
  `list_transform([list_sort(list(${seconds}) FILTER (${seconds} IS NOT NULL))], s -> s[(len(s) - 1) // 2 + 1] + (s[len(s) // 2 + 1] - s[(len(s) - 1) // 2 + 1]) * 0.5)[1]`;

/** One row per step: users reaching it and the seconds from the previous step over them. */
const perStep = steps
  .map((k) =>
    k === 1
      ? `SELECT 1 AS k, COUNT(t1) AS n, NULL::DOUBLE AS mean, NULL::DOUBLE AS median FROM counted`
      : `SELECT ${k}, COUNT(t${k}), AVG(t${k} - t${k - 1}) / 1000, ${median(`(t${k} - t${k - 1}) / 1000`)} FROM counted`,
  )
  .join('\nUNION ALL ');

/**
 * The default funnel (ordered, 14-day window, no exclusions or step
 * windows) of the bench's steps. Compared: the whole result.
 */
export const funnel: DuckQuery = {
  sql: `WITH c AS (
  SELECT user_id, ts, name, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts, seq) AS ord
  FROM (${IN_RANGE}) WHERE name IN (${FUNNEL_STEPS.map(literal).join(', ')})
),
a1 AS (SELECT user_id, ord AS o1, ts AS t1 FROM c WHERE name = ${literal(FUNNEL_STEPS[0]!)}),
${attempts},
counted AS (SELECT * FROM a${last} QUALIFY ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ${reached} DESC, o1) = 1),
step AS (${perStep})
SELECT k, n, n / NULLIF(FIRST_VALUE(n) OVER (ORDER BY k), 0), n / NULLIF(COALESCE(LAG(n) OVER (ORDER BY k), n), 0),
       COALESCE(LAG(n) OVER (ORDER BY k) - n, 0), mean, median
FROM step ORDER BY k`,
  shape: (rows) => ({
    steps: rows.map(([k, n, conversion, stepConversion, dropOff, mean, median]) => ({
      event: FUNNEL_STEPS[num(k) - 1],
      count: num(n),
      conversion: conversion === null ? null : num(conversion),
      stepConversion: stepConversion === null ? null : num(stepConversion),
      dropOff: num(dropOff),
      meanSeconds: mean === null ? null : ms3(num(mean)),
      medianSeconds: median === null ? null : ms3(num(median)),
    })),
  }),
  ours: (answer) => answer,
};
