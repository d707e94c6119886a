import { optionalInteger, optionalNumber, type SpecObject } from '../query/fields.ts';
import { nameId, type QueryContext } from '../query/context.ts';
import { nestedFields } from '../query/nested-fields.ts';
import type { SqlParams, SqlValue } from '../sql/executor.ts';
import { MessageNormalizer } from './error-message.ts';
import type { SessionKey } from './session-events.ts';

/**
 * Friction signals (METRICS.md section 12), detected inside sessions
 * (section 3) so that a signal belongs to exactly one session: the `friction`
 * kind counts them per target / message / event, and `segments` counts the
 * sessions that have one.
 *
 * Readings of METRICS.md, where it is silent:
 * - Rage-click defaults are posthog-js's (3 clicks, 1 s, 30 px), and so is
 *   the distance, `|dx| + |dy|`. posthog-js measures each click against the
 *   previous one with strict bounds; we measure against the burst's first
 *   click (so "within 1 s" bounds the whole burst, as METRICS.md words it)
 *   and include the bounds, as section 8 does for "within the window".
 * - Thrashing uses the same burst rule (5 events of one name, at most 60 s
 *   after the first).
 * - A repeated error counts once per session, like a burst: the `count` of
 *   a message is the number of sessions that repeated it.
 */

/** Settings of rage-click detection; every field optional. */
export interface RageClickRule {
  /** Clicks a burst needs; default 3. */
  clicks?: number;
  /** Longest burst, from its first click to its last, in seconds (inclusive); default 1. */
  seconds?: number;
  /** Farthest a click of a burst may be from its first click, `|dx| + |dy|` in pixels (inclusive); default 30. */
  pixels?: number;
}

/** Settings of repeated-error detection. */
export interface RepeatedErrorRule {
  /** Occurrences of one normalized message in one session that make a repeat; default 3. */
  count?: number;
}

/** Settings of thrashing detection. */
export interface ThrashingRule {
  /** Events of one name a burst needs; default 5. */
  count?: number;
  /** Longest burst, from its first event to its last, in seconds (inclusive); default 60. */
  seconds?: number;
}

/** The friction thresholds a query may set (the `friction` and `segments` kinds). */
export interface FrictionOptions {
  rageClicks?: RageClickRule;
  repeatedErrors?: RepeatedErrorRule;
  thrashing?: ThrashingRule;
}

/** Thresholds with defaults applied; durations in ms. */
export interface FrictionRules {
  rageClicks: { clicks: number; windowMs: number; pixels: number };
  repeatedErrors: { count: number };
  thrashing: { count: number; windowMs: number };
}

export const FRICTION_FIELDS = ['rageClicks', 'repeatedErrors', 'thrashing'] as const;

/** Whole milliseconds, the precision of event timestamps. */
function toMs(seconds: number): number {
  return Math.round(seconds * 1000);
}

/** Reads the thresholds, each defaulted; a bad one throws a SpecError naming it (`rageClicks.pixels`). */
export function readFrictionRules(spec: SpecObject): FrictionRules {
  const rage = nestedFields(spec, 'rageClicks', ['clicks', 'seconds', 'pixels']);
  const errors = nestedFields(spec, 'repeatedErrors', ['count']);
  const thrash = nestedFields(spec, 'thrashing', ['count', 'seconds']);
  return {
    rageClicks: {
      clicks: optionalInteger(rage, 'rageClicks.clicks', 2, 1000) ?? 3,
      windowMs: toMs(optionalNumber(rage, 'rageClicks.seconds', 0.001, 3600) ?? 1),
      pixels: optionalNumber(rage, 'rageClicks.pixels', 0, 100_000) ?? 30,
    },
    repeatedErrors: { count: optionalInteger(errors, 'repeatedErrors.count', 2, 100_000) ?? 3 },
    thrashing: {
      count: optionalInteger(thrash, 'thrashing.count', 2, 100_000) ?? 5,
      windowMs: toMs(optionalNumber(thrash, 'thrashing.seconds', 0.001, 86_400) ?? 60),
    },
  };
}

/** Event names with a signal of their own, so thrashing does not count a rage click or an error burst twice. */
const NOT_THRASHING = ['$click', '$error'];

/** SQL expressions for a click's position, over the events alias `e`. */
interface Position {
  x: string;
  y: string;
}

