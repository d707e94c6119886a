import { expect } from 'chai';
import { SpecError, type TrendPoint, type TrendResult } from '../../shared/index.ts';
import { ev, storeWith } from './helpers.ts';

/**
 * Pairs period names with values; the two lists must be as long as each other. The points from index
 * `incompleteFrom` on are of periods that have not ended at the store's clock (METRICS.md section 2).
 */
function points(names: readonly string[], values: readonly (number | null)[], incompleteFrom = names.length): TrendPoint[] {
  if (names.length !== values.length) throw new Error(`test table: ${names.length} periods but ${values.length} values`);
  return names.map((period, i) => (i < incompleteFrom ? { period, value: values[i]! } : { period, value: values[i]!, incomplete: true }));
}

/** The one unbroken-down series of a trend result. */
function all(names: readonly string[], values: readonly (number | null)[], incompleteFrom?: number): TrendResult {
  return { series: [{ label: 'all', points: points(names, values, incompleteFrom) }] };
}

/** `count` consecutive calendar dates from `first` (plain date arithmetic, independent of the code under test). */
function dateNames(first: string, count: number): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}

/** `count` values, zero except at the given indexes. */
function sparse(count: number, at: Record<number, number>): number[] {
  return Array.from({ length: count }, (_, i) => at[i] ?? 0);
}

async function specErrorOf(pending: Promise<unknown>): Promise<SpecError> {
  try {
    await pending;
  } catch (error) {
    expect(error).to.be.instanceOf(SpecError);
    return error as SpecError;
  }
  return expect.fail('expected the query to reject with a SpecError');
}

