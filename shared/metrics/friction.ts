import { rejectUnknownFields, type SpecObject } from '../query/fields.ts';
import { COMMON_FIELDS, type QueryContext } from '../query/context.ts';
import { RANGE_FIELDS, resolveRange, type QueryRange, type RangeFields } from '../query/range.ts';
import { Suppressor } from '../privacy/suppress.ts';
import type { SessionFacts } from '../sessions/build-sessions.ts';
import { querySessions } from '../sessions/query-sessions.ts';
import { readSessionOptions, SESSION_FIELDS, type SessionOptions } from '../sessions/session-options.ts';
import type { Calendar } from '../time/periods.ts';
import { FRICTION_FIELDS, readFrictionRules, type FrictionOptions, type FrictionRules, type FrictionSignalType } from './friction-signals.ts';

/**
 * `{ kind: 'friction' }`: rage clicks, repeated errors and thrashing in the
 * sessions whose first event lies in `[from, to]`, each whole (METRICS.md
 * section 12). Every signal is found inside one session (section 3, with
 * the session options below):
 * - a rage click is a burst of `rageClicks.clicks` (3) or more `$click`
 *   events on one `target`, each at most `rageClicks.seconds` (1) after the
 *   burst's first click and at most `rageClicks.pixels` (30) from it, as
 *   `|dx| + |dy|` (PostHog's distance); a click that does not fit starts
 *   the next burst;
 * - a repeated error is a session with `repeatedErrors.count` (3) or more
 *   `$error` events of one normalized message (see the `errors` kind);
 * - thrashing is a burst of `thrashing.count` (5) or more events of one
 *   name (any but `$click` and `$error`), each at most `thrashing.seconds`
 *   (60) after the burst's first.
 */
export interface FrictionQuery extends SessionOptions, FrictionOptions, RangeFields {
  kind: 'friction';
}

/**
 * Each list holds every target / message / event with at least one signal,
 * most signals first (then most users, then by name). `users` = distinct
 * users with such a signal, null when suppressed (METRICS.md section 15).
 */
export interface FrictionResult {
  /** `count` = rage-click bursts (a burst of 6 clicks is one). */
  rageClicks: { target: string; count: number; users: number | null }[];
  /** `count` = sessions that repeated the message (not occurrences). */
  repeatedErrors: { message: string; count: number; users: number | null }[];
  /** `count` = thrashing bursts. */
  thrashing: { event: string; count: number; users: number | null }[];
  suppressed?: true;
}

const FIELDS = [...COMMON_FIELDS, ...RANGE_FIELDS, ...SESSION_FIELDS, ...FRICTION_FIELDS];

/** What a friction spec asks, checked (a bad field throws a SpecError naming it): for SQLite and the ClickHouse backend alike. */
export interface FrictionPlan {
  rules: FrictionRules;
  options: Required<SessionOptions>;
  range: QueryRange;
}

/** Checks a friction spec as both engines do (unknown fields, thresholds, session options, range), in this order, so both refuse a bad spec naming the same field. */
export function readFrictionSpec(spec: SpecObject, calendar: Calendar, now: number): FrictionPlan {
  rejectUnknownFields(spec, FIELDS);
  const rules = readFrictionRules(spec);
  const options = readSessionOptions(spec);
  return { rules, options, range: resolveRange(spec, calendar, now) };
}

/** The signals of one type and key summed over the query's sessions; `users` = distinct users with one. */
export interface FrictionTally {
  type: FrictionSignalType;
  key: string;
  count: number;
  users: number;
}

/** Signals summed per type and key over the sessions; there is at most one signal per session, type and key. */
function tally(sessions: readonly SessionFacts[]): FrictionTally[] {
  const byKey = new Map<string, { tally: FrictionTally; users: Set<number> }>();
  for (const session of sessions) {
    for (const signal of session.signals) {
      const id = `${signal.type}\u0000${signal.key}`;
      const entry = byKey.get(id) ?? { tally: { type: signal.type, key: signal.key, count: 0, users: 0 }, users: new Set<number>() };
      entry.tally.count += signal.count;
      entry.users.add(session.user);
      byKey.set(id, entry);
    }
  }
  return [...byKey.values()].map(({ tally, users }) => ({ ...tally, users: users.size }));
}

/**
 * The result from the tallies (in any order): each type's list most
 * frequent first (then most users, then by key), users suppressed below
 * `minGroupSize` (METRICS.md section 15).
 */
export function frictionResult(tallies: readonly FrictionTally[], minGroupSize: number): FrictionResult {
  const suppressor = new Suppressor(minGroupSize);
  const rowsOf = (type: FrictionSignalType) =>
    tallies
      .filter((entry) => entry.type === type)
      .sort((a, b) => b.count - a.count || b.users - a.users || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((entry) => ({ key: entry.key, count: entry.count, users: suppressor.users(entry.users) }));
  return suppressor.finish({
    rageClicks: rowsOf('rageClick').map(({ key, count, users }) => ({ target: key, count, users })),
    repeatedErrors: rowsOf('repeatedError').map(({ key, count, users }) => ({ message: key, count, users })),
    thrashing: rowsOf('thrashing').map(({ key, count, users }) => ({ event: key, count, users })),
  });
}

export function frictionQuery(spec: SpecObject, ctx: QueryContext): FrictionResult {
  const { rules, options, range } = readFrictionSpec(spec, ctx.calendar, ctx.now);
  const sessions = querySessions(ctx, options, range.from, range.to, { rules });
  return frictionResult(tally(sessions), ctx.minGroupSize);
}
