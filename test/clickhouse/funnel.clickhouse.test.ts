// Funnels on ClickHouse (chdb) against SQLite: every test table of the
// core's funnel tests on a dual store (deep equality of whole results), then
// the funnel specs of the core's differential test on its random logs.
// Run by `npm run test:clickhouse`, not `npm test`.
import fc from 'fast-check';
import type { Query } from '../../shared/index.ts';
import { funnelSpecs, logArbitrary, materialize, table, type Scenario } from '../shared/random-logs.ts';
import { compareOnLog, dualStoreSuite } from './differential-setup.ts';

const session = await dualStoreSuite();

await import('../shared/funnel.test.ts');

/**
 * Order `any` with steps of one event that differ in their `where`: an event
 * may match some of them and not others, so which steps can have distinct
 * events is a true matching problem (Hall's conditions over the variants).
 */
function anyOrderVariantSpecs(s: Scenario): Query[] {
  const range = { from: s.from, to: s.to };
  const pro = { event: 'a', where: { plan: 'pro' } };
  const large = { event: 'a', where: { amount: { op: '>', value: 40 } } };
  return [
    { kind: 'funnel', steps: [pro, 'a', large, 'b'], order: 'any', window: '1d', ...range },
    { kind: 'funnel', steps: [large, pro, { event: 'a', where: { plan: { op: '!=', value: 'free' } } }], order: 'any', window: '4h', ...range },
    { kind: 'funnel', steps: ['b', pro, large, pro], order: 'any', window: '2d', exclusions: [{ event: 'c', from: 1, to: 3 }], ...range },
  ] as Query[];
}

describe('funnels on ClickHouse against SQLite on random logs (the funnel specs of test/shared/differential.test.ts)', () => {
  it('ordered / strict / any, windows of minutes to weeks, step windows, exclusions, where steps, any order over steps of one event with different wheres, minGroupSize', async function () {
    this.timeout(300_000);
    await fc.assert(
      fc.asyncProperty(logArbitrary, async (log) => {
        const { scenario, options, raw, events } = materialize(log);
        await compareOnLog(session, { timezone: options.timezone, weekStart: options.weekStart, now: () => options.now, minGroupSize: log.clockInside ? 2 : 1 }, raw, [...(funnelSpecs(scenario) as unknown as Query[]), ...anyOrderVariantSpecs(scenario)], () => `${JSON.stringify(options)} on\n${table(events)}`);
      }),
      { seed: 20261205, numRuns: 60, interruptAfterTimeLimit: 240_000 },
    );
  });
});
