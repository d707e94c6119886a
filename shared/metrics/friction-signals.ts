import { optionalInteger, optionalNumber, type SpecObject } from '../query/fields.ts';
import { nestedFields } from '../query/nested-fields.ts';
import type { MessageNormalizer } from './error-message.ts';

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

/** The `target` of a `$click` event that has none. */
export const NO_TARGET = '(no target)';

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
  /** Click target, normalized error message, or event name. */
  key: string;
  /** Bursts (rage clicks, thrashing); 1 for a repeated error: the session repeated that message. */
  count: number;
}

/** What friction detection reads of one event of a session. */
export interface FrictionEvent {
  ts: number;
  seq: number;
  /** The event's name. */
  name: string;
  /** A `$click`'s `target` (`(no target)` when absent); null for other events. */
  target: string | null;
  /** A `$click`'s `x` / `y` as numbers, null when absent. */
  x: number | null;
  y: number | null;
  /** An `$error`'s raw `properties.message`, null when absent. */
  message: string | null;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The signals of one session, from its events in order:
 * - a rage click is a burst of `rageClicks.clicks` or more `$click` events
 *   on one target (see `countBursts`, with the pixel rule);
 * - thrashing is a burst of `thrashing.count` or more events of one name,
 *   any but `$click` and `$error`;
 * - a repeated error is `repeatedErrors.count` or more `$error` events
 *   whose messages normalize to one text; it counts once per session,
 *   however many times the message came back.
 */
export function sessionSignals(events: readonly FrictionEvent[], rules: FrictionRules, normalizer: MessageNormalizer): FrictionSignal[] {
  const clicks = new Map<string, BurstEvent[]>();
  const repeats = new Map<string, BurstEvent[]>();
  const errors = new Map<string, number>();
  for (const e of events) {
    if (e.name === '$click') push(clicks, e.target ?? NO_TARGET, { ts: e.ts, seq: e.seq, x: e.x, y: e.y });
    else if (e.name === '$error') {
      const key = normalizer.normalize(e.message);
      errors.set(key, (errors.get(key) ?? 0) + 1);
    } else push(repeats, e.name, { ts: e.ts, seq: e.seq, x: null, y: null });
  }
  const signals: FrictionSignal[] = [];
  for (const [key, list] of clicks) {
    if (list.length < rules.rageClicks.clicks) continue;
    const count = countBursts(list, rules.rageClicks.clicks, rules.rageClicks.windowMs, rules.rageClicks.pixels);
    if (count > 0) signals.push({ type: 'rageClick', key, count });
  }
  for (const [key, list] of repeats) {
    if (list.length < rules.thrashing.count) continue;
    const count = countBursts(list, rules.thrashing.count, rules.thrashing.windowMs, null);
    if (count > 0) signals.push({ type: 'thrashing', key, count });
  }
  for (const [key, n] of errors) if (n >= rules.repeatedErrors.count) signals.push({ type: 'repeatedError', key, count: 1 });
  return signals;
}

/** The default thresholds, those kept per session at ingest. */
export const DEFAULT_FRICTION_RULES: FrictionRules = readFrictionRules({});

/** Whether `rules` are the defaults, so the signals kept at ingest answer for them. */
export function isDefaultFrictionRules(rules: FrictionRules): boolean {
  return JSON.stringify(rules) === JSON.stringify(DEFAULT_FRICTION_RULES);
}
