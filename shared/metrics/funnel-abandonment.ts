import { SpecError, quote } from '../errors.ts';
import type { SpecObject } from '../query/fields.ts';
import { nameId, type QueryContext } from '../query/context.ts';
import type { SqlParams, SqlValue } from '../sql/executor.ts';
import { countedAttempt, type MatchRules, type UserEvents } from './funnel-match.ts';
import { MAX_STEPS } from './funnel-steps.ts';
import { DEFAULT_WINDOW, readWindow, windowMs, type FunnelWindowSpec } from './funnel-window.ts';

/**
 * Funnel abandonments for the `segments` kind's `struggling` rule, matched
 * exactly as the `funnel` kind matches attempts (METRICS.md section 8,
 * order `ordered`), so the two kinds agree on what reaching a step means.
 *
 * A session abandons the funnel at step k (1-based) when the attempt that
 * counts among those starting in it (a step-1 event of the session; the
 * furthest, the earliest on a tie) reaches step k but not step k + 1, the
 * later steps at most `window` after the step-1 event and inside the
 * query's range (they may fall in later sessions). Sessions are counted,
 * not attempts, so two step-1 events of one visit are one abandonment. As
 * in PostHog's and the `funnel` kind's drop-off, an attempt whose window is
 * still open at the end of the range counts as stopped where it is.
 */
export interface FunnelAbandonmentOptions {
  /** 2 to 20 event names, in order. */
  funnel?: string[];
  /** The funnel's window; default 14 days, as in the `funnel` kind. */
  funnelWindow?: FunnelWindowSpec;
}

export const FUNNEL_ABANDONMENT_FIELDS = ['funnel', 'funnelWindow'] as const;

export interface FunnelAbandonmentRules {
  steps: string[];
  windowMs: number;
}

/** Reads `funnel` and `funnelWindow`; null without a funnel (a window alone is an error). */
export function readFunnelAbandonment(spec: SpecObject): FunnelAbandonmentRules | null {
  const raw = spec.funnel;
  if (raw === undefined || raw === null) {
    if (spec.funnelWindow !== undefined && spec.funnelWindow !== null) throw new SpecError('funnelWindow', 'needs funnel steps');
    return null;
  }
  if (!Array.isArray(raw) || raw.length < 2 || raw.length > MAX_STEPS) {
    throw new SpecError('funnel', `must be an array of 2 to ${MAX_STEPS} event names, got ${quote(raw)}`);
  }
  const steps = raw.map((step: unknown, i) => {
    if (typeof step !== 'string' || step.length === 0 || step.length > 200) {
      throw new SpecError(`funnel[${i}]`, `must be an event name of 1..200 characters, got ${quote(step)}`);
    }
    return step;
  });
  const window = spec.funnelWindow === undefined || spec.funnelWindow === null ? DEFAULT_WINDOW : readWindow(spec.funnelWindow, 'funnelWindow');
  return { steps, windowMs: windowMs(window) };
}

/**
 * A SELECT (over the range `[$from, $to]`) of rows `(u, ts, seq, steps)`:
 * the range's events of the funnel's names, with a bit mask of the steps
 * the event is. The caller sorts them by (u, ts, seq).
 */
export function funnelEventsSql(rules: FunnelAbandonmentRules, ctx: QueryContext, params: SqlParams): string {
  params.$funnelNames = JSON.stringify([...new Set(rules.steps)]);
  const mask = rules.steps
    .map((step, i) => {
      params[`$funnelStep${i}`] = step;
      return `CASE WHEN e.name_id = ${nameId(`$funnelStep${i}`)} THEN ${2 ** i} ELSE 0 END`;
    })
    .join(' + ');
  return `SELECT e.user_id AS u, e.ts AS ts, e.seq AS seq, ${mask} AS steps
FROM events AS e
WHERE e.ts >= $from AND e.ts <= $to AND e.name_id IN (SELECT id FROM event_names WHERE name IN ${ctx.dialect.valuesTable('$funnelNames')})`;
}

/**
 * Per user, the most sessions that abandoned the funnel at one same step,
 * from rows of `funnelEventsSql` (`u, sk, ts, seq, steps`, sorted by user
 * and event order). Users without an abandonment are left out. In
 * JavaScript, with the `funnel` kind's own matcher, so that both kinds
 * match attempts in one way.
 */
export function abandonmentsByUser(rows: readonly SqlValue[][], rules: FunnelAbandonmentRules): Map<number, number> {
  const match: MatchRules = { stepCount: rules.steps.length, order: 'ordered', windowMs: rules.windowMs, stepWindowsMs: rules.steps.map(() => null), exclusions: [] };
  const result = new Map<number, number>();
  let start = 0;
  while (start < rows.length) {
    const user = Number(rows[start]![0]);
    let end = start;
    while (end < rows.length && Number(rows[end]![0]) === user) end++;
    const userRows = rows.slice(start, end);
    start = end;
    const events: UserEvents = {
      ts: userRows.map((row) => Number(row[2])),
      seq: userRows.map((row) => Number(row[3])),
      next: userRows.map(() => -1),
      steps: userRows.map((row) => Number(row[4])),
      exclusions: userRows.map(() => 0),
    };
    // Attempts start only in the session at hand: step 1's bit is kept on its events alone.
    const sessions = new Set(userRows.filter((row) => row[1] !== null && (Number(row[4]) & 1) === 1).map((row) => row[1]));
    const byStep = new Map<number, number>();
    for (const session of sessions) {
      const steps = events.steps.map((mask, i) => (userRows[i]![1] === session ? mask : mask & ~1));
      const reached = countedAttempt({ ...events, steps }, match)?.length ?? 0;
      if (reached > 0 && reached < rules.steps.length) byStep.set(reached, (byStep.get(reached) ?? 0) + 1);
    }
    if (byStep.size > 0) result.set(user, Math.max(...byStep.values()));
  }
  return result;
}
