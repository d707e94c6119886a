import { DAY_MS, IN_RANGE, num, perDay, type DuckQuery } from './duckdb-sql.ts';

interface AdoptionAnswer {
  features: { feature: string; adopters: number | null; adoptionRate: number | null; timeToAdopt: unknown; repeatRate: number | null; series: { adopters: number | null }[] }[];
}

/**
 * Adoption of `features: 'all'`: every name of the range not starting with
 * `$` (the trackers' own events), most adopters first, then by name. Time
 * to adopt runs from the user's first event ever to the first use, over the
 * adopters with no use before the range, its percentiles interpolated
 * linearly (quantile_cont); repeat days are UTC days. Compared: every field
 * but the series' period names.
 */
export const adoption: DuckQuery = {
  sql: `WITH ev AS (${IN_RANGE}),
uses AS (SELECT name AS feature, user_id, day, ts FROM ev WHERE NOT starts_with(name, '$')),
adopters AS (SELECT feature, user_id, MIN(ts) AS first_use, COUNT(DISTINCT day) > 1 AS repeats FROM uses GROUP BY ALL),
firsts AS (SELECT user_id, MIN(ts) AS first_ts FROM events GROUP BY user_id),
earlier AS (SELECT DISTINCT name AS feature, user_id FROM events WHERE ts < $from::BIGINT),
delays AS (
  SELECT a.feature, a.first_use - f.first_ts AS delay
  FROM adopters AS a JOIN firsts AS f USING (user_id) ANTI JOIN earlier AS e ON e.feature = a.feature AND e.user_id = a.user_id
),
stats AS (SELECT feature, COUNT(*) AS adopters, COUNT(*) FILTER (repeats) AS repeaters FROM adopters GROUP BY feature),
times AS (SELECT feature, quantile_cont(delay, 0.5) / ${DAY_MS} AS median, quantile_cont(delay, 0.75) / ${DAY_MS} AS p75 FROM delays GROUP BY feature),
series AS (SELECT feature, list([day, n]) AS days FROM (SELECT feature, day, COUNT(DISTINCT user_id) AS n FROM uses GROUP BY ALL) GROUP BY feature)
SELECT s.feature, s.adopters, s.adopters / (SELECT COUNT(DISTINCT user_id) FROM ev), t.median, t.p75, s.repeaters / s.adopters, series.days
FROM stats AS s LEFT JOIN times AS t USING (feature) JOIN series USING (feature)
ORDER BY s.adopters DESC, s.feature`,
  shape: (rows, range) => ({
    features: rows.map(([feature, adopters, rate, median, p75, repeat, days]) => ({
      feature,
      adopters: num(adopters),
      adoptionRate: num(rate),
      timeToAdopt: { medianDays: median === null ? null : num(median), p75Days: p75 === null ? null : num(p75) },
      repeatRate: num(repeat),
      series: perDay(days as unknown[][], range).map((n) => ({ adopters: n })),
    })),
  }),
  ours: (answer) => ({
    features: (answer as AdoptionAnswer).features.map((f) => ({ ...f, series: f.series.map(({ adopters }) => ({ adopters })) })),
  }),
};
