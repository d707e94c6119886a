import { expect } from 'chai';
import type { FunnelResult, PathsResult, Store, TrendResult } from '../../shared/index.ts';
import { ev, storeWith } from './helpers.ts';

/**
 * Property names are free text at ingest, so every query that names one
 * (a breakdown, a `where`, a funnel step's `where`) must find exactly that
 * property, whatever characters it holds: SQLite's JSON path syntax gives
 * `"`, `\`, `.`, `$`, `[` and NUL meanings of their own (shared/sql/dialect.ts).
 */

/** Each key, with a neighbour a wrongly built path would read instead. */
const KEYS: [key: string, decoy: Record<string, unknown>][] = [
  ['say "hi"', { 'say ': 'x' }],
  ['back\\bslash', { 'back\bslash': 'x' }],
  ['escaped \\u0041', { 'escaped A': 'x' }],
  ['a.b', { a: { b: 'x' } }],
  ['$price', { price: 'x' }],
  ['a[0]', { a: ['x'] }],
  ['nul\u0000byte', { nul: 'x' }],
  ['emoji 🚀', { 'emoji ': 'x' }],
  ['all "\\.$[\u0000🚀', { 'all ': 'x' }],
];

const range = { from: '2026-11-02', to: '2026-11-02' } as const;

/**
 * a (x, later y), b (x), c (x), and d, e with only the decoy: three events
 * have x, one y, two none; a's two events are two hours apart, two sessions.
 */
function eventsFor(key: string, decoy: Record<string, unknown>): Record<string, unknown>[] {
  const withKey = (value: string) => ({ properties: { ...decoy, [key]: value } });
  return [
    ev('a', '2026-11-02T10:00:00Z', 'click', withKey('x')),
    ev('b', '2026-11-02T11:00:00Z', 'click', withKey('x')),
    ev('a', '2026-11-02T12:00:00Z', 'click', withKey('y')),
    ev('c', '2026-11-02T12:30:00Z', 'click', withKey('x')),
    ev('d', '2026-11-02T13:00:00Z', 'click', { properties: decoy }),
    ev('e', '2026-11-02T13:30:00Z', 'click', { properties: decoy }),
  ];
}

describe('property names any JSON path character (shared/sql/dialect.ts propertyText)', () => {
  for (const [key, decoy] of KEYS) {
    describe(JSON.stringify(key), () => {
      let store: Store;
      before(async () => {
        store = await storeWith(eventsFor(key, decoy));
      });
      after(async () => {
        await store.close();
      });

      it('breaks a trend down by it', async () => {
        const result: TrendResult = await store.query({ kind: 'trend', math: 'events', breakdown: key, ...range });
        expect(result.series.map((s) => [s.label, s.points.map((p) => p.value)])).to.deep.equal([
          ['x', [3]],
          ['(none)', [2]],
          ['y', [1]],
        ]);
      });

      it('filters a query by it with where', async () => {
        const users = await store.query({ kind: 'trend', math: 'users', where: { [key]: 'x' }, ...range });
        expect(users.series[0]!.points.map((p) => p.value)).to.deep.equal([3]);
        const others = await store.query({ kind: 'trend', math: 'events', where: { [key]: { op: '!=', value: 'x' } }, ...range });
        expect(others.series[0]!.points.map((p) => p.value)).to.deep.equal([3]);
        const contains = await store.query({ kind: 'trend', math: 'events', where: { [key]: { op: 'contains', value: 'Y' } }, ...range });
        expect(contains.series[0]!.points.map((p) => p.value)).to.deep.equal([1]);
        // Paths see only the matching events: three one-event sessions, where six sessions exist.
        const paths: PathsResult = await store.query({ kind: 'paths', where: { [key]: 'x' }, ...range });
        expect(paths.dropOffs).to.deep.equal([{ step: 1, event: 'click', count: 3 }]);
      });

      it("filters a funnel's steps by it", async () => {
        const result: FunnelResult = await store.query({
          kind: 'funnel',
          steps: [
            { event: 'click', where: { [key]: 'x' } },
            { event: 'click', where: { [key]: 'y' } },
          ],
          ...range,
        });
        expect(result.steps.map((step) => step.count)).to.deep.equal([3, 1]);
      });
    });
  }
});
