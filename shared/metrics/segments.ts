import { SpecError } from '../errors.ts';
import { optionalInteger, rejectUnknownFields, type SpecObject } from '../query/fields.ts';
import { COMMON_FIELDS, inPeriods, periodsParam, rangeSource, type QueryContext } from '../query/context.ts';
import { nestedFields } from '../query/nested-fields.ts';
import { RANGE_FIELDS, resolveRange, type QueryRange, type RangeFields } from '../query/range.ts';
import { Suppressor } from '../privacy/suppress.ts';
import type { SqlParams, SqlValue } from '../sql/executor.ts';
import { periodsEnding, type Calendar, type Period } from '../time/periods.ts';
import { FRICTION_FIELDS, readFrictionRules, type FrictionOptions, type FrictionRules } from './friction-signals.ts';
import {
  abandonmentsByUser,
  FUNNEL_ABANDONMENT_FIELDS,
  funnelEventsSql,
  readFunnelAbandonment,
  type FunnelAbandonmentOptions,
  type FunnelAbandonmentRules,
} from './funnel-abandonment.ts';
import { DEFAULT_SEGMENT_RULES, type SegmentRules } from './segment-rules.ts';
import type { SessionFacts } from '../sessions/build-sessions.ts';
import { querySessions } from '../sessions/query-sessions.ts';
import { readSessionOptions, SESSION_FIELDS, type SessionOptions } from '../sessions/session-options.ts';

/** The labels, in the order they are tried (the first rule a user matches wins) and reported. */
export const SEGMENT_LABELS = ['power', 'struggling', 'exploring', 'casual'] as const;
export type SegmentLabel = (typeof SEGMENT_LABELS)[number];
export type { SegmentRules };

/**
 * `{ kind: 'segments' }`: every user active in `[from, to]` (an event of
 * any name) gets one label, the first rule they match, in this order
 * (METRICS.md section 12):
 * - `power`: active on >= 12 of the last 28 days of the range: the 28
 *   calendar days (query time zone) ending with the day holding `to`, only
 *   the part inside the range counting (the range is read exactly, so a
 *   range shorter than 12 days has no power users);
 * - `struggling`: 2 or more of the query's sessions (those whose first
 *   event lies in `[from, to]`, each whole) with a friction signal (a rage click,
 *   a repeated error or thrashing, as the `friction` kind finds them, with
 *   the same `rageClicks` / `repeatedErrors` / `thrashing` settings), or,
 *   with `funnel` steps, 2 or more sessions that abandoned the funnel at the
 *   same step (see `FunnelAbandonmentOptions`);
 * - `exploring`: 8 or more distinct event names in the user's first 3 of
 *   the query's sessions (by start) and none of them with a friction signal;
 * - `casual`: everyone else.
 *
 * METRICS.md is silent on the details, and neither PostHog nor Mixpanel has
 * these labels, so the readings follow METRICS.md's own rules: "first 3
 * sessions" are the first three of the query's sessions, the sessions that
 * begin in the range (section 3: a session begun before `from` is none of
 * the query's), and active users, the days of `power` and the top events
 * count the events of `[from, to]`, since this kind counts the range
 * exactly (section 2).
 */
export interface SegmentsQuery extends SessionOptions, FrictionOptions, FunnelAbandonmentOptions, RangeFields {
  kind: 'segments';
  rules?: SegmentRules;
}

export interface Segment {
  label: SegmentLabel;
  /** Users with this label; null when suppressed (METRICS.md section 15). */
  users: number | null;
  /**
   * The 5 most frequent event names among these users' events of the range
   * (most events first, then by name). Empty when `users` is suppressed:
   * the events of so few users would describe them.
   */
  topEvents: { event: string; count: number }[];
}

export interface SegmentsResult {
  /** All four labels, always, in the order of `SEGMENT_LABELS`. */
  segments: Segment[];
  suppressed?: true;
}

/** How many events `topEvents` lists per label. */
export const TOP_SEGMENT_EVENTS = 5;

const FIELDS = [...COMMON_FIELDS, ...RANGE_FIELDS, ...SESSION_FIELDS, ...FRICTION_FIELDS, ...FUNNEL_ABANDONMENT_FIELDS, 'rules'];

/** The labelling thresholds of a segments spec, each defaulted (DEFAULT_SEGMENT_RULES). */
export interface SegmentThresholds {
  powerDays: number;
  powerOf: number;
  frictionSessions: number;
  abandonments: number;
  exploringEvents: number;
  exploringSessions: number;
}

