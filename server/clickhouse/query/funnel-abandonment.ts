import type { FunnelAbandonmentRules } from '../../../shared/metrics/funnel-abandonment.ts';
import type { MatchRules } from '../../../shared/metrics/funnel-match.ts';
import { countedAttemptSql } from './funnel-match.ts';
import type { Bindings } from './params.ts';

/**
 * Funnel abandonments for the `segments` kind's `struggling` rule, as the
 * core's `abandonmentsByUser` (shared/metrics/funnel-abandonment.ts) defines
 * them: a derived table `(u, most)`, per user the most of the query's
 * sessions that abandoned the funnel at one same step; users without an
 * abandonment are left out.
 *
 * Per user, the range's events of the funnel's names become sorted arrays
 * (timestamp, then ingestion order) with step masks and the session holding
 * each event (`sessionEvents`, named by `(sid, start)`; none for an event of
 * a session begun before `from`). Per session with a step-1 event, the
 * counted attempt among those starting at its step-1 events is matched by
 * the `funnel` kind's own SQL (`countedAttemptSql`, order `ordered`, later
 * steps in any event of the range within the window); the session abandons
 * at the step it reaches when that is not the last.
 *
 * `sessionEvents` is `sessionEventsTable(...)` (sessions-sql.ts) over
 * `events`, the query's events (`projectEvents`), for the same range.
 */
export function funnelAbandonmentsTable(sessionEvents: string, events: string, rules: FunnelAbandonmentRules, from: number, to: number, bind: Bindings): string {
  const match: MatchRules = { stepCount: rules.steps.length, order: 'ordered', windowMs: rules.windowMs, stepWindowsMs: rules.steps.map(() => null), exclusions: [] };
  const mask = `(${rules.steps.map((step, i) => `if(event = ${bind.bind(step, 'String')}, toUInt64(${2 ** i}), toUInt64(0))`).join(' + ')})`;
  const funnelEvents = `SELECT user_id, uuid, ts, seq, ${mask} AS step_mask FROM ${events}
    WHERE ts >= ${bind.bind(from, 'Int64')} AND ts <= ${bind.bind(to, 'Int64')} AND event IN ${bind.bind([...new Set(rules.steps)], 'Array(String)')}`;
  // An event's session, found by the event itself; LEFT JOIN leaves `labelled` 0 for an event in none.
  const labels = `SELECT user_id, uuid, ts, toUInt8(1) AS labelled, sid, start FROM ${sessionEvents}`;
  const perUser = `SELECT user_id, arraySort(v -> (v.1, v.2), groupArray((e.ts, e.seq, e.step_mask, l.labelled, (l.sid, l.start)))) AS ev
  FROM (${funnelEvents}) AS e LEFT JOIN (${labels}) AS l ON e.user_id = l.user_id AND e.uuid = l.uuid AND e.ts = l.ts
  GROUP BY user_id`;
  // Attempts start only in the session at hand; their later steps may be any event of the range.
  const counted = countedAttemptSql({ t: 'ft', m: 'fm', x: '' }, match, { startsWhere: (s) => `fl[${s}] = 1 AND fk[${s}] = session` }, bind);
  const steps = bind.bind(rules.steps.length, 'UInt64');
  return `(SELECT u, most FROM (
  SELECT user_id AS u, arrayFilter(r -> r > 0 AND r < ${steps}, arrayMap(session -> length(${counted}), sessions)) AS abandoned,
    toUInt64(arrayMax(arrayMap(r -> countEqual(abandoned, r), arrayPushBack(abandoned, toUInt64(0))))) AS most
  FROM (SELECT user_id, ft, fm, fl, fk, arrayDistinct(arrayFilter((k, l, m) -> l = 1 AND bitTest(m, 0), fk, fl, fm)) AS sessions
    FROM (SELECT user_id, arrayMap(v -> v.1, ev) AS ft, arrayMap(v -> v.3, ev) AS fm, arrayMap(v -> v.4, ev) AS fl, arrayMap(v -> v.5, ev) AS fk FROM (${perUser})))
) WHERE most > 0)`;
}