/**
 * CTEs turning `${source}(u, sk, seq, ts, k)` into `${name}_bursts(u, sk,
 * k)`, one row per burst: events of one key `k` in one session, the first
 * of them the burst's anchor, every other at most `$${name}Ms` after the
 * anchor (and, with a `position`, at most `$${name}Px` from it as `|dx| +
 * |dy|`; an event without a position is compared by time only). An event
 * that does not fit starts the next burst as its new anchor. Bursts of
 * fewer than `$${name}Min` events are dropped, and a longer burst is still
 * one.
 *
 * Which event starts a burst depends on where the previous burst started,
 * which a window function cannot see, so a recursive walk assigns bursts.
 * It only walks "chains": runs of a key's events each at most the window
 * after the previous one (an event further from its predecessor is further
 * from any anchor too, so it always starts a burst), and only chains long
 * enough to hold a burst. Events with no neighbour within the window (most
 * of them) are dropped in the first pass, before the chains are numbered.
 */
function burstsSql(name: string, source: string, position: Position | null): string {
  const windowMs = `$${name}Ms`;
  const min = `$${name}Min`;
  const near = position === null ? '' : ` AND COALESCE(ABS(c.x - w.anchor_x) + ABS(c.y - w.anchor_y) <= $${name}Px, 1)`;
  const fits = `(c.ts - w.anchor_ts <= ${windowMs}${near})`;
  const coordinates = position === null ? 'NULL AS x, NULL AS y' : `${position.x} AS x, ${position.y} AS y`;
  const positions = position === null ? '' : ' JOIN events AS e ON e.seq = s.seq';
  return `
${name}_paired AS (
  SELECT u, sk, k, seq, ts FROM (
    SELECT u, sk, k, seq, ts, ts - LAG(ts) OVER w AS since, LEAD(ts) OVER w - ts AS until
    FROM ${source}
    WINDOW w AS (PARTITION BY u, sk, k ORDER BY ts, seq)
  ) WHERE since <= ${windowMs} OR until <= ${windowMs}
),
${name}_chains AS (
  SELECT u, sk, k, seq, ts, SUM(starts) OVER (PARTITION BY u, sk, k ORDER BY ts, seq ROWS UNBOUNDED PRECEDING) AS chain
  FROM (
    SELECT u, sk, k, seq, ts, CASE WHEN LAG(ts) OVER w IS NULL OR ts - LAG(ts) OVER w > ${windowMs} THEN 1 ELSE 0 END AS starts
    FROM ${name}_paired
    WINDOW w AS (PARTITION BY u, sk, k ORDER BY ts, seq)
  )
),
${name}_sized AS (
  SELECT u, sk, k, seq, ts,
         FIRST_VALUE(seq) OVER c AS cid, ROW_NUMBER() OVER c AS rn, COUNT(*) OVER (PARTITION BY u, sk, k, chain) AS size
  FROM ${name}_chains
  WINDOW c AS (PARTITION BY u, sk, k, chain ORDER BY ts, seq)
),
${name}_candidates AS MATERIALIZED (
  SELECT s.u AS u, s.sk AS sk, s.k AS k, s.ts AS ts, s.cid AS cid, s.rn AS rn, ${coordinates}
  FROM ${name}_sized AS s${positions}
  WHERE s.size >= ${min}
),
${name}_walk (cid, rn, anchor_ts, anchor_x, anchor_y, burst) AS (
  SELECT cid, rn, ts, x, y, 0 FROM ${name}_candidates WHERE rn = 1
  UNION ALL
  SELECT c.cid, c.rn,
         CASE WHEN ${fits} THEN w.anchor_ts ELSE c.ts END,
         CASE WHEN ${fits} THEN w.anchor_x ELSE c.x END,
         CASE WHEN ${fits} THEN w.anchor_y ELSE c.y END,
         CASE WHEN ${fits} THEN w.burst ELSE w.burst + 1 END
  FROM ${name}_walk AS w JOIN ${name}_candidates AS c ON c.cid = w.cid AND c.rn = w.rn + 1
),
${name}_bursts AS (
  SELECT c.u AS u, c.sk AS sk, c.k AS k
  FROM ${name}_walk AS w JOIN ${name}_candidates AS c ON c.cid = w.cid AND c.rn = 1
  GROUP BY w.cid, w.burst, c.u, c.sk, c.k
  HAVING COUNT(*) >= ${min}
)`;
}

/** The `target` of a `$click` event that has none. */
export const NO_TARGET = '(no target)';

/**
 * CTEs (after `sessionEventsSql`'s `session_events`) ending in
 * `friction_rows(type, u, sk, k, n)`:
 * - `rage`: per session and click `target`, n = rage-click bursts;
 * - `thrash`: per session and event name, n = thrashing bursts;
 * - `error`: per session and raw `properties.message` (NULL when absent),
 *   n = `$error` events; repeats are found after normalizing the messages
 *   (see `frictionSignals`), which SQL cannot do.
 *
 * Rage clicks: `$click` events on one `target` (missing: `(no target)`),
 * positioned by their numeric `x` and `y` properties; a click without both
 * is compared by time only. Distance is PostHog's, `|dx| + |dy|`.
 * Thrashing: any event but `$click` and `$error`, which have signals of
 * their own.
 */