function readRules(spec: SpecObject): SegmentThresholds {
  const rules = nestedFields(spec, 'rules', ['power', 'struggling', 'exploring']);
  const power = nestedFields(rules, 'rules.power', ['days', 'of']);
  const struggling = nestedFields(rules, 'rules.struggling', ['sessions', 'abandonments']);
  const exploring = nestedFields(rules, 'rules.exploring', ['events', 'sessions']);
  const thresholds = {
    powerDays: optionalInteger(power, 'rules.power.days', 1, 366) ?? DEFAULT_SEGMENT_RULES.power.days,
    powerOf: optionalInteger(power, 'rules.power.of', 1, 366) ?? DEFAULT_SEGMENT_RULES.power.of,
    frictionSessions: optionalInteger(struggling, 'rules.struggling.sessions', 1, 10_000) ?? DEFAULT_SEGMENT_RULES.struggling.sessions,
    abandonments: optionalInteger(struggling, 'rules.struggling.abandonments', 1, 10_000) ?? DEFAULT_SEGMENT_RULES.struggling.abandonments,
    exploringEvents: optionalInteger(exploring, 'rules.exploring.events', 1, 10_000) ?? DEFAULT_SEGMENT_RULES.exploring.events,
    exploringSessions: optionalInteger(exploring, 'rules.exploring.sessions', 1, 10_000) ?? DEFAULT_SEGMENT_RULES.exploring.sessions,
  };
  if (thresholds.powerDays > thresholds.powerOf) throw new SpecError('rules.power.days', `must not exceed rules.power.of (${thresholds.powerOf})`);
  return thresholds;
}

/**
 * The last `of` days of the range, each cut to the range: a day that starts
 * before `from` starts at `from` (and one that ends before it is left empty).
 */
export function powerDays(range: QueryRange, of: number, calendar: Calendar): Period[] {
  return periodsEnding(range.to, of, 'day', calendar).map((day) => ({ ...day, start: Math.max(day.start, range.from) }));
}

/** `powerDays` as a periods parameter. */
function powerDaysParam(range: QueryRange, of: number, ctx: QueryContext): string {
  return periodsParam(powerDays(range, of, ctx.calendar), range.to);
}

/** What a segments spec asks, checked (a bad field throws a SpecError naming it): for SQLite and the ClickHouse backend alike. */
export interface SegmentsPlan {
  thresholds: SegmentThresholds;
  friction: FrictionRules;
  funnel: FunnelAbandonmentRules | null;
  options: Required<SessionOptions>;
  range: QueryRange;
}

/** Checks a segments spec as both engines do (unknown fields, rules, friction thresholds, funnel, session options, range), in this order, so both refuse a bad spec naming the same field. */
export function readSegmentsSpec(spec: SpecObject, calendar: Calendar, now: number): SegmentsPlan {
  rejectUnknownFields(spec, FIELDS);
  const thresholds = readRules(spec);
  const friction = readFrictionRules(spec);
  const funnel = readFunnelAbandonment(spec);
  const options = readSessionOptions(spec);
  return { thresholds, friction, funnel, options, range: resolveRange(spec, calendar, now) };
}

/**
 * The result from the users of each label and each label's top events (at
 * most TOP_SEGMENT_EVENTS, in order), in the order of SEGMENT_LABELS: a
 * label's users suppressed below `minGroupSize` (METRICS.md section 15),
 * and its top events with them.
 */
export function segmentsResult(
  users: Record<SegmentLabel, number>,
  topEvents: readonly { event: string; count: number }[][],
  minGroupSize: number,
): SegmentsResult {
  const suppressor = new Suppressor(minGroupSize);
  return suppressor.finish({
    segments: SEGMENT_LABELS.map((label, i) => {
      const reported = suppressor.users(users[label]);
      return { label, users: reported, topEvents: reported === null ? [] : topEvents[i]! };
    }),
  });
}

/**
 * Funnel event rows `(u, ts, seq, steps)` as `abandonmentsByUser` reads
 * them, `(u, sk, ts, seq, steps)`: `sk` the index of the query's session
 * holding the event, null when none does (its session began before `from`).
 */
function funnelRowsWithSessions(rows: readonly SqlValue[][], sessions: readonly SessionFacts[]): SqlValue[][] {
  const sessionOf = new Map<number, number>();
  sessions.forEach((session, i) => {
    for (const seq of session.seqs ?? []) sessionOf.set(seq, i);
  });
  return rows.map(([u, ts, seq, steps]) => [u!, sessionOf.get(Number(seq)) ?? null, ts!, seq!, steps!]);
}

