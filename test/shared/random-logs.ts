import fc from 'fast-check';
import type { WeekStart } from '../../shared/index.ts';
import { referencePeriodAt } from './reference/calendar.ts';
import type { RefEvent, RefOptions, RefSpec } from './reference/common.ts';

// The random event logs of the differential test (differential.test.ts), in
// their own module so that the ClickHouse suite (test/clickhouse/) runs its
// kinds on the same logs.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface Scenario {
  timezone: string;
  /** The three weeks of week-interval queries and most funnels: a monday to a sunday. */
  from: string;
  to: string;
  /** Twelve days around the daylight-saving change, for day-interval queries. */
  days: { from: string; to: string };
  /** A local date-time on the day of the change: an ISO `to` that cuts a period. */
  cut: string;
  /** A local date-time the day before: an ISO `from`. */
  since: string;
  /** A clock inside the last week, so that some retention periods are not over yet. */
  nowInside: number;
}

export const SCENARIOS: Scenario[] = [
  {
    timezone: 'UTC',
    from: '2026-11-02',
    to: '2026-11-22',
    days: { from: '2026-11-08', to: '2026-11-19' },
    cut: '2026-11-15T13:30:00',
    since: '2026-11-14T08:00:00',
    nowInside: Date.UTC(2026, 10, 19, 9),
  },
  {
    timezone: 'Europe/Berlin',
    from: '2026-03-16',
    to: '2026-04-05',
    days: { from: '2026-03-22', to: '2026-04-02' },
    cut: '2026-03-29T14:00:00',
    since: '2026-03-28T08:00:00',
    nowInside: Date.UTC(2026, 2, 30, 10),
  },
  {
    timezone: 'Europe/Berlin',
    from: '2026-10-12',
    to: '2026-11-01',
    days: { from: '2026-10-18', to: '2026-10-29' },
    cut: '2026-10-25T18:00:00',
    since: '2026-10-24T08:00:00',
    nowInside: Date.UTC(2026, 9, 26, 12),
  },
  {
    timezone: 'America/Los_Angeles',
    from: '2026-10-19',
    to: '2026-11-08',
    days: { from: '2026-10-25', to: '2026-11-05' },
    cut: '2026-11-01T12:00:00',
    since: '2026-10-31T08:00:00',
    nowInside: Date.UTC(2026, 10, 2, 20),
  },
  {
    timezone: 'America/Los_Angeles',
    from: '2026-02-23',
    to: '2026-03-15',
    days: { from: '2026-03-01', to: '2026-03-12' },
    cut: '2026-03-08T12:00:00',
    since: '2026-03-07T08:00:00',
    nowInside: Date.UTC(2026, 2, 9, 20),
  },
  {
    // 02:00+11:00 becomes 01:30+10:30: the hour periods 01:00+11:00 and 01:30+10:30.
    timezone: 'Australia/Lord_Howe',
    from: '2026-03-23',
    to: '2026-04-12',
    days: { from: '2026-03-29', to: '2026-04-09' },
    cut: '2026-04-05T14:00:00',
    since: '2026-04-04T08:00:00',
    nowInside: Date.UTC(2026, 3, 6, 1),
  },
  {
    // 02:00+10:30 becomes 02:30+11:00: the hour periods 01:00+10:30 and 02:30+11:00.
    timezone: 'Australia/Lord_Howe',
    from: '2026-09-21',
    to: '2026-10-11',
    days: { from: '2026-09-27', to: '2026-10-08' },
    cut: '2026-10-04T12:00:00',
    since: '2026-10-03T08:00:00',
    nowInside: Date.UTC(2026, 9, 5, 2),
  },
];

/** A clock after every scenario's range: 28 November 2026, 12:00 UTC. */
const NOW_AFTER = Date.UTC(2026, 10, 28, 12);

const USERS = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8'];
const NAMES = ['a', 'b', 'c', 'd'];
/** Events are drawn from 5 days before the range to 3 days after it. */
const BEFORE_DAYS = 5;
const SPAN_DAYS = BEFORE_DAYS + 21 + 3;

/**
 * A burst of one user's events: the first at a local time of some day, each
 * next one some minutes after the previous one. The times of day favour
 * boundaries: local midnight (a period's start), whole hours, and the time of
 * day of the scenario's ISO `to` (where a rolling window can end exactly on it).
 */
