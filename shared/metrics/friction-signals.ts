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

/**
 * The CTE `${name}_paired(u, sk, k, seq, ts)`: the events of `${source}(u,
 * sk, seq, ts, k)` that have another of the same key and session at most
 * `$${name}Ms` before or after them. Only those can be in a burst of two or
 * more (an event with no such neighbour is a burst of its own, which no
 * rule counts, and starts nothing for the events after it), so this one
 * window pass drops most events before the bursts are walked.
 */
function pairedSql(name: string, source: string): string {
  const windowMs = `$${name}Ms`;
  return `
${name}_paired AS (
  SELECT u, sk, k, seq, ts FROM (
    SELECT u, sk, k, seq, ts, ts - LAG(ts) OVER w AS since, LEAD(ts) OVER w - ts AS until
    FROM ${source}
    WINDOW w AS (PARTITION BY u, sk, k ORDER BY ts, seq)
  ) WHERE since <= ${windowMs} OR until <= ${windowMs}
)`;
}

/** The `target` of a `$click` event that has none. */
export const NO_TARGET = '(no target)';

/**
 * CTEs (after `sessionEventsSql`'s `session_events`) ending in
 * `friction_rows(type, u, sk, k, n, ts, seq, x, y)`:
 * - `rage`: each click that may be in a rage-click burst (see `pairedSql`),
 *   k its `target`, with its time, ingestion order and position;
 * - `thrash`: the same for thrashing, k the event name;
 * - `error`: per session and raw `properties.message` (NULL when absent),
 *   n = `$error` events.
 * `frictionSignals` walks the bursts and normalizes the messages, which SQL
 * cannot do (no regular expressions).
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
    $thrashMs: rules.thrashing.windowMs,
  });
  const position = (axis: '$xPath' | '$yPath') => `CAST(${d.propertyText('e.properties', axis)} AS REAL)`;
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
),${pairedSql('rage', 'friction_clicks')},${pairedSql('thrash', 'friction_repeatable')},
friction_rows AS (
  SELECT 'rage' AS type, r.u AS u, r.sk AS sk, r.k AS k, NULL AS n, r.ts AS ts, r.seq AS seq, ${position('$xPath')} AS x, ${position('$yPath')} AS y
  FROM rage_paired AS r JOIN events AS e ON e.seq = r.seq
  UNION ALL
  SELECT 'thrash', t.u, t.sk, n.name, NULL, t.ts, t.seq, NULL, NULL FROM thrash_paired AS t JOIN event_names AS n ON n.id = t.k
  UNION ALL
  SELECT 'error', u, sk, k, COUNT(*), NULL, NULL, NULL, NULL FROM (
    SELECT s.u AS u, s.sk AS sk, ${d.propertyText('e.properties', '$messagePath')} AS k
    FROM session_events AS s JOIN events AS e ON e.seq = s.seq
    WHERE s.name_id = ${nameId('$errorName')}
  ) GROUP BY u, sk, k
)`;
}

/** One event that may be in a burst: its time, ingestion order and position (null when it has none). */
interface BurstEvent {
  ts: number;
  seq: number;
  x: number | null;
  y: number | null;
}

/**
 * The bursts of one key in one session (events in any order) with at least
 * `min` events: the first event anchors a burst, each later one joins it
 * when at most `windowMs` after the anchor (and, with `pixels`, at most that
 * far from it as `|dx| + |dy|`, unless either has no position), and an
 * event that does not fit anchors the next burst.
 */
export function countBursts(events: BurstEvent[], min: number, windowMs: number, pixels: number | null): number {
  events.sort((a, b) => a.ts - b.ts || a.seq - b.seq);
  let bursts = 0;
  let anchor: BurstEvent | null = null;
  let size = 0;
  for (const event of events) {
    const near =
      pixels === null || anchor === null || event.x === null || event.y === null || anchor.x === null || anchor.y === null
        ? true
        : Math.abs(event.x - anchor.x) + Math.abs(event.y - anchor.y) <= pixels;
    if (anchor !== null && event.ts - anchor.ts <= windowMs && near) {
      size++;
      continue;
    }
    if (size >= min) bursts++;
    anchor = event;
    size = 1;
  }
  return size >= min ? bursts + 1 : bursts;
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
 * The signals in rows of `friction_rows` (type, u, sk, k, n, ts, seq, x, y).
 * A repeated error is a session with `repeatedErrors.count` or more `$error`
 * events whose messages normalize to the same text; it counts once per
 * session, however many times the message came back.
 */
export function frictionSignals(rows: readonly SqlValue[][], rules: FrictionRules): FrictionSignal[] {
  const signals: FrictionSignal[] = [];
  const normalizer = new MessageNormalizer();
  const errors = new Map<string, { user: number; session: SessionKey; key: string; count: number }>();
  const bursts = new Map<string, { type: 'rageClick' | 'thrashing'; user: number; session: SessionKey; key: string; events: BurstEvent[] }>();
  for (const [type, u, sk, k, n, ts, seq, x, y] of rows) {
    const user = Number(u);
    const session = sk as SessionKey;
    if (type === 'error') {
      const key = normalizer.normalize(k === null ? null : String(k));
      const id = JSON.stringify([user, session, key]);
      const entry = errors.get(id) ?? { user, session, key, count: 0 };
      entry.count += Number(n);
      errors.set(id, entry);
    } else {
      const key = String(k);
      const id = JSON.stringify([type, user, session, key]);
      let entry = bursts.get(id);
      if (!entry) bursts.set(id, (entry = { type: type === 'rage' ? 'rageClick' : 'thrashing', user, session, key, events: [] }));
      entry.events.push({ ts: Number(ts), seq: Number(seq), x: x === null ? null : Number(x), y: y === null ? null : Number(y) });
    }
  }
  for (const { type, user, session, key, events } of bursts.values()) {
    const count =
      type === 'rageClick'
        ? countBursts(events, rules.rageClicks.clicks, rules.rageClicks.windowMs, rules.rageClicks.pixels)
        : countBursts(events, rules.thrashing.count, rules.thrashing.windowMs, null);
    if (count > 0) signals.push({ type, user, session, key, count });
  }
  for (const entry of errors.values()) {
    if (entry.count >= rules.repeatedErrors.count) signals.push({ ...entry, type: 'repeatedError', count: 1 });
  }
  return signals;
}
