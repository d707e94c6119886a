import { rejectUnknownFields, type SpecObject } from '../query/fields.ts';
import { COMMON_FIELDS, type QueryContext } from '../query/context.ts';
import { RANGE_FIELDS, resolveRange, type RangeFields } from '../query/range.ts';
import { Suppressor } from '../privacy/suppress.ts';
import type { SessionFacts } from '../sessions/build-sessions.ts';
import { querySessions } from '../sessions/query-sessions.ts';
import { readSessionOptions, SESSION_FIELDS, type SessionOptions } from '../sessions/session-options.ts';
import { FRICTION_FIELDS, readFrictionRules, type FrictionOptions, type FrictionSignalType } from './friction-signals.ts';

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

interface Tally {
  key: string;
  count: number;
  users: Set<number>;
}

/**
 * Signals of one type summed per key over the sessions, most frequent first
 * (then most users, then by key); there is at most one signal per session,
 * type and key.
 */
function tally(sessions: readonly SessionFacts[], type: FrictionSignalType): Tally[] {
  const byKey = new Map<string, Tally>();
  for (const session of sessions) {
    for (const signal of session.signals) {
      if (signal.type !== type) continue;
      const entry = byKey.get(signal.key) ?? { key: signal.key, count: 0, users: new Set<number>() };
      entry.count += signal.count;
      entry.users.add(session.user);
      byKey.set(signal.key, entry);
    }
  }
  return [...byKey.values()].sort(
    (a, b) => b.count - a.count || b.users.size - a.users.size || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

export function frictionQuery(spec: SpecObject, ctx: QueryContext): FrictionResult {
  rejectUnknownFields(spec, FIELDS);
  const rules = readFrictionRules(spec);
  const options = readSessionOptions(spec);
  const range = resolveRange(spec, ctx.calendar, ctx.now);
  const sessions = querySessions(ctx, options, range.from, range.to, { rules });
  const suppressor = new Suppressor(ctx.minGroupSize);
  const rowsOf = (type: FrictionSignalType) =>
    tally(sessions, type).map((entry) => ({ key: entry.key, count: entry.count, users: suppressor.users(entry.users.size) }));
  return suppressor.finish({
    rageClicks: rowsOf('rageClick').map(({ key, count, users }) => ({ target: key, count, users })),
    repeatedErrors: rowsOf('repeatedError').map(({ key, count, users }) => ({ message: key, count, users })),
    thrashing: rowsOf('thrashing').map(({ key, count, users }) => ({ event: key, count, users })),
  });
}