const burst = fc.record({
  user: fc.constantFrom(...USERS),
  day: fc.integer({ min: 0, max: SPAN_DAYS - 1 }),
  time: fc.oneof(
    fc.integer({ min: 0, max: 24 * 60 - 1 }),
    fc.integer({ min: 0, max: 23 }).map((hour) => hour * 60),
    fc.constantFrom<'midnight' | 'cut'>('midnight', 'cut'),
  ),
  events: fc.array(
    fc.record({
      gap: fc.constantFrom(0, 0, 1, 5, 10, 30, 30, 60, 90, 240, 1440),
      event: fc.constantFrom(...NAMES, 'a', 'b', 'c'),
      properties: fc.record({ plan: fc.constantFrom('free', 'pro', 'team'), amount: fc.constantFrom(5, 50, 150, '50') }, { requiredKeys: [] }),
    }),
    { minLength: 1, maxLength: 8 },
  ),
});

export const logArbitrary = fc.record({
  scenario: fc.integer({ min: 0, max: SCENARIOS.length - 1 }),
  weekStart: fc.constantFrom<WeekStart>('monday', 'sunday'),
  clockInside: fc.boolean(),
  bursts: fc.array(burst, { minLength: 1, maxLength: 24, size: 'medium' }),
});

export type Log = typeof logArbitrary extends fc.Arbitrary<infer T> ? T : never;

export interface Materialized {
  scenario: Scenario;
  options: RefOptions;
  /** What is ingested, in this order. */
  raw: { event: string; user_id: string; timestamp: number; properties: Record<string, unknown> }[];
  /** The same events for the references; `seq` is the ingestion order. */
  events: RefEvent[];
}

export function materialize(log: Log): Materialized {
  const scenario = SCENARIOS[log.scenario]!;
  const calendar = { timezone: scenario.timezone, weekStart: log.weekStart };
  const origin = Date.parse(`${scenario.from}T00:00:00Z`) - BEFORE_DAYS * DAY;
  const [cutHours, cutMinutes] = scenario.cut.slice(11, 16).split(':').map(Number) as [number, number];
  const raw: Materialized['raw'] = [];
  for (const { user, day, time, events } of log.bursts) {
    // The day's local midnight: the start of the local day holding noon UTC of that day.
    const midnight = referencePeriodAt(origin + day * DAY + 12 * HOUR, 'day', calendar).start;
    let ts = midnight + (time === 'midnight' ? 0 : time === 'cut' ? cutHours * 60 + cutMinutes : time) * 60_000;
    events.forEach(({ gap, event, properties }, i) => {
      if (i > 0) ts += gap * 60_000;
      raw.push({ event, user_id: user, timestamp: ts, properties });
    });
  }
  const events = raw.map((e, seq) => ({ event: e.event, user: e.user_id, ts: e.timestamp, seq, properties: e.properties }));
  const options = { timezone: scenario.timezone, weekStart: log.weekStart, now: log.clockInside ? scenario.nowInside : NOW_AFTER };
  return { scenario, options, raw, events };
}

/** The events as a table, in ingestion order, for failure messages. */
export function table(events: readonly RefEvent[]): string {
  return events.map((e) => `  #${e.seq} ${e.user} ${new Date(e.ts).toISOString()} ${e.event} ${JSON.stringify(e.properties ?? {})}`).join('\n');
}

export const other = (weekStart: WeekStart): WeekStart => (weekStart === 'monday' ? 'sunday' : 'monday');

export function lifecycleSpecs(s: Scenario, weekStart: WeekStart): RefSpec[] {
  const base = { kind: 'lifecycle' };
  return [
    { ...base, interval: 'day', ...s.days },
    { ...base, interval: 'day', ...s.days, event: 'a' },
    { ...base, interval: 'day', periods: 8, to: s.cut },
    { ...base, interval: 'week', from: s.from, to: s.to },
    { ...base, interval: 'week', from: s.from, to: s.cut, event: 'b', weekStart: other(weekStart) },
    { ...base, interval: 'week', periods: 2, to: s.to, event: 'c' },
    { ...base, interval: 'hour', from: s.cut.slice(0, 10), to: s.cut, event: 'a' },
  ];
}

