// The differential test of paths, errors and adoption on ClickHouse (chdb):
// the core's own test tables of these kinds on a dual store (dual-store.ts),
// then the random logs of the core's differential test with specs of these
// kinds in seven calendars around DST changes. Run by `npm run test:clickhouse`.
import fc from 'fast-check';
import type { Query } from '../../shared/index.ts';
import { logArbitrary, materialize, table, type Scenario } from '../shared/random-logs.ts';
import { compareOnLog, dualStoreSuite } from './differential-setup.ts';

const session = await dualStoreSuite();

await import('../shared/paths.test.ts');
await import('../shared/errors.test.ts');
await import('../shared/adoption.test.ts');

/** Paths specs over a random log's scenario: anchors, filters, cuts, session options. */
function pathsSpecs(s: Scenario): Query[] {
  const days = s.days;
  return [
    { kind: 'paths', ...days },
    { kind: 'paths', from: s.from, to: s.to, steps: 3, limit: 4 },
    { kind: 'paths', from: s.since, to: s.cut, start: 'b', gapMinutes: 10 },
    { kind: 'paths', ...days, end: 'a', steps: 2, splitAtMidnight: true },
    { kind: 'paths', from: s.from, to: s.to, start: 'a', end: 'c', maxMinutes: 60 },
    { kind: 'paths', ...days, include: ['a', 'c', 'd'], start: 'c', limit: 3 },
    { kind: 'paths', ...days, exclude: ['b'], sessionSource: 'gap', where: { plan: { op: '!=', value: 'team' } } },
  ] as Query[];
}

/** Errors specs over a random log's scenario: every interval, session options, `where`. */
function errorsSpecs(s: Scenario): Query[] {
  return [
    { kind: 'errors', interval: 'day', ...s.days },
    { kind: 'errors', interval: 'week', from: s.from, to: s.cut, gapMinutes: 10, maxMinutes: 60 },
    { kind: 'errors', interval: 'hour', from: s.cut.slice(0, 10), to: s.cut, splitAtMidnight: true },
    { kind: 'errors', interval: 'month', from: s.since, to: s.to, sessionSource: 'gap', where: { plan: { op: '!=', value: 'team' } } },
  ] as Query[];
}

/** Adoption specs over a random log's scenario: named and 'all' features, every interval, ISO cuts, `where`. */
function adoptionSpecs(s: Scenario): Query[] {
  return [
    { kind: 'adoption', features: ['a', 'b', 'zz'], interval: 'day', ...s.days },
    { kind: 'adoption', features: 'all', interval: 'week', from: s.from, to: s.to },
    { kind: 'adoption', features: ['c', '$error'], interval: 'hour', from: s.cut.slice(0, 10), to: s.cut },
    { kind: 'adoption', features: 'all', interval: 'day', from: s.since, to: s.cut, where: { plan: { op: '!=', value: 'team' } } },
    { kind: 'adoption', features: ['a', 'c'], interval: 'month', from: s.from, to: s.to, timezone: 'Asia/Kolkata' },
  ] as Query[];
}

/**
 * Messages of the random logs' `$error` events: variable parts, none, blank,
 * not a string; and two whose order by UTF-16 code units (the core's) is not
 * their order by UTF-8 bytes (U+1F642 against U+FB01).
 */
const MESSAGES = ['Timeout after 30000 ms', 'Timeout after 10000 ms', undefined, 'report 8f3a9c failed', '  ', 42, 'report 00b2e1 failed', 'café 🙂 v2', '\ufb01le lost', '🙂 file lost'];

/** A random log's events, every `d` made an `$error` with a message picked by its place in the log. */
function withErrors<E extends { event: string; properties?: Record<string, unknown> }>(events: readonly E[]): E[] {
  return events.map((e, i) => {
    if (e.event !== 'd') return e;
    const message = MESSAGES[i % MESSAGES.length];
    return { ...e, event: '$error', properties: message === undefined ? e.properties : { ...e.properties, message } };
  });
}

describe('paths, errors and adoption: ClickHouse against SQLite on random logs (the logs of test/shared/differential.test.ts)', () => {
  it('days, weeks and hours around DST changes in seven calendars', async function () {
    this.timeout(300_000);
    await fc.assert(
      fc.asyncProperty(logArbitrary, async (log) => {
        const { scenario, options, raw: drawn, events: drawnEvents } = materialize(log);
        const raw = withErrors(drawn);
        const events = withErrors(drawnEvents);
        await compareOnLog(session, { timezone: options.timezone, weekStart: options.weekStart, now: () => options.now }, raw, [...pathsSpecs(scenario), ...errorsSpecs(scenario), ...adoptionSpecs(scenario)], () => `${JSON.stringify(options)} on\n${table(events)}`);
      }),
      { seed: 20261205, numRuns: 30, interruptAfterTimeLimit: 200_000 },
    );
  });
});
