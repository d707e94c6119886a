import { expect } from 'chai';
import fc from 'fast-check';
import { openStore, type Query, type WeekStart } from '../../shared/index.ts';
import type { RefEvent, RefOptions, RefSpec } from './reference/common.ts';
import { referenceFunnel } from './reference/funnel.ts';
import { referenceLifecycle } from './reference/lifecycle.ts';
import { referenceRetention } from './reference/retention.ts';
import { funnelSpecs, lifecycleSpecs, logArbitrary, retentionSpecs, materialize, table, type Scenario } from './random-logs.ts';

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
