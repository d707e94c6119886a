import { rejectUnknownFields, type SpecObject } from '../query/fields.ts';
import { COMMON_FIELDS, type QueryContext } from '../query/context.ts';
import { RANGE_FIELDS, resolveRange, type RangeFields } from '../query/range.ts';
import { Suppressor } from '../privacy/suppress.ts';
import type { SqlParams } from '../sql/executor.ts';
import {
  FRICTION_FIELDS,
  frictionRowsSql,
  frictionSignals,
  readFrictionRules,
  type FrictionOptions,
  type FrictionSignal,
  type FrictionSignalType,
} from './friction-signals.ts';
import { readSessionOptions, sessionEventsSql, SESSION_FIELDS, type SessionOptions } from './session-events.ts';

/**
 * `{ kind: 'friction' }`: rage clicks, repeated errors and thrashing in the
 * sessions of `[from, to]` (METRICS.md section 12). Every signal is found
 * inside one session (section 3, with the session options below):
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
 * Signals of one type summed per key, most frequent first. Tallied here,
 * not in SQL, because repeated errors are only known once their messages
 * are normalized, which SQLite cannot do (no regular expressions); there
 * is at most one signal per session, type and key.
 */
function tally(signals: readonly FrictionSignal[], type: FrictionSignalType): Tally[] {
  const byKey = new Map<string, Tally>();
  for (const signal of signals) {
    if (signal.type !== type) continue;
    const entry = byKey.get(signal.key) ?? { key: signal.key, count: 0, users: new Set<number>() };
    entry.count += signal.count;
    entry.users.add(signal.user);
    byKey.set(signal.key, entry);
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
  const params: SqlParams = {};
  const rows = ctx.sql.rows(
    `WITH ${sessionEventsSql(ctx, options, range.from, range.to, params)},${frictionRowsSql(ctx, rules, params)}
SELECT type, u, sk, k, n, ts, seq, x, y FROM friction_rows`,
    params,
  );
  const signals = frictionSignals(rows, rules);
  const suppressor = new Suppressor(ctx.minGroupSize);
  const rowsOf = (type: FrictionSignalType) =>
    tally(signals, type).map((entry) => ({ key: entry.key, count: entry.count, users: suppressor.users(entry.users.size) }));
  return suppressor.finish({
    rageClicks: rowsOf('rageClick').map(({ key, count, users }) => ({ target: key, count, users })),
    repeatedErrors: rowsOf('repeatedError').map(({ key, count, users }) => ({ message: key, count, users })),
    thrashing: rowsOf('thrashing').map(({ key, count, users }) => ({ event: key, count, users })),
  });
}
