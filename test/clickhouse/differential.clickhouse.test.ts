// The differential test of the query side on ClickHouse (chdb, ClickHouse
// 26.7): every test table of each kind ClickHouse answers, from the core's own
// test files, run on a store that answers each query on SQLite and on chdb
// and expects deep equality (dual-store.ts), then the random logs of the
// core's differential test. Run by `npm run test:clickhouse`, not `npm test`.
import fc from 'fast-check';
import type { Query, WeekStart } from '../../shared/index.ts';
import { lifecycleSpecs, logArbitrary, retentionSpecs, materialize, other, table, type Scenario } from '../shared/random-logs.ts';
import { compareOnLog, dualStoreSuite } from './differential-setup.ts';

const session = await dualStoreSuite();

// Each core test file registers its tests on import; every store they open through storeWith is a dual store.
await import('../shared/events.test.ts');
await import('../shared/trend.test.ts');
await import('../shared/stickiness.test.ts');
await import('../shared/lifecycle.test.ts');
await import('../shared/retention.test.ts');
await import('../shared/sessions.test.ts');
await import('../shared/where.test.ts');
await import('../shared/incomplete.test.ts');

/** Specs of the kinds ClickHouse answers, besides lifecycle's, over a random log's scenario: days and weeks around a DST change, ISO cuts, `where`, breakdowns. */
function otherSpecs(s: Scenario, weekStart: WeekStart): Query[] {
  const days = s.days;
  return [
    { kind: 'events', from: s.since, to: s.cut, limit: 20 },
    { kind: 'events', event: 'a', from: s.from, to: s.to, limit: 5, offset: 3 },
    { kind: 'trend', math: 'events', interval: 'day', ...days },
    { kind: 'trend', math: 'users', interval: 'week', from: s.from, to: s.cut, weekStart: other(weekStart) },
    { kind: 'trend', math: 'users', interval: 'hour', from: s.cut.slice(0, 10), to: s.cut.slice(0, 10) },
    { kind: 'trend', math: 'wau', interval: 'day', ...days, event: 'a' },
    { kind: 'trend', math: 'mau', interval: 'day', periods: 5, to: s.cut },
    { kind: 'trend', math: 'stickiness_ratio', interval: 'day', ...days },
    { kind: 'trend', math: 'events', interval: 'week', from: s.from, to: s.to, breakdown: 'plan' },
    { kind: 'trend', math: 'users', interval: 'day', ...days, breakdown: 'amount', where: { plan: { op: '!=', value: 'free' } } },
    { kind: 'trend', math: 'events', interval: 'month', from: s.from, to: s.to, where: { amount: { op: '>', value: 40 } } },
    { kind: 'stickiness', interval: 'day', ...days },
    { kind: 'stickiness', interval: 'week', from: s.from, to: s.to, cumulative: true, event: 'b' },
    { kind: 'stickiness', interval: 'hour', from: s.cut.slice(0, 10), to: s.cut, where: { plan: 'pro' } },
    { kind: 'lifecycle', interval: 'day', ...days, where: { plan: { op: 'contains', value: 'E' } } },
    { kind: 'sessions', interval: 'day', ...days },
    { kind: 'sessions', interval: 'week', from: s.since, to: s.cut, gapMinutes: 10, maxMinutes: 60 },
    { kind: 'sessions', interval: 'hour', from: s.cut.slice(0, 10), to: s.cut, splitAtMidnight: true, maxMinutes: 120 },
    { kind: 'sessions', interval: 'day', ...days, splitAtMidnight: true, sessionSource: 'gap', where: { plan: { op: '!=', value: 'team' } } },
  ] as Query[];
}

describe('ClickHouse against SQLite on random logs (the logs of test/shared/differential.test.ts)', () => {
  it('events, trend, stickiness, lifecycle, retention and sessions: days, weeks, hours and months around DST changes in seven calendars', async function () {
    this.timeout(300_000);
    await fc.assert(
      fc.asyncProperty(logArbitrary, async (log) => {
        const { scenario, options, raw, events } = materialize(log);
        await compareOnLog(session, { timezone: options.timezone, weekStart: options.weekStart, now: () => options.now }, raw, [...([...lifecycleSpecs(scenario, options.weekStart), ...retentionSpecs(scenario, options.weekStart)] as unknown as Query[]), ...otherSpecs(scenario, options.weekStart)], () => `${JSON.stringify(options)} on\n${table(events)}`);
      }),
      { seed: 20261204, numRuns: 40, interruptAfterTimeLimit: 200_000 },
    );
  });
});