export function frictionRowsSql(ctx: QueryContext, rules: FrictionRules, params: SqlParams): string {
  const d = ctx.dialect;
  Object.assign(params, {
    $clickName: '$click',
    $errorName: '$error',
    $notThrashing: JSON.stringify(NOT_THRASHING),
    $targetPath: d.propertyPath('target'),
    $xPath: d.propertyPath('x'),
    $yPath: d.propertyPath('y'),
    $messagePath: d.propertyPath('message'),
    $noTarget: NO_TARGET,
    $rageMs: rules.rageClicks.windowMs,
    $rageMin: rules.rageClicks.clicks,
    $ragePx: rules.rageClicks.pixels,
    $thrashMs: rules.thrashing.windowMs,
    $thrashMin: rules.thrashing.count,
  });
  const position = {
    x: `CAST(${d.propertyText('e.properties', '$xPath')} AS REAL)`,
    y: `CAST(${d.propertyText('e.properties', '$yPath')} AS REAL)`,
  };
  return `
friction_clicks AS (
  SELECT s.u AS u, s.sk AS sk, s.seq AS seq, s.ts AS ts,
         COALESCE(${d.propertyText('e.properties', '$targetPath')}, $noTarget) AS k
  FROM session_events AS s JOIN events AS e ON e.seq = s.seq
  WHERE s.name_id = ${nameId('$clickName')}
),
friction_repeatable AS (
  SELECT u, sk, seq, ts, name_id AS k FROM session_events
  WHERE name_id NOT IN (SELECT id FROM event_names WHERE name IN ${d.valuesTable('$notThrashing')})
),${burstsSql('rage', 'friction_clicks', position)},${burstsSql('thrash', 'friction_repeatable', null)},
friction_rows AS (
  SELECT 'rage' AS type, u, sk, k, COUNT(*) AS n FROM rage_bursts GROUP BY u, sk, k
  UNION ALL
  SELECT 'thrash', b.u, b.sk, n.name, COUNT(*) FROM thrash_bursts AS b JOIN event_names AS n ON n.id = b.k GROUP BY b.u, b.sk, n.name
  UNION ALL
  SELECT 'error', u, sk, k, COUNT(*) FROM (
    SELECT s.u AS u, s.sk AS sk, ${d.propertyText('e.properties', '$messagePath')} AS k
    FROM session_events AS s JOIN events AS e ON e.seq = s.seq
    WHERE s.name_id = ${nameId('$errorName')}
  ) GROUP BY u, sk, k
)`;
}

export type FrictionSignalType = 'rageClick' | 'repeatedError' | 'thrashing';

/** One session's signals of one type and key. */
export interface FrictionSignal {
  type: FrictionSignalType;
  /** Internal user id. */
  user: number;
  /** Session key, unique per user. */
  session: SessionKey;
  /** Click target, normalized error message, or event name. */
  key: string;
  /** Bursts (rage clicks, thrashing); 1 for a repeated error: the session repeated that message. */
  count: number;
}

/**
 * The signals in rows of `friction_rows` (type, u, sk, k, n). A repeated
 * error is a session with `repeatedErrors.count` or more `$error` events
 * whose messages normalize to the same text; it counts once per session,
 * however many times the message came back.
 */
export function frictionSignals(rows: readonly SqlValue[][], rules: FrictionRules): FrictionSignal[] {
  const signals: FrictionSignal[] = [];
  const normalizer = new MessageNormalizer();
  const errors = new Map<string, { user: number; session: SessionKey; key: string; count: number }>();
  for (const [type, u, sk, k, n] of rows) {
    const user = Number(u);
    const session = sk as SessionKey;
    if (type === 'error') {
      const key = normalizer.normalize(k === null ? null : String(k));
      const id = JSON.stringify([user, session, key]);
      const entry = errors.get(id) ?? { user, session, key, count: 0 };
      entry.count += Number(n);
      errors.set(id, entry);
    } else {
      signals.push({ type: type === 'rage' ? 'rageClick' : 'thrashing', user, session, key: String(k), count: Number(n) });
    }
  }
  for (const entry of errors.values()) {
    if (entry.count >= rules.repeatedErrors.count) signals.push({ ...entry, type: 'repeatedError', count: 1 });
  }
  return signals;
}
