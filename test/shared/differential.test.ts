import { expect } from 'chai';
import fc from 'fast-check';
import { openStore, type Query, type WeekStart } from '../../shared/index.ts';
import type { RefEvent, RefOptions, RefSpec } from './reference/common.ts';
import { referenceFunnel } from './reference/funnel.ts';
import { referenceLifecycle } from './reference/lifecycle.ts';
import { referenceRetention } from './reference/retention.ts';
import { lifecycleSpecs, logArbitrary, retentionSpecs, materialize, table, type Scenario } from './random-logs.ts';

/**
 * Differential test: retention, lifecycle and funnels computed by the store
 * (SQL) against deliberately simple plain-JavaScript implementations of
 * METRICS.md sections 6-8 (test/shared/reference/), on random event logs.
 * The references find ranges and periods on their own, by walking the wall
 * clock (reference/calendar.ts), so the core's period code is under test too.
 *
 * Each log: up to 8 users doing the events a, b, c, d in bursts (gaps of 0
 * minutes to a day, so equal timestamps and ingestion-order ties are common),
 * over three weeks plus five days before the range and three after it, with
 * `plan` and `amount` properties for funnel `where` steps. Each log lives in
 * one of seven calendars around a daylight-saving change (UTC; Berlin 29 March
 * and 25 October 2026; Los Angeles 8 March and 1 November 2026; Lord Howe,
 * whose clock moves by 30 minutes, 5 April and 4 October 2026), with monday
 * or sunday weeks and a clock either after the range or inside its last week
 * (retention averages). Every spec of the family runs on every log (100 logs
 * per family, 300 in all: 4,200 comparisons), and the whole result is
 * compared with deep.equal, numbers exactly: rates are the same integer
 * divisions on both sides, both sides round funnel times to the millisecond,
 * and timestamps in whole minutes with at most 8 users make every mean and
 * median a whole number of milliseconds before rounding, so no
 * floating-point tolerance is needed.
 *
 * On a failure fast-check shrinks the log and reports the seed, the spec, the
 * events as a table and both results.
 */




function funnelSpecs(s: Scenario): RefSpec[] {
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

type Reference = (events: readonly RefEvent[], spec: RefSpec, options: RefOptions) => unknown;

/** Runs every spec of a family on `runs` random logs, in the store and in the reference; fails on the first difference. */
async function differential(seed: number, runs: number, specsOf: (s: Scenario, weekStart: WeekStart) => RefSpec[], reference: Reference): Promise<void> {
  await fc.assert(
    fc.asyncProperty(logArbitrary, async (log) => {
      const { scenario, options, raw, events } = materialize(log);
      const store = await openStore({ timezone: options.timezone, weekStart: options.weekStart, now: () => options.now });
      try {
        const report = await store.ingest(raw);
        expect(report.rejected).to.deep.equal([]);
        for (const spec of specsOf(scenario, options.weekStart)) {
          const actual = await store.query(spec as unknown as Query);
          const expected = reference(events, spec, options);
          const context = `${JSON.stringify(spec)} with ${JSON.stringify(options)} on\n${table(events)}`;
          expect(actual, `${context}\nstore:     ${JSON.stringify(actual)}\nreference: ${JSON.stringify(expected)}\n`).to.deep.equal(expected);
        }
      } finally {
        await store.close();
      }
    }),
    // On a failure, shrinking looks for a smaller log for at most 40 s, then reports the smallest found.
    { seed, numRuns: runs, interruptAfterTimeLimit: 40_000 },
  );
}

describe('differential: SQL against a plain-JavaScript reference (METRICS.md sections 6-8)', () => {
  // Passing, each test takes a few seconds; the limit leaves room for shrinking a failure.
  const LIMIT = 60_000;

  it('retention: recurring / first_time, on / on_or_after, calendar / rolling, minimumOccurrences 1 and 2, days and weeks', async function () {
    this.timeout(LIMIT);
    await differential(20261128, 100, retentionSpecs, referenceRetention);
  });

  it('lifecycle: days and weeks, with and without an event', async function () {
    this.timeout(LIMIT);
    await differential(20261129, 100, lifecycleSpecs, referenceLifecycle);
  });

  it('funnels: ordered / strict / any, windows of minutes to days, step windows, exclusions, where steps', async function () {
    this.timeout(LIMIT);
    await differential(20261130, 100, funnelSpecs, referenceFunnel);
  });
});
