import { isDefaultFrictionRules, type FrictionRules, type FrictionSignalType } from '../metrics/friction-signals.ts';
import type { QueryContext } from '../query/context.ts';
import type { SqlParams, SqlValue } from '../sql/executor.ts';
import { SessionBuilder, type SessionEvent, type SessionFacts } from './build-sessions.ts';
import { sessionEvent, sessionEventColumns } from './session-event-rows.ts';
import { isDefaultSessionOptions, type SessionOptions } from './session-options.ts';

/** What a kind asks of its sessions besides their times and counts. */
export interface SessionNeeds {
  /** Each session's event names in order (paths, segments). */
  names?: boolean;
  /** Each session's friction signals under these rules (friction, segments). */
  rules?: FrictionRules;
  /** Each session's events' ingestion numbers (segments' funnel): only sessions built from the events have them. */
  seqs?: boolean;
  /** Sessions by user, then start; otherwise in any order. */
  byUser?: boolean;
}

/**
 * Whether the sessions kept at ingest answer: the store keeps them, the
 * query uses the default session options (whatever its time zone: without
 * `splitAtMidnight` a session does not depend on one) and, where signals
 * are asked for, the default friction rules; the query sees every event;
 * and it needs nothing that is not kept (the events of each session).
 */
function keptAnswer(ctx: QueryContext, options: Required<SessionOptions>, needs: SessionNeeds): boolean {
  return ctx.keptSessions && !ctx.filtered && !needs.seqs && isDefaultSessionOptions(options) && (needs.rules === undefined || isDefaultFrictionRules(needs.rules));
}

/**
 * The query's sessions (METRICS.md section 3): those whose first event
 * lies in `[from, to]`, each whole, built from all of its user's events;
 * with `byUser`, ordered by user, then start (then the order of their first
 * events).
 * From the kept sessions where they answer, else built from the events.
 */
export function querySessions(ctx: QueryContext, options: Required<SessionOptions>, from: number, to: number, needs: SessionNeeds = {}): SessionFacts[] {
  return keptAnswer(ctx, options, needs) ? keptSessions(ctx, from, to, needs) : builtSessions(ctx, options, from, to, needs);
}

function keptSessions(ctx: QueryContext, from: number, to: number, needs: SessionNeeds): SessionFacts[] {
  const names = needs.names ? 'names' : 'NULL';
  const signals = needs.rules ? 'signals' : 'NULL';
  const rows = ctx.sql.rows(
    `SELECT user_id, sid, start_ts, first_seq, end_ts, events, errors, ${names}, ${signals} FROM sessions
WHERE start_ts >= $from AND start_ts <= $to${needs.byUser ? ' ORDER BY user_id, start_ts, first_seq' : ''}`,
    { $from: from, $to: to },
  );
  return rows.map(([user, sid, start, firstSeq, end, events, errors, nameIds, signalList]) => ({
    user: Number(user),
    sid: sid === null ? null : Number(sid),
    start: Number(start),
    firstSeq: Number(firstSeq),
    end: Number(end),
    events: Number(events),
    errors: Number(errors),
    names: needs.names ? (JSON.parse(String(nameIds)) as number[]) : [],
    signals:
      signalList === null
        ? []
        : (JSON.parse(String(signalList)) as [FrictionSignalType, string, number][]).map(([type, key, count]) => ({ type, key, count })),
  }));
}

/**
 * Builds the sessions of every user with an event in `[from, to]` from all
 * of that user's events (with a `where`, only the matching ones: the query
 * sees no others, METRICS.md section 2, so a `where` can split a session
 * whose middle it leaves out) (a session starting in the range may continue after
 * `to`, and whether one starts there depends on the events before `from`),
 * and keeps those that start in the range.
 */
function builtSessions(ctx: QueryContext, options: Required<SessionOptions>, from: number, to: number, needs: SessionNeeds): SessionFacts[] {
  const params: SqlParams = { $from: from, $to: to };
  const rows = ctx.sql.rows(
    `SELECT ${sessionEventColumns(ctx.dialect, params)} FROM events AS e
WHERE e.user_id IN (SELECT user_id FROM events WHERE ts >= $from AND ts <= $to)
ORDER BY e.user_id, e.ts, e.seq`,
    params,
  );
  const names = new Map<number, string>();
  for (const [id, name] of ctx.sql.rows('SELECT id, name FROM event_names')) names.set(Number(id), String(name));
  const builder = new SessionBuilder(options, ctx.calendar.timezone, needs.rules ?? null, needs.seqs ?? false);
  const sessions: SessionFacts[] = [];
  let first = 0;
  while (first < rows.length) {
    const user = rows[first]![0] as SqlValue;
    let stop = first;
    const events: SessionEvent[] = [];
    while (stop < rows.length && rows[stop]![0] === user) events.push(sessionEvent(rows[stop++]!, names));
    first = stop;
    for (const session of builder.build(Number(user), events)) if (session.start >= from && session.start <= to) sessions.push(session);
  }
  if (!needs.names) for (const session of sessions) session.names = [];
  return sessions;
}