export function retentionSpecs(s: Scenario, weekStart: WeekStart): RefSpec[] {
  const weeks = { from: s.from, to: s.to };
  const base = { kind: 'retention' };
  return [
    { ...base, interval: 'day', ...s.days },
    { ...base, interval: 'day', ...s.days, startEvent: 'a', returnEvent: 'b', criterion: 'on_or_after' },
    { ...base, interval: 'day', ...s.days, cohort: 'first_time', startEvent: 'a' },
    { ...base, interval: 'day', ...s.days, cohort: 'first_time', criterion: 'on_or_after', basis: 'rolling', startEvent: 'a', returnEvent: 'b' },
    { ...base, interval: 'day', periods: 10, to: s.cut, basis: 'rolling', minimumOccurrences: 2 },
    { ...base, interval: 'day', ...s.days, minimumOccurrences: 2, criterion: 'on_or_after', returnEvent: 'b' },
    { ...base, interval: 'day', ...s.days, basis: 'rolling', criterion: 'on_or_after', startEvent: 'b', returnEvent: 'b' },
    { ...base, interval: 'day', from: s.days.from, to: s.cut, basis: 'rolling', cohort: 'first_time', startEvent: 'c', returnEvent: 'a' },
    { ...base, interval: 'week', ...weeks },
    { ...base, interval: 'week', from: s.from, to: s.cut, cohort: 'first_time', basis: 'rolling', criterion: 'on_or_after' },
    { ...base, interval: 'week', ...weeks, basis: 'rolling', minimumOccurrences: 2, startEvent: 'a', returnEvent: 'b' },
    { ...base, interval: 'week', ...weeks, cohort: 'first_time', minimumOccurrences: 2, weekStart: other(weekStart) },
    { ...base, interval: 'week', periods: 3, to: s.to, criterion: 'on_or_after', startEvent: 'c' },
    // Hours of the day of the change (23 or 25 of them), and the default `to` (today, by the log's clock).
    { ...base, interval: 'hour', from: s.cut.slice(0, 10), to: s.cut.slice(0, 10), basis: 'rolling', criterion: 'on_or_after' },
    { ...base, interval: 'day', periods: 7, returnEvent: 'a' },
  ];
}

/** Funnel specs over a scenario: each order, windows of minutes to weeks, step windows, exclusions and `where` steps. */
export function funnelSpecs(s: Scenario): RefSpec[] {
  const range = { from: s.from, to: s.to };
  const base = { kind: 'funnel' };
  const abc = ['a', 'b', 'c'];
  return [
    { ...base, steps: abc, ...range },
    { ...base, steps: abc, order: 'strict', window: '1d', ...range },
    { ...base, steps: abc, order: 'any', window: '2h', ...range },
    { ...base, steps: ['a', 'b'], window: '30m', ...s.days },
    { ...base, steps: ['a', 'b', 'a'], window: { value: 7, unit: 'day' }, from: s.from, to: s.cut },
    { ...base, steps: abc, stepWindows: [null, '1h', '30m'], window: '1w', ...range },
    { ...base, steps: ['a', 'b', 'a', 'b'], stepWindows: [null, '4h', '1h', '30m'], window: '2d', ...range },
    { ...base, steps: abc, exclusions: [{ event: 'd', from: 0, to: 2 }], window: '1d', ...range },
    { ...base, steps: abc, exclusions: [{ event: 'a', from: 1, to: 2 }], window: '2d', ...range },
    { ...base, steps: abc, order: 'strict', exclusions: [{ event: 'd', from: 1, to: 2 }], window: '1h', ...range },
    { ...base, steps: abc, order: 'any', exclusions: [{ event: 'd', from: 0, to: 1 }], window: '4h', ...range },
    { ...base, steps: [{ event: 'a', where: { plan: 'pro' } }, { event: 'b', where: { amount: { op: '>', value: 40 } } }, 'c'], window: '1d', ...range },
    { ...base, steps: [{ event: 'a', where: { plan: { op: '!=', value: 'free' } } }, 'b'], order: 'any', window: '1d', ...range },
    { ...base, steps: ['a', 'a', 'b'], order: 'any', window: '1h', ...range },
    { ...base, steps: ['a', 'b', 'c', 'd'], order: 'strict', window: '1w', stepWindows: [null, '2h', null, '1d'], ...s.days },
    { ...base, steps: ['a', { event: 'b', where: { plan: 'pro' } }, 'c'], order: 'strict', window: '1d', ...range },
    { ...base, steps: ['a', 'b', 'a'], order: 'any', exclusions: [{ event: 'c', from: 0, to: 2 }], window: '1d', ...range },
    { ...base, steps: abc, window: '1h', exclusions: [{ event: 'd', from: 0, to: 1 }, { event: 'a', from: 1, to: 2 }], ...range },
    { ...base, steps: ['d', 'a', 'b', 'c', 'd'], stepWindows: [null, '1d', '10m', '1h', '1d'], window: '2w', ...range },
    { ...base, steps: ['b', { event: 'c', where: { plan: { op: 'contains', value: 'E' }, amount: 50 } }], stepWindows: [null, '30m'], window: '2h', from: s.since, to: s.cut },
  ];
}

