import type { FunnelAbandonmentRules } from '../../../shared/metrics/funnel-abandonment.ts';
import {
  powerDays,
  readSegmentsSpec,
  SEGMENT_LABELS,
  segmentsResult,
  TOP_SEGMENT_EVENTS,
  type SegmentLabel,
  type SegmentsResult,
} from '../../../shared/metrics/segments.ts';
import type { SpecObject } from '../../../shared/query/fields.ts';
import type { ClickHouseExecutor } from './executor.ts';
import { sessionFrictionTable } from './friction-signals.ts';
import { funnelAbandonmentsTable } from './funnel-abandonment.ts';
import { Bindings } from './params.ts';
import { projectEvents, type ClickHouseQueryContext, type ClickHouseScope } from './scope.ts';
import { sessionEventsTable } from './sessions-sql.ts';

/**
 * The derived table `(u, most)` of the struggling rule's funnel part: per
 * user, the most of the query's sessions that abandoned the `funnel` at one
 * same step (funnel-abandonment.ts, matched as the `funnel` kind matches);
 * empty without a funnel.
 */
function abandonments(sessionEvents: string, events: string, funnel: FunnelAbandonmentRules | null, from: number, to: number, bind: Bindings): string {
  if (funnel === null) return `(SELECT '' AS u, toUInt64(0) AS most WHERE 0)`;
  return funnelAbandonmentsTable(sessionEvents, events, funnel, from, to, bind);
}

/**
 * `{ kind: 'segments' }` (METRICS.md section 12), with the core's rules
 * (shared/metrics/segments.ts), every user of the range labelled in
 * ClickHouse:
 * - `power`: `uniqExact` of the local dates of the user's events in the
 *   last `of` days of the range (those days cut to the range are one span
 *   of time, from the later of the first day's start and `from`, to `to`);
 * - per user, from the query's sessions (sessionEventsTable): the sessions
 *   with a friction signal (sessionFrictionTable, from the signals the
 *   `friction` kind counts), and the distinct event names (`groupUniqArray`) of the first
 *   `exploring.sessions` sessions by start, then first event
 *   (`arraySort(groupArray(...))`, `arraySlice`, `arrayDistinct`);
 * - the label by the first rule met (`multiIf`), then users per label and
 *   each label's events per name (`sumMap`), the top ones by count, then
 *   name (`arraySort`, `arraySlice`).
 * Only the four counts and at most 20 top events reach Node, shaped and
 * suppressed by the core's segmentsResult.
 */
export async function segmentsOnClickHouse(sql: ClickHouseExecutor, scope: ClickHouseScope, spec: SpecObject, ctx: ClickHouseQueryContext): Promise<SegmentsResult> {
  const { thresholds, friction, funnel, options, range } = readSegmentsSpec(spec, ctx.calendar, ctx.now);
  const bind = new Bindings();
  const events = projectEvents(scope, spec, ctx, bind);
  const from = bind.bind(range.from, 'Int64');
  const to = bind.bind(range.to, 'Int64');
  const inRange = `(SELECT user_id, event, ts FROM ${events} WHERE ts >= ${from} AND ts <= ${to})`;
  const sessionEvents = sessionEventsTable(events, options, ctx.calendar, range.from, range.to, bind);

  const days = powerDays(range, thresholds.powerOf, ctx.calendar);
  const powerFrom = bind.bind(Math.max(days[0]!.start, range.from), 'Int64');
  const zone = bind.bind(ctx.calendar.timezone, 'String');
  const power = `(SELECT user_id FROM ${inRange} WHERE ts >= ${powerFrom}
    GROUP BY user_id HAVING uniqExact(toDate(toDateTime(intDiv(ts, 1000), ${zone}))) >= ${bind.bind(thresholds.powerDays, 'UInt64')})`;

  const exploringSessions = bind.bind(thresholds.exploringSessions, 'UInt64');
  const perUser = `(SELECT user_id, countIf(signal) AS friction_sessions,
      length(arrayDistinct(arrayFlatten(arraySlice(arrayMap(x -> x.3, arraySort(groupArray((start, first_seq, names)))), 1, ${exploringSessions})))) AS first_names
    FROM ${sessionFrictionTable(sessionEvents, friction, bind)} GROUP BY user_id)`;
  const abandoned = abandonments(sessionEvents, events, funnel, range.from, range.to, bind);

  const labels = `(SELECT a.user_id AS user_id, multiIf(
      a.user_id IN ${power}, 0,
      f.friction_sessions >= ${bind.bind(thresholds.frictionSessions, 'UInt64')} OR b.most >= ${bind.bind(thresholds.abandonments, 'UInt64')}, 1,
      f.friction_sessions = 0 AND f.first_names >= ${bind.bind(thresholds.exploringEvents, 'UInt64')}, 2,
      3) AS label
    FROM (SELECT DISTINCT user_id FROM ${inRange}) AS a
    LEFT JOIN ${perUser} AS f ON f.user_id = a.user_id
    LEFT JOIN ${abandoned} AS b ON b.u = a.user_id)`;
  // Each user's events of the range per name, summed per label with sumMap: the labels are computed once.
  const byUser = `(SELECT user_id, groupArray(event) AS names, groupArray(n) AS counts
    FROM (SELECT user_id, event, count() AS n FROM ${inRange} GROUP BY user_id, event) GROUP BY user_id)`;
  const rows = (await sql.rows(
    `SELECT label, users, arraySlice(arraySort(x -> (-x.2, x.1), arrayZip(totals.1, totals.2)), 1, ${TOP_SEGMENT_EVENTS}) FROM (
  SELECT l.label AS label, count() AS users, sumMap(c.names, c.counts) AS totals
  FROM ${labels} AS l INNER JOIN ${byUser} AS c ON c.user_id = l.user_id GROUP BY label
)`,
    bind.values,
  )) as [number, number | string, [string, number | string][]][];
  const users = Object.fromEntries(SEGMENT_LABELS.map((label) => [label, 0])) as Record<SegmentLabel, number>;
  const topEvents = SEGMENT_LABELS.map(() => [] as { event: string; count: number }[]);
  for (const [label, count, top] of rows) {
    users[SEGMENT_LABELS[Number(label)]!] = Number(count);
    topEvents[Number(label)] = top.map(([event, n]) => ({ event, count: Number(n) }));
  }
  return segmentsResult(users, topEvents, ctx.minGroupSize);
}
