// Funnels on ClickHouse (chdb) against SQLite: every test table of the
// core's funnel tests on a dual store (deep equality of whole results), then
// the funnel specs of the core's differential test on its random logs.
// Run by `npm run test:clickhouse`, not `npm test`.
import { expect } from 'chai';
import fc from 'fast-check';
import type { Query } from '../../shared/index.ts';
import { funnelSpecs, logArbitrary, materialize, table } from '../shared/random-logs.ts';
import { DATABASE, dualStoreSuite } from './differential-setup.ts';
import { openDualStore } from './dual-store.ts';

const session = await dualStoreSuite();

await import('../shared/funnel.test.ts');

describe('funnels on ClickHouse against SQLite on random logs (the funnel specs of test/shared/differential.test.ts)', () => {
  it('ordered / strict / any, windows of minutes to weeks, step windows, exclusions, where steps, minGroupSize', async function () {
    this.timeout(300_000);
    await fc.assert(
      fc.asyncProperty(logArbitrary, async (log) => {
        const { scenario, options, raw, events } = materialize(log);
        const store = await openDualStore(session, DATABASE, { timezone: options.timezone, weekStart: options.weekStart, now: () => options.now, minGroupSize: log.clockInside ? 2 : 1 });
        try {
          expect((await store.ingest(raw)).rejected).to.deep.equal([]);
          for (const spec of funnelSpecs(scenario) as unknown as Query[]) {
            try {
              await store.query(spec);
            } catch (error) {
              throw new Error(`${String(error)}\nwith ${JSON.stringify(options)} on\n${table(events)}`);
            }
          }
        } finally {
          await store.close();
        }
      }),
      { seed: 20261205, numRuns: 60, interruptAfterTimeLimit: 240_000 },
    );
  });
});