/**
 * A burst of one user's events for the friction kinds: clicks (with or
 * without a target and a position, some positions not numbers), errors
 * (messages that normalise alike, blank, absent or not text) and plain
 * events, milliseconds to hours apart, some with a session_id, many
 * repeating the burst's first event. Its own
 * arbitrary, so that the logs above stay as they are.
 */
const frictionBurst = fc.record({
  user: fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5'),
  day: fc.integer({ min: 0, max: SPAN_DAYS - 1 }),
  time: fc.oneof(fc.integer({ min: 0, max: 24 * 60 - 1 }), fc.constant(0), fc.constant(24 * 60 - 1)),
  events: fc.array(
    fc.record({
      gapMs: fc.constantFrom(0, 100, 200, 300, 500, 999, 1000, 1001, 5_000, 20_000, 59_999, 60_000, 60_001, 600_000, 1_800_001, 7_200_000),
      sessionId: fc.constantFrom(undefined, undefined, undefined, 's1', 's2'),
      /** Whether the event repeats the burst's first (name and properties), so that signals are common. */
      repeat: fc.constantFrom(true, true, true, false, false),
      body: fc.oneof(
        { weight: 3, arbitrary: fc.record(
          {
            target: fc.constantFrom('#save', '#save', '#menu'),
            x: fc.constantFrom(0, 10, 25, 40.5, '12px', 'left'),
            y: fc.constantFrom(0, 10, 20, -5),
          },
          { requiredKeys: [] },
        ).map((properties) => ({ event: '$click', properties: properties as Record<string, unknown> })) },
        { weight: 2, arbitrary: fc.record(
          { message: fc.constantFrom('Timeout after 300 ms', 'Timeout after 5000 ms', 'Not found: 8f3a9c', 'Not found: 00b2e1', ' ', 404) },
          { requiredKeys: [] },
        ).map((properties) => ({ event: '$error', properties: properties as Record<string, unknown> })) },
        { weight: 3, arbitrary: fc.constantFrom('a', 'a', 'a', 'b', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i').map((event) => ({ event, properties: {} as Record<string, unknown> })) },
      ),
    }),
    { minLength: 1, maxLength: 16 },
  ),
});

export const frictionLogArbitrary = fc.record({
  scenario: fc.integer({ min: 0, max: SCENARIOS.length - 1 }),
  weekStart: fc.constantFrom<WeekStart>('monday', 'sunday'),
  minGroupSize: fc.constantFrom(1, 1, 2),
  bursts: fc.array(frictionBurst, { minLength: 1, maxLength: 30, size: 'medium' }),
});

export type FrictionLog = typeof frictionLogArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** A friction log as events to ingest (`raw`, with `session_id` where drawn) and for `table` (`events`); the clock after every range. */
export function materializeFrictionLog(log: FrictionLog): Materialized & { raw: { session_id?: string }[] } {
  const scenario = SCENARIOS[log.scenario]!;
  const calendar = { timezone: scenario.timezone, weekStart: log.weekStart };
  const origin = Date.parse(`${scenario.from}T00:00:00Z`) - BEFORE_DAYS * DAY;
  const raw: (Materialized['raw'][number] & { session_id?: string })[] = [];
  for (const { user, day, time, events } of log.bursts) {
    let ts = referencePeriodAt(origin + day * DAY + 12 * HOUR, 'day', calendar).start + time * 60_000;
    events.forEach(({ gapMs, sessionId, repeat, body: own }, i) => {
      if (i > 0) ts += gapMs;
      const body = repeat ? events[0]!.body : own;
      raw.push({ event: body.event, user_id: user, timestamp: ts, properties: body.properties, ...(sessionId === undefined ? {} : { session_id: sessionId }) });
    });
  }
  const events = raw.map((e, seq) => ({ event: e.event, user: e.user_id, ts: e.timestamp, seq, properties: { ...e.properties, ...(e.session_id ? { session_id: e.session_id } : {}) } }));
  return { scenario, options: { timezone: scenario.timezone, weekStart: log.weekStart, now: NOW_AFTER }, raw, events };
}
