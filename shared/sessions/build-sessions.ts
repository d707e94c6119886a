import { MessageNormalizer } from '../metrics/error-message.ts';
import { sessionSignals, type FrictionEvent, type FrictionRules, type FrictionSignal } from '../metrics/friction-signals.ts';
import { DayIndex } from '../time/day-index.ts';
import type { SessionOptions } from './session-options.ts';

/**
 * One event as sessions are built from it: what names it, what groups it
 * (`sid`, the stored `session_id`, or null), and what friction reads.
 */
export interface SessionEvent extends FrictionEvent {
  /** The id of the event's name in the store's dictionary. */
  nameId: number;
  /** The event's `session_id` as stored: its id in the `session_ids` dictionary; null when it has none. */
  sid: number | null;
}

/**
 * What the session kinds need to know of one session (METRICS.md section 3),
 * the same whether kept at ingest (shared/store/kept-sessions.ts) or built
 * from the events at query time.
 */
export interface SessionFacts {
  /** The user's internal id. */
  user: number;
  /** The `session_id` (its dictionary id) that groups a session built from it; null for a session built by the gap rules. */
  sid: number | null;
  /** Time of the first event (epoch ms): the session belongs to the query whose range holds it. */
  start: number;
  /** Ingestion order of the first event: orders sessions that start at one instant. */
  firstSeq: number;
  /** Time of the last event. */
  end: number;
  /** Events in the session; 1 is a bounce. */
  events: number;
  /** `$error` events in the session. */
  errors: number;
  /** The name id of each event, in order. */
  names: number[];
  /** The session's friction signals under the rules it was built with; empty when none were asked for. */
  signals: FrictionSignal[];
  /** The ingestion order of each of its events, when the builder was asked for it (sessions built at query time only). */
  seqs?: number[];
}

/**
 * Groups one user's events into sessions (METRICS.md section 3), over all of
 * the events it is given: callers give every event of the user from a point
 * where a session starts (the first event ever, or the start of a kept
 * session), so a session comes out the same whatever the query's range.
 *
 * - Events with a `session_id` (`auto`, `property`) are grouped by it and
 *   never split by the rules below: the data's own sessions win, as
 *   PostHog's `$session_id` does.
 * - The other events (all of them with `gap`) start a new session when the
 *   gap since the previous such event is more than `gapMinutes`, when the
 *   session would otherwise last more than `maxMinutes` from its first
 *   event, or with `splitAtMidnight` when the local date changed. With
 *   `property` they belong to no session.
 */
export class SessionBuilder {
  private readonly gapMs: number;
  private readonly capMs: number;
  private readonly days: DayIndex | null;
  private readonly normalizer = new MessageNormalizer();

  constructor(
    private readonly options: Required<SessionOptions>,
    /** The time zone whose dates `splitAtMidnight` compares. */
    timezone: string,
    /** Friction rules to find each session's signals by; null when no signals are wanted. */
    private readonly rules: FrictionRules | null,
    /** Whether each session lists its events' ingestion order (`seqs`); the kept sessions have no use for it. */
    private readonly withSeqs = false,
  ) {
    this.gapMs = options.gapMinutes * 60_000;
    this.capMs = options.maxMinutes * 60_000;
    this.days = options.splitAtMidnight ? new DayIndex(timezone) : null;
  }

  /** The sessions of one user's events, given in order (time, then ingestion order); sessions by their first event. */
  build(user: number, events: readonly SessionEvent[]): SessionFacts[] {
    const source = this.options.sessionSource;
    const members: SessionEvent[][] = [];
    const bySid = new Map<number, SessionEvent[]>();
    let gapSession: SessionEvent[] | null = null;
    let last = 0;
    let lastDay = 0;
    for (const event of events) {
      if (event.sid !== null && source !== 'gap') {
        let session = bySid.get(event.sid);
        if (!session) {
          bySid.set(event.sid, (session = []));
          members.push(session);
        }
        session.push(event);
        continue;
      }
      if (source === 'property') continue;
      const day = this.days ? this.days.startOf(event.ts) : 0;
      if (gapSession === null || event.ts - last > this.gapMs || event.ts - gapSession[0]!.ts > this.capMs || day !== lastDay) {
        members.push((gapSession = []));
      }
      gapSession.push(event);
      last = event.ts;
      lastDay = day;
    }
    return members.map((session) => this.facts(user, session));
  }

  private facts(user: number, session: SessionEvent[]): SessionFacts {
    const first = session[0]!;
    let errors = 0;
    for (const event of session) if (event.name === '$error') errors++;
    return {
      user,
      sid: this.options.sessionSource === 'gap' ? null : first.sid,
      start: first.ts,
      firstSeq: first.seq,
      end: session[session.length - 1]!.ts,
      events: session.length,
      errors,
      names: session.map((event) => event.nameId),
      signals: this.rules ? sessionSignals(session, this.rules, this.normalizer) : [],
      ...(this.withSeqs ? { seqs: session.map((event) => event.seq) } : {}),
    };
  }
}