describe('trend (METRICS.md section 4)', () => {
  describe('events and users per period', () => {
    it('counts events and distinct users per UTC day, stopping at an ISO `to` inside the last day', async () => {
      const store = await storeWith([
        ev('a', '2026-11-01T23:59:59Z'), // the day before `from`
        ev('a', '2026-11-02T00:00:00Z'),
        ev('a', '2026-11-02T10:00:00Z'),
        ev('b', '2026-11-02T23:59:59Z'),
        ev('a', '2026-11-03T00:00:00Z'),
        ev('c', '2026-11-04T12:00:00Z'), // exactly `to`: inclusive
        ev('b', '2026-11-04T12:00:01Z'), // after `to` though inside the last day: not counted (PostHog's reading, see resolveRange)
      ]);
      const days = ['2026-11-02', '2026-11-03', '2026-11-04'];
      const range = { from: '2026-11-02', to: '2026-11-04T12:00:00Z' };
      expect(await store.query({ kind: 'trend', math: 'events', interval: 'day', ...range })).to.deep.equal(all(days, [3, 1, 1]));
      expect(await store.query({ kind: 'trend', math: 'users', interval: 'day', ...range })).to.deep.equal(all(days, [2, 1, 1]));
      // A date `to` means the end of that day, so b's 12:00:01 event counts.
      expect(await store.query({ kind: 'trend', math: 'events', from: '2026-11-02', to: '2026-11-04' })).to.deep.equal(all(days, [3, 1, 2]));
      expect(await store.query({ kind: 'trend', math: 'users', from: '2026-11-02', to: '2026-11-04' })).to.deep.equal(all(days, [2, 1, 2]));
    });

    describe('weeks: the first week counts whole even where it starts before `from`', () => {
      const events = [
        ev('a', '2026-11-01T23:59:59Z'), // Sunday
        ev('a', '2026-11-02T00:00:00Z'), // Monday
        ev('a', '2026-11-05T09:00:00Z'), // Thursday
        ev('b', '2026-11-08T23:00:00Z'), // Sunday
        ev('b', '2026-11-09T01:00:00Z'), // Monday
        ev('c', '2026-11-15T10:00:00Z'), // Sunday
        ev('c', '2026-11-18T23:59:59Z'), // Wednesday, the end of `to`
        ev('a', '2026-11-19T00:00:00Z'), // after `to`, inside the last week: not counted
      ];
      const range = { from: '2026-11-04', to: '2026-11-18' }; // Wednesday to Wednesday

      it('monday weeks: Sunday 1 November is in the week before the first; Sunday 8 November ends the first', async () => {
        const store = await storeWith(events, { weekStart: 'monday' });
        const weeks = ['2026-11-02', '2026-11-09', '2026-11-16'];
        // 2 Nov: a (2nd), a (5th), b (8th); 9 Nov: b (9th), c (15th); 16 Nov: c (18th).
        expect(await store.query({ kind: 'trend', math: 'events', interval: 'week', ...range })).to.deep.equal(all(weeks, [3, 2, 1]));
        expect(await store.query({ kind: 'trend', math: 'users', interval: 'week', ...range })).to.deep.equal(all(weeks, [2, 2, 1]));
      });

      it('sunday weeks (store option or query override): each Sunday opens a week', async () => {
        const store = await storeWith(events, { weekStart: 'sunday' });
        const weeks = ['2026-11-01', '2026-11-08', '2026-11-15'];
        // 1 Nov: a (1st, before `from`), a (2nd), a (5th); 8 Nov: b, b; 15 Nov: c, c.
        const expectedEvents = all(weeks, [3, 2, 2]);
        expect(await store.query({ kind: 'trend', math: 'events', interval: 'week', ...range })).to.deep.equal(expectedEvents);
        expect(await store.query({ kind: 'trend', math: 'users', interval: 'week', ...range })).to.deep.equal(all(weeks, [1, 1, 1]));
        const mondayStore = await storeWith(events);
        expect(await mondayStore.query({ kind: 'trend', math: 'events', interval: 'week', weekStart: 'sunday', ...range })).to.deep.equal(
          expectedEvents,
        );
      });
    });

    it('counts per month, the first month whole from its first day', async () => {
      const store = await storeWith([
        ev('b', '2026-08-31T23:59:59Z'),
        ev('a', '2026-09-01T00:00:00Z'), // before `from`, in the first month
        ev('a', '2026-09-30T23:59:59Z'),
        ev('b', '2026-10-01T00:00:00Z'),
        ev('c', '2026-10-31T23:59:59Z'),
        ev('a', '2026-11-10T23:59:59Z'),
        ev('b', '2026-11-11T00:00:00Z'), // after `to`
      ]);
      const months = ['2026-09-01', '2026-10-01', '2026-11-01'];
      const range = { from: '2026-09-15', to: '2026-11-10' };
      // November has not ended at the clock (28 November), though `to` is the 10th.
      expect(await store.query({ kind: 'trend', math: 'events', interval: 'month', ...range })).to.deep.equal(all(months, [2, 2, 1], 2));
      expect(await store.query({ kind: 'trend', math: 'users', interval: 'month', ...range })).to.deep.equal(all(months, [1, 2, 1], 2));
    });

    it('counts per hour, naming each hour with its offset', async () => {
      const store = await storeWith([
        ev('a', '2026-11-28T08:59:59Z'),
        ev('a', '2026-11-28T09:00:00Z'), // before `from` (09:30), in the first hour
        ev('b', '2026-11-28T09:59:59Z'),
        ev('a', '2026-11-28T10:30:00Z'),
        ev('a', '2026-11-28T10:45:00Z'),
        ev('b', '2026-11-28T11:15:00Z'), // exactly `to`
        ev('c', '2026-11-28T11:15:01Z'), // after `to`
      ]);
      const hours = ['2026-11-28T09:00+00:00', '2026-11-28T10:00+00:00', '2026-11-28T11:00+00:00'];
      const range = { from: '2026-11-28T09:30:00Z', to: '2026-11-28T11:15:00Z' };
      expect(await store.query({ kind: 'trend', math: 'events', interval: 'hour', ...range })).to.deep.equal(all(hours, [2, 2, 1]));
      expect(await store.query({ kind: 'trend', math: 'users', interval: 'hour', ...range })).to.deep.equal(all(hours, [2, 1, 1]));
    });

    it('counts only the named event', async () => {
      const store = await storeWith([
        ev('a', '2026-11-02T08:00:00Z', 'open'),
        ev('a', '2026-11-02T09:00:00Z', 'save'),
        ev('b', '2026-11-02T10:00:00Z', 'save'),
        ev('b', '2026-11-03T10:00:00Z', 'open'),
        ev('c', '2026-11-03T11:00:00Z', 'save'),
        ev('c', '2026-11-03T12:00:00Z', 'save'),
      ]);
      const days = ['2026-11-02', '2026-11-03'];
      const range = { from: '2026-11-02', to: '2026-11-03' };
      expect(await store.query({ kind: 'trend', event: 'save', math: 'events', ...range })).to.deep.equal(all(days, [2, 2]));
      expect(await store.query({ kind: 'trend', event: 'save', math: 'users', ...range })).to.deep.equal(all(days, [2, 1]));
      expect(await store.query({ kind: 'trend', event: 'open', math: 'events', ...range })).to.deep.equal(all(days, [1, 1]));
      expect(await store.query({ kind: 'trend', math: 'events', ...range })).to.deep.equal(all(days, [3, 3]));
      // A name never ingested matches nothing (it is not an error).
      expect(await store.query({ kind: 'trend', event: 'close', math: 'users', ...range })).to.deep.equal(all(days, [0, 0]));
    });

    it('gives zeros for every period of a range without events', async () => {
      const store = await storeWith([ev('a', '2026-11-02T08:00:00Z'), ev('b', '2026-12-04T00:00:00Z')]);
      const days = ['2026-12-01', '2026-12-02', '2026-12-03'];
      const range = { from: '2026-12-01', to: '2026-12-03' };
      // Days after the clock have not ended either.
      expect(await store.query({ kind: 'trend', math: 'events', ...range })).to.deep.equal(all(days, [0, 0, 0], 0));
      expect(await store.query({ kind: 'trend', math: 'users', ...range })).to.deep.equal(all(days, [0, 0, 0], 0));
      const empty = await storeWith([]);
      expect(await empty.query({ kind: 'trend', math: 'users', interval: 'week', from: '2026-11-02', to: '2026-11-15' })).to.deep.equal(
        all(['2026-11-02', '2026-11-09'], [0, 0]),
      );
    });

    it('defaults to the 30 days ending today (the store clock says 2026-11-28 12:00 UTC) and to events per day', async () => {
      const store = await storeWith([
        ev('a', '2026-10-29T23:59:59Z'), // 30 days back: outside
        ev('a', '2026-10-30T00:00:00Z'), // first day
        ev('b', '2026-11-15T12:00:00Z'),
        ev('c', '2026-11-28T23:59:59Z'), // later than "now", but today
        ev('c', '2026-11-29T00:00:00Z'), // tomorrow
      ]);
      const days = dateNames('2026-10-30', 30);
      expect([days[0], days[29]]).to.deep.equal(['2026-10-30', '2026-11-28']);
      // 15 November is index 16: 30 and 31 October are 0 and 1. Today (index 29) has not ended.
      expect(await store.query({ kind: 'trend' })).to.deep.equal(all(days, sparse(30, { 0: 1, 16: 1, 29: 1 }), 29));
    });
  });

  describe('wau, mau and stickiness_ratio: trailing windows ending with each day', () => {
    const events = [
      ev('f', '2026-10-11T12:00:00Z'),
      ev('g', '2026-10-12T00:00:00Z'),
      ev('a', '2026-11-03T12:00:00Z'),
      ev('b', '2026-11-04T00:00:00Z'),
      ev('e', '2026-11-10T05:00:00Z'),
      ev('c', '2026-11-12T23:59:59Z'),
      ev('a', '2026-11-16T00:00:00Z'),
      ev('d', '2026-11-17T00:00:00Z'),
    ];

    it('wau: the 7 days D-6..D; a user seen before `from` counts, one seen only on D-7 does not', async () => {
      const store = await storeWith(events);
      // 10 Nov: window 4..10 has b (before `from`) and e; a (3 Nov = D-7) is out. 11 Nov: only e is left.
      // 12..15 Nov: e and c. 16 Nov: window 10..16 has e, c and a again.
      expect(await store.query({ kind: 'trend', math: 'wau', from: '2026-11-10', to: '2026-11-16' })).to.deep.equal(
        all(dateNames('2026-11-10', 7), [2, 1, 2, 2, 2, 2, 3]),
      );
    });

    it('mau: the 30 days D-29..D, reaching back before `from`', async () => {
      const store = await storeWith(events);
      // 10 Nov: window 12 Oct..10 Nov has g (12 Oct = D-29), a, b, e; f (11 Oct = D-30) is out.
      // 11 Nov: g drops out. 12 Nov: c joins.
      expect(await store.query({ kind: 'trend', math: 'mau', from: '2026-11-10', to: '2026-11-12' })).to.deep.equal(
        all(['2026-11-10', '2026-11-11', '2026-11-12'], [4, 3, 4]),
      );
    });

    it('stickiness_ratio: users(D) / mau(D), 0 when nobody came that day, null when mau is 0', async () => {
      const store = await storeWith(events);
      // users [1 (e), 0, 1 (c)] over mau [4, 3, 4].
      expect(await store.query({ kind: 'trend', math: 'stickiness_ratio', from: '2026-11-10', to: '2026-11-12' })).to.deep.equal(
        all(['2026-11-10', '2026-11-11', '2026-11-12'], [0.25, 0, 0.25]),
      );
      // mau: 15 Dec (16 Nov..15 Dec) has a and d, 16 Dec only d, 17 Dec nobody.
      const december = ['2026-12-15', '2026-12-16', '2026-12-17'];
      expect(await store.query({ kind: 'trend', math: 'mau', from: '2026-12-15', to: '2026-12-17' })).to.deep.equal(all(december, [2, 1, 0], 0));
      expect(await store.query({ kind: 'trend', math: 'stickiness_ratio', from: '2026-12-15', to: '2026-12-17' })).to.deep.equal(
        all(december, [0, 0, null], 0),
      );
    });

    it('rejects any interval but day, naming the field `interval`', async () => {
      const store = await storeWith(events);
      for (const math of ['wau', 'mau', 'stickiness_ratio'] as const) {
        const error = await specErrorOf(store.query({ kind: 'trend', math, interval: 'week', from: '2026-11-02', to: '2026-11-15' }));
        expect(error.field, math).to.equal('interval');
      }
      for (const interval of ['hour', 'month'] as const) {
        const error = await specErrorOf(store.query({ kind: 'trend', math: 'wau', interval, from: '2026-11-02', to: '2026-11-03' }));
        expect(error.field, interval).to.equal('interval');
      }
    });
  });

  describe('breakdown by a property', () => {
    /**
     * Totals over both days: (none) 11, 1 10, true 9, s4 8 ... s10 2, then
     * false 1 and x 1: twelve values, all counts of the top ten distinct.
     * On the first day p and q take turns, so each value has 2 users there.
     */
    const firstDay: [value: unknown, count: number][] = [
      [undefined, 10],
      [1, 9],
      [true, 9],
      ['s4', 8],
      ['s5', 7],
      ['s6', 6],
      ['s7', 5],
      ['s8', 4],
      ['s9', 3],
      ['s10', 2],
    ];
    const events = [
      ...firstDay.flatMap(([value, count]) =>
        Array.from({ length: count }, (_, i) => {
          // (none) both ways: no properties at all, or properties without `plan`.
          const properties = value === undefined ? (i % 2 ? { theme: 'dark' } : undefined) : { plan: value };
          return ev(i % 2 ? 'q' : 'p', `2026-11-02T10:${String(i).padStart(2, '0')}:00Z`, 'click', properties ? { properties } : {});
        }),
      ),
      ev('b', '2026-11-03T10:00:00Z'),
      ev('a', '2026-11-03T10:00:00Z', 'click', { properties: { plan: 1 } }),
      // o has two values outside the top ten: one `other` user, two `other` events.
      ev('o', '2026-11-03T11:00:00Z', 'click', { properties: { plan: false } }),
      ev('o', '2026-11-03T12:00:00Z', 'click', { properties: { plan: 'x' } }),
    ];
    const days = ['2026-11-02', '2026-11-03'];
    const range = { from: '2026-11-02', to: '2026-11-03' };
    const labels = ['(none)', '1', 'true', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 'other'];

    function bySeries(values: (number | null)[][]): TrendResult {
      return { series: labels.map((label, i) => ({ label, points: points(days, values[i]!) })) };
    }

    it('events: the ten most frequent values (numbers and booleans as text, missing as (none)), the rest as other', async () => {
      const store = await storeWith(events);
      expect(await store.query({ kind: 'trend', math: 'events', breakdown: 'plan', ...range })).to.deep.equal(
        bySeries([[10, 1], [9, 1], [9, 0], [8, 0], [7, 0], [6, 0], [5, 0], [4, 0], [3, 0], [2, 0], [0, 2]]),
      );
    });

    it('users: a user with two values outside the top ten is one `other` user', async () => {
      const store = await storeWith(events);
      expect(await store.query({ kind: 'trend', math: 'users', breakdown: 'plan', ...range })).to.deep.equal(
        bySeries([[2, 1], [2, 1], [2, 0], [2, 0], [2, 0], [2, 0], [2, 0], [2, 0], [2, 0], [2, 0], [0, 1]]),
      );
    });

    it('has no `other` series when there are ten values or fewer', async () => {
      const store = await storeWith([
        ev('a', '2026-11-02T10:00:00Z', 'click', { properties: { plan: 'pro' } }),
        ev('a', '2026-11-03T10:00:00Z', 'click', { properties: { plan: 'pro' } }),
        ev('b', '2026-11-03T11:00:00Z', 'click', { properties: { plan: 'free' } }),
      ]);
      expect(await store.query({ kind: 'trend', math: 'events', breakdown: 'plan', ...range })).to.deep.equal({
        series: [
          { label: 'pro', points: points(days, [1, 1]) },
          { label: 'free', points: points(days, [0, 1]) },
        ],
      });
    });

    describe('the limit of ten values (METRICS.md section 4: top 10, rest as `other`)', () => {
      // Values v01..v10 with 11..2 events: distinct counts, so the order is theirs.
      const ten = Array.from({ length: 10 }, (_, i) => [`v${String(i + 1).padStart(2, '0')}`, 11 - i] as const);
      const eventsOf = (values: readonly (readonly [string, number])[]): Record<string, unknown>[] =>
        values.flatMap(([plan, count]) =>
          Array.from({ length: count }, (_, i) => ev('a', `2026-11-02T10:${String(i).padStart(2, '0')}:00Z`, 'click', { properties: { plan } })),
        );
      const day = { from: '2026-11-02', to: '2026-11-02' };

      it('exactly ten values: ten series and no `other`', async () => {
        const store = await storeWith(eventsOf(ten));
        expect(await store.query({ kind: 'trend', math: 'events', breakdown: 'plan', ...day })).to.deep.equal({
          series: ten.map(([label, count]) => ({ label, points: [{ period: '2026-11-02', value: count }] })),
        });
      });

      it('eleven values: the ten most frequent, and the eleventh as `other`', async () => {
        const store = await storeWith(eventsOf([...ten, ['v11', 1]]));
        expect(await store.query({ kind: 'trend', math: 'events', breakdown: 'plan', ...day })).to.deep.equal({
          series: [
            ...ten.map(([label, count]) => ({ label, points: [{ period: '2026-11-02', value: count }] })),
            { label: 'other', points: [{ period: '2026-11-02', value: 1 }] },
          ],
        });
      });
    });

    it('gives a value seen only in the days before `from` its series when a trailing window reads them', async () => {
      const store = await storeWith([
        ev('a', '2026-11-01T10:00:00Z', 'click', { properties: { plan: 'old' } }),
        ev('b', '2026-11-03T10:00:00Z', 'click', { properties: { plan: 'new' } }),
      ]);
      // WAU on 3 Nov is 2 (a on the 1st, b on the 3rd): the breakdown must account for both.
      expect(await store.query({ kind: 'trend', math: 'wau', breakdown: 'plan', from: '2026-11-03', to: '2026-11-03' })).to.deep.equal({
        series: [
          { label: 'new', points: [{ period: '2026-11-03', value: 1 }] },
          { label: 'old', points: [{ period: '2026-11-03', value: 1 }] },
        ],
      });
    });
  });

  describe('time zones', () => {
    it('Europe/Berlin, spring forward: the 23-hour 29 March 2026 keeps its events on the right local days and weeks', async () => {
      const store = await storeWith(
        [
          ev('e', '2026-03-22T22:59:59Z'), // Sunday 22 March 23:59:59 CET
          ev('e', '2026-03-22T23:00:00Z'), // Monday 23 March 00:00 CET
          ev('a', '2026-03-28T22:59:59Z'), // 28 March 23:59:59 CET
          ev('b', '2026-03-28T23:30:00Z'), // 29 March 00:30 CET
          ev('f', '2026-03-29T00:59:59Z'), // 29 March 01:59:59 CET
          ev('f', '2026-03-29T01:00:00Z'), // 29 March 03:00 CEST: 02:00..03:00 does not exist
          ev('c', '2026-03-29T21:59:59Z'), // 29 March 23:59:59 CEST
          ev('d', '2026-03-29T22:30:00Z'), // 30 March 00:30 CEST (a 24-hour day from 23:00 UTC would still say 29th)
        ],
        { timezone: 'Europe/Berlin' },
      );
      const days = ['2026-03-28', '2026-03-29', '2026-03-30'];
      const range = { from: '2026-03-28', to: '2026-03-30' };
      expect(await store.query({ kind: 'trend', math: 'events', ...range })).to.deep.equal(all(days, [1, 4, 1]));
      expect(await store.query({ kind: 'trend', math: 'users', ...range })).to.deep.equal(all(days, [1, 3, 1]));
      // Monday weeks: 23 March holds e (23rd), a, b, f, f, c; the week of 30 March starts at 22:00 UTC, so d is in it.
      expect(await store.query({ kind: 'trend', math: 'events', interval: 'week', from: '2026-03-23', to: '2026-04-05' })).to.deep.equal(
        all(['2026-03-23', '2026-03-30'], [6, 1]),
      );
      const hours = [
        '2026-03-29T00:00+01:00',
        '2026-03-29T01:00+01:00',
        ...Array.from({ length: 21 }, (_, i) => `2026-03-29T${String(i + 3).padStart(2, '0')}:00+02:00`),
      ];
      expect(hours).to.have.length(23);
      expect(await store.query({ kind: 'trend', math: 'events', interval: 'hour', from: '2026-03-29', to: '2026-03-29' })).to.deep.equal(
        all(hours, sparse(23, { 0: 1, 1: 1, 2: 1, 22: 1 })),
      );
    });

    it('Europe/Berlin, fall back: 25 October 2026 has 25 hours, the 02:00 hour named twice', async () => {
      const store = await storeWith(
        [
          ev('a', '2026-10-24T21:59:59Z'), // 24 October 23:59:59 CEST
          ev('a', '2026-10-24T22:00:00Z'), // 25 October 00:00 CEST
          ev('b', '2026-10-25T00:30:00Z'), // 02:30 CEST
          ev('c', '2026-10-25T01:30:00Z'), // 02:30 CET, the second time round
          ev('c', '2026-10-25T01:45:00Z'), // 02:45 CET
          ev('d', '2026-10-25T22:59:59Z'), // 23:59:59 CET
          ev('d', '2026-10-25T23:00:00Z'), // 26 October 00:00 CET
        ],
        { timezone: 'Europe/Berlin' },
      );
      const hours = [
        '2026-10-25T00:00+02:00',
        '2026-10-25T01:00+02:00',
        '2026-10-25T02:00+02:00',
        '2026-10-25T02:00+01:00',
        ...Array.from({ length: 21 }, (_, i) => `2026-10-25T${String(i + 3).padStart(2, '0')}:00+01:00`),
      ];
      expect(hours).to.have.length(25);
      expect(await store.query({ kind: 'trend', math: 'events', interval: 'hour', from: '2026-10-25', to: '2026-10-25' })).to.deep.equal(
        all(hours, sparse(25, { 0: 1, 2: 1, 3: 2, 24: 1 })),
      );
      // The 25-hour day holds everything from 22:00 UTC on the 24th to 23:00 UTC on the 25th.
      expect(await store.query({ kind: 'trend', math: 'events', from: '2026-10-24', to: '2026-10-26' })).to.deep.equal(
        all(['2026-10-24', '2026-10-25', '2026-10-26'], [1, 5, 1]),
      );
    });

    describe('America/Los_Angeles', () => {
      const events = [
        ev('z', '2026-11-27T07:59:59Z'), // 26 November 23:59:59 PST
        ev('x', '2026-11-28T07:30:00Z'), // 27 November 23:30 PST
        ev('y', '2026-11-28T08:00:00Z'), // 28 November 00:00 PST
      ];

      it('days end at local midnight; a query in UTC moves the 07:30 UTC event to the 28th', async () => {
        const store = await storeWith(events, { timezone: 'America/Los_Angeles' });
        const days = ['2026-11-26', '2026-11-27', '2026-11-28'];
        const range = { from: '2026-11-26', to: '2026-11-28' };
        // The clock, 28 November 12:00 UTC, is 04:00 that day in Los Angeles: the 28th has not ended in either zone.
        expect(await store.query({ kind: 'trend', ...range })).to.deep.equal(all(days, [1, 1, 1], 2));
        expect(await store.query({ kind: 'trend', timezone: 'UTC', ...range })).to.deep.equal(all(days, [0, 1, 2], 2));
      });

      it('names hours with a negative offset', async () => {
        const store = await storeWith(events, { timezone: 'America/Los_Angeles' });
        expect(
          await store.query({ kind: 'trend', interval: 'hour', from: '2026-11-27T23:00:00-08:00', to: '2026-11-28T00:59:59-08:00' }),
        ).to.deep.equal(all(['2026-11-27T23:00-08:00', '2026-11-28T00:00-08:00'], [1, 1]));
      });

      it('defaults to the 30 local days ending with the local today, across the 25-hour 1 November', async () => {
        // 2026-11-28 05:00 UTC is 27 November 21:00 in Los Angeles.
        const store = await storeWith(
          [
            ev('a', '2026-10-29T06:59:59Z'), // 28 October 23:59:59 PDT
            ev('a', '2026-10-29T07:00:00Z'), // 29 October 00:00 PDT, the first day
            ev('b', '2026-11-02T07:30:00Z'), // 1 November 23:30 PST (after the fall-back)
            ev('c', '2026-11-28T07:59:59Z'), // 27 November 23:59:59 PST
            ev('c', '2026-11-28T08:00:00Z'), // 28 November, tomorrow locally
          ],
          { timezone: 'America/Los_Angeles', now: () => Date.UTC(2026, 10, 28, 5) },
        );
        const days = dateNames('2026-10-29', 30);
        expect([days[0], days[29]]).to.deep.equal(['2026-10-29', '2026-11-27']);
        // 1 November is index 3 (29, 30, 31 October are 0..2); the local today, index 29, has not ended.
        expect(await store.query({ kind: 'trend', math: 'events' })).to.deep.equal(all(days, sparse(30, { 0: 1, 3: 1, 29: 1 }), 29));
      });
    });
  });

  describe('hours across offset changes (METRICS.md section 2: local wall-clock hours, named by their start)', () => {
    it('Australia/Lord_Howe, 2024-10-06 (+10:30 to +11:00 at 02:00): 01:40+10:30 in the hour 01, 02:40+11:00 in the part-hour from 02:30', async () => {
      // The repro: each event in its own hour, none in an hour named 01:00 twice.
      const store = await storeWith([ev('a', '2024-10-05T15:10:00Z'), ev('a', '2024-10-05T15:40:00Z')], { timezone: 'Australia/Lord_Howe' });
      const spec = { kind: 'trend', interval: 'hour', from: '2024-10-06T00:00:00+10:30', to: '2024-10-06T03:59:00+11:00' } as const;
      const hours = ['2024-10-06T00:00+10:30', '2024-10-06T01:00+10:30', '2024-10-06T02:30+11:00', '2024-10-06T03:00+11:00'];
      expect(await store.query(spec)).to.deep.equal(all(hours, [0, 1, 1, 0]));
      expect(await store.query({ ...spec, math: 'users' })).to.deep.equal(all(hours, [0, 1, 1, 0]));
    });

    it('Australia/Lord_Howe, 2024-04-07 (+11:00 to +10:30 at 02:00): the repeated half-hour is the period 01:30+10:30', async () => {
      const store = await storeWith(
        [
          ev('a', '2024-04-06T14:45:00Z'), // 01:45+11:00
          ev('a', '2024-04-06T15:10:00Z'), // 01:40+10:30, the second time round
          ev('b', '2024-04-06T15:29:59Z'), // 01:59:59+10:30
          ev('b', '2024-04-06T15:30:00Z'), // 02:00+10:30
        ],
        { timezone: 'Australia/Lord_Howe' },
      );
      const hours = ['2024-04-07T00:00+11:00', '2024-04-07T01:00+11:00', '2024-04-07T01:30+10:30', '2024-04-07T02:00+10:30'];
      const spec = { kind: 'trend', interval: 'hour', from: '2024-04-07T00:00:00+11:00', to: '2024-04-07T02:59:59+10:30' } as const;
      expect(await store.query(spec)).to.deep.equal(all(hours, [0, 1, 2, 1]));
      expect(await store.query({ ...spec, math: 'users' })).to.deep.equal(all(hours, [0, 1, 2, 1]));
    });

    it('Asia/Kathmandu, 1986-01-01 (+05:30 to +05:45 at midnight): the first hour of the year runs from 00:15 for 45 minutes', async () => {
      const store = await storeWith(
        [
          ev('a', '1985-12-31T18:20:00Z'), // 23:50+05:30
          ev('a', '1985-12-31T18:30:00Z'), // 00:15+05:45
          ev('b', '1985-12-31T19:14:59Z'), // 00:59:59+05:45
          ev('b', '1985-12-31T19:15:00Z'), // 01:00+05:45
        ],
        { timezone: 'Asia/Kathmandu' },
      );
      const hours = ['1985-12-31T23:00+05:30', '1986-01-01T00:15+05:45', '1986-01-01T01:00+05:45'];
      const spec = { kind: 'trend', interval: 'hour', from: '1985-12-31T23:00:00+05:30', to: '1986-01-01T01:59:59+05:45' } as const;
      expect(await store.query(spec)).to.deep.equal(all(hours, [1, 2, 1]));
    });

    it('marks as incomplete the part-hour holding the clock and the hours after it, not the hour before the change', async () => {
      const store = await storeWith([ev('a', '2024-10-05T15:10:00Z'), ev('a', '2024-10-05T15:40:00Z')], {
        timezone: 'Australia/Lord_Howe',
        now: () => Date.parse('2024-10-05T15:45:00Z'), // 02:45+11:00
      });
      const spec = { kind: 'trend', interval: 'hour', from: '2024-10-06T00:00:00+10:30', to: '2024-10-06T03:59:00+11:00' } as const;
      const hours = ['2024-10-06T00:00+10:30', '2024-10-06T01:00+10:30', '2024-10-06T02:30+11:00', '2024-10-06T03:00+11:00'];
      expect(await store.query(spec)).to.deep.equal(all(hours, [0, 1, 1, 0], 2));
    });

    it('America/New_York, 2024-11-03: the whole-hour fall-back keeps its two hours named 01:00', async () => {
      const store = await storeWith(
        [
          ev('a', '2024-11-03T05:30:00Z'), // 01:30-04:00
          ev('a', '2024-11-03T06:30:00Z'), // 01:30-05:00
          ev('b', '2024-11-03T06:59:59Z'), // 01:59:59-05:00
          ev('b', '2024-11-03T07:00:00Z'), // 02:00-05:00
        ],
        { timezone: 'America/New_York' },
      );
      const hours = ['2024-11-03T00:00-04:00', '2024-11-03T01:00-04:00', '2024-11-03T01:00-05:00', '2024-11-03T02:00-05:00'];
      const spec = { kind: 'trend', interval: 'hour', from: '2024-11-03T00:00:00-04:00', to: '2024-11-03T02:59:59-05:00' } as const;
      expect(await store.query(spec)).to.deep.equal(all(hours, [0, 1, 2, 1]));
    });
  });

  describe('suppression (minGroupSize 3)', () => {
    // Users per day: 1, 2, 0, 3, 1, 0, 3 (a twice on 2 Nov).
    const events = [
      ev('a', '2026-11-02T09:00:00Z'),
      ev('a', '2026-11-02T10:00:00Z'),
      ev('a', '2026-11-03T09:00:00Z'),
      ev('b', '2026-11-03T09:00:00Z'),
      ev('a', '2026-11-05T09:00:00Z'),
      ev('b', '2026-11-05T09:00:00Z'),
      ev('c', '2026-11-05T09:00:00Z'),
      ev('a', '2026-11-06T09:00:00Z'),
      ev('a', '2026-11-08T09:00:00Z'),
      ev('b', '2026-11-08T09:00:00Z'),
      ev('d', '2026-11-08T09:00:00Z'),
    ];
    const days = dateNames('2026-11-02', 7);
    const range = { from: '2026-11-02', to: '2026-11-08' };
    /** The result with every null point marked as suppressed, as each null of these tables is. */
    const hidden = (result: TrendResult): TrendResult => ({
      ...result,
      series: result.series.map((series) => ({ ...series, points: series.points.map((point) => (point.value === null ? { ...point, suppressed: true } : point)) })),
    });

    it('users: 1 and 2 become null, 0 and 3 stay, and the result says suppressed', async () => {
      const store = await storeWith(events, { minGroupSize: 3 });
      expect(await store.query({ kind: 'trend', math: 'users', ...range })).to.deep.equal({
        ...hidden(all(days, [null, null, 0, 3, null, 0, 3])),
        suppressed: true,
      });
      // Nothing below 3 here: no flag at all.
      expect(await store.query({ kind: 'trend', math: 'users', from: '2026-11-04', to: '2026-11-05' })).to.deep.equal(
        all(['2026-11-04', '2026-11-05'], [0, 3]),
      );
    });

    it('events are never suppressed and carry no flag', async () => {
      const store = await storeWith(events, { minGroupSize: 3 });
      expect(await store.query({ kind: 'trend', math: 'events', ...range })).to.deep.equal(all(days, [2, 2, 0, 3, 1, 0, 3]));
    });

    it('wau and mau are distinct-user counts too', async () => {
      const store = await storeWith(events, { minGroupSize: 3 });
      // Both windows cover everything from 2 Nov here: {a}, {a,b}, {a,b}, then {a,b,c} and {a,b,c,d} on the 8th.
      const expected = { ...hidden(all(days, [null, null, null, 3, 3, 3, 4])), suppressed: true };
      expect(await store.query({ kind: 'trend', math: 'wau', ...range })).to.deep.equal(expected);
      expect(await store.query({ kind: 'trend', math: 'mau', ...range })).to.deep.equal(expected);
    });

    it('stickiness_ratio is null where users or mau is suppressed', async () => {
      const store = await storeWith(events, { minGroupSize: 3 });
      // 4 Nov: users 0 but mau 2 (suppressed); 5 Nov: 3/3; 6 Nov: users 1 (suppressed); 7 Nov: 0/3; 8 Nov: 3/4.
      expect(await store.query({ kind: 'trend', math: 'stickiness_ratio', ...range })).to.deep.equal({
        ...hidden(all(days, [null, null, null, 1, null, 0, 0.75])),
        suppressed: true,
      });
    });

    it('stickiness_ratio marks which nulls are suppressed: a 0 / 0 is null with nothing hidden', async () => {
      const store = await storeWith(events, { minGroupSize: 3 });
      // 31 Oct and 1 Nov: nobody in the 30 days, 0 / 0; 2 Nov: users 1; 3 Nov: users 2 (both suppressed).
      const result = await store.query({ kind: 'trend', math: 'stickiness_ratio', from: '2026-10-31', to: '2026-11-03' });
      expect(result.series[0]!.points).to.deep.equal([
        { period: '2026-10-31', value: null },
        { period: '2026-11-01', value: null },
        { period: '2026-11-02', value: null, suppressed: true },
        { period: '2026-11-03', value: null, suppressed: true },
      ]);
      expect(result.suppressed).to.equal(true);
    });
  });
});
