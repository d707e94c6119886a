// The differential test of the friction and segments kinds on ClickHouse
// (chdb): the core's own test tables of both kinds, run on stores that answer
// each query on SQLite and on chdb and expect deep equality (dual-store.ts),
// then random logs of clicks, errors and bursts of events around DST changes.
import fc from 'fast-check';
import type { Query } from '../../shared/index.ts';
import { frictionLogArbitrary, materializeFrictionLog, table, type Scenario } from '../shared/random-logs.ts';
import { compareOnLog, dualStoreSuite } from './differential-setup.ts';

const session = await dualStoreSuite();

await import('../shared/friction.test.ts');
await import('../shared/segments.test.ts');

/** Friction and segments specs over a random log's scenario: default and tight thresholds, every session source, local midnights, `where`. */
function frictionSpecs(s: Scenario): Query[] {
  return [
    { kind: 'friction', ...s.days },
    { kind: 'friction', from: s.since, to: s.cut, rageClicks: { clicks: 2, seconds: 0.5, pixels: 15 }, thrashing: { count: 3, seconds: 30 }, repeatedErrors: { count: 2 } },
    { kind: 'friction', from: s.from, to: s.to, sessionSource: 'gap', gapMinutes: 10, rageClicks: { pixels: 0 } },
    { kind: 'friction', ...s.days, sessionSource: 'property', thrashing: { count: 2, seconds: 0.001 } },
    { kind: 'friction', ...s.days, splitAtMidnight: true, maxMinutes: 60, where: { target: { op: '!=', value: '#menu' } } },
    { kind: 'segments', ...s.days },
    { kind: 'segments', from: s.from, to: s.to, rules: { power: { days: 2, of: 7 }, struggling: { sessions: 1 }, exploring: { events: 3, sessions: 2 } } },
    { kind: 'segments', ...s.days, splitAtMidnight: true, rageClicks: { clicks: 2 }, thrashing: { count: 2 }, rules: { exploring: { events: 2 } } },
    { kind: 'segments', from: s.since, to: s.cut, sessionSource: 'gap', gapMinutes: 5, rules: { power: { days: 1, of: 2 }, exploring: { events: 1, sessions: 1 } } },
  ] as Query[];
}

describe('friction and segments on ClickHouse against SQLite on random logs of clicks, errors and bursts', () => {
  it('rage clicks, repeated errors, thrashing and labels, under every session source, in seven calendars around DST changes', async function () {
    this.timeout(600_000);
    await fc.assert(
      fc.asyncProperty(frictionLogArbitrary, async (log) => {
        const { scenario, options, raw, events } = materializeFrictionLog(log);
        await compareOnLog(session, { timezone: options.timezone, weekStart: options.weekStart, now: () => options.now, minGroupSize: log.minGroupSize }, raw, frictionSpecs(scenario), () => `${JSON.stringify(options)}, minGroupSize ${log.minGroupSize}, on\n${table(events)}`);
      }),
      { seed: 20261204, numRuns: 30, interruptAfterTimeLimit: 400_000 },
    );
  });
});
