import { IN_RANGE, num, type DuckQuery } from './duckdb-sql.ts';

interface RetentionAnswer {
  cohorts: { size: number | null; values: (number | null)[] }[];
  average: (number | null)[];
}

/**
 * The default retention (recurring daily cohorts, returns `on` day k, any
 * event for both): one cohort per day of its active users; cell k counts
 * members active k days later, so k = 0 is the size. Every cohort's day k
 * has ended by the benchmark's `now` (the end of the data), so `average[k]`
 * weighs every cohort that has a day k. Compared: sizes, values and
 * average, all but the cohorts' names.
 */
export const retention: DuckQuery = {
  sql: `WITH active AS (SELECT DISTINCT day, user_id FROM (${IN_RANGE})),
cells AS (SELECT a.day AS i, b.day - a.day AS k, COUNT(*) AS users FROM active AS a JOIN active AS b ON a.user_id = b.user_id AND b.day >= a.day GROUP BY ALL),
average AS (
  SELECT k.range AS k, COALESCE((SELECT SUM(users) FROM cells WHERE cells.k = k.range), 0)
    / NULLIF((SELECT SUM(users) FROM cells WHERE cells.k = 0 AND cells.i <= $days::BIGINT - 1 - k.range), 0) AS value
  FROM range(0, $days::BIGINT) AS k
)
SELECT 'cell', i, k, users FROM cells
UNION ALL SELECT 'average', NULL, k, value FROM average`,
  shape: (rows, range) => {
    const cohorts = Array.from({ length: range.days }, (_, i) => ({ size: 0, values: new Array<number>(range.days - i).fill(0) }));
    const average = new Array<number | null>(range.days).fill(null);
    for (const [type, i, k, value] of rows) {
      if (type === 'average') average[num(k)] = value === null ? null : num(value);
      else {
        const cohort = cohorts[num(i)]!;
        cohort.values[num(k)] = num(value);
        if (num(k) === 0) cohort.size = num(value);
      }
    }
    return { cohorts, average };
  },
  ours: (answer) => {
    const a = answer as RetentionAnswer;
    return { cohorts: a.cohorts.map(({ size, values }) => ({ size, values })), average: a.average };
  },
};