export function segmentsQuery(spec: SpecObject, ctx: QueryContext): SegmentsResult {
  const { thresholds, friction, funnel, options, range } = readSegmentsSpec(spec, ctx.calendar, ctx.now);
  const params: SqlParams = {
    $from: range.from,
    $to: range.to,
    $powerDays: powerDaysParam(range, thresholds.powerOf, ctx),
    $powerMin: thresholds.powerDays,
    $exploringSessions: thresholds.exploringSessions,
    $exploringEvents: thresholds.exploringEvents,
  };

  // Active and power users from the range's events, or from the daily
  // counts where they answer for the range (its power days are then whole
  // days too); funnel events (matched as the funnel kind matches them) by
  // user and event order.
  const perUser = rangeSource(ctx, range.from, range.to, false);
  const perName = rangeSource(ctx, range.from, range.to, true);
  const parts = [
    `SELECT 'active', COUNT(DISTINCT e.user_id), NULL, NULL, NULL FROM ${perUser.table} AS e WHERE e.${perUser.time} >= $from AND e.${perUser.time} <= $to`,
    `SELECT 'power', e.user_id, NULL, NULL, NULL
FROM ${inPeriods(ctx.dialect.periodsTable('$powerDays'), perUser)}
GROUP BY e.user_id HAVING COUNT(DISTINCT p.idx) >= $powerMin`,
  ];
  if (funnel) parts.push(`SELECT 'funnel', u, ts, seq, steps FROM (${funnelEventsSql(funnel, ctx, params)})`);
  const rows = ctx.sql.rows(`${parts.join('\nUNION ALL\n')}\nORDER BY 1, 2, 3, 4`, params);
  let active = 0;
  const power = new Set<number>();
  const funnelRows: SqlValue[][] = [];
  for (const [type, u, ts, seq, steps] of rows) {
    if (type === 'active') active = Number(u);
    else if (type === 'power') power.add(Number(u));
    else funnelRows.push([u!, ts!, seq!, steps!]);
  }

  // The query's sessions (section 3), by user and start; with a funnel, each
  // with its events' ingestion numbers, to tell which session a funnel event is in.
  const sessions = querySessions(ctx, options, range.from, range.to, { names: true, rules: friction, seqs: funnel !== null, byUser: true });
  const exploring = new Set<number>();
  const frictionSessions = new Map<number, number>();
  for (let first = 0; first < sessions.length; ) {
    const user = sessions[first]!.user;
    let stop = first;
    const names = new Set<number>();
    while (stop < sessions.length && sessions[stop]!.user === user) {
      const session = sessions[stop]!;
      if (stop - first < thresholds.exploringSessions) for (const name of session.names) names.add(name);
      if (session.signals.length > 0) frictionSessions.set(user, (frictionSessions.get(user) ?? 0) + 1);
      stop++;
    }
    if (names.size >= thresholds.exploringEvents) exploring.add(user);
    first = stop;
  }
  const abandonments = funnel ? abandonmentsByUser(funnelRowsWithSessions(funnelRows, sessions), funnel) : new Map<number, number>();

  // Labels are given here rather than in SQL: a repeated error needs its
  // messages normalized first, which SQLite cannot do (no regular expressions).
  const labelOf = (user: number): SegmentLabel => {
    if (power.has(user)) return 'power';
    const withFriction = frictionSessions.get(user) ?? 0;
    if (withFriction >= thresholds.frictionSessions || (abandonments.get(user) ?? 0) >= thresholds.abandonments) return 'struggling';
    if (withFriction === 0 && exploring.has(user)) return 'exploring';
    return 'casual';
  };
  // Every other active user is casual, so only the first three labels' users go back to SQL.
  const members: Record<SegmentLabel, number[]> = { power: [], struggling: [], exploring: [], casual: [] };
  for (const user of new Set([...power, ...exploring, ...frictionSessions.keys(), ...abandonments.keys()])) members[labelOf(user)].push(user);
  const labelled = members.power.length + members.struggling.length + members.exploring.length;
  params.$power = JSON.stringify(members.power);
  params.$struggling = JSON.stringify(members.struggling);
  params.$exploring = JSON.stringify(members.exploring);
  const top = ctx.sql.rows(
    `WITH by_user AS (
  SELECT e.user_id AS u, e.name_id AS name_id, SUM(${perName.count}) AS n FROM ${perName.table} AS e
  WHERE e.${perName.time} >= $from AND e.${perName.time} <= $to GROUP BY e.user_id, e.name_id
),
by_event AS (
  SELECT CASE WHEN u IN ${ctx.dialect.valuesTable('$power')} THEN 0
              WHEN u IN ${ctx.dialect.valuesTable('$struggling')} THEN 1
              WHEN u IN ${ctx.dialect.valuesTable('$exploring')} THEN 2
              ELSE 3 END AS label,
         name_id, SUM(n) AS n
  FROM by_user GROUP BY label, name_id
),
ranked AS (
  SELECT b.label AS label, n.name AS name, b.n AS n, ROW_NUMBER() OVER (PARTITION BY b.label ORDER BY b.n DESC, n.name) AS r
  FROM by_event AS b JOIN event_names AS n ON n.id = b.name_id
)
SELECT label, name, n FROM ranked WHERE r <= ${TOP_SEGMENT_EVENTS} ORDER BY label, r`,
    params,
  );

  const users: Record<SegmentLabel, number> = {
    power: members.power.length,
    struggling: members.struggling.length,
    exploring: members.exploring.length,
    casual: active - labelled,
  };
  const topEvents = SEGMENT_LABELS.map(() => [] as { event: string; count: number }[]);
  for (const [label, name, n] of top) topEvents[Number(label)]!.push({ event: String(name), count: Number(n) });
  return segmentsResult(users, topEvents, ctx.minGroupSize);
}
