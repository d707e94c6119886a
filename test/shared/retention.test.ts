import { expect } from 'chai';
import { SpecError, type RetentionResult } from '../../shared/index.ts';
import { ev, rejectionOf, storeWith } from './helpers.ts';

/** A result from `[start, values]` rows (size = values[0]) and the average. */
/** Rows are [start, values] and, for a cohort with values whose period has not ended at the store's clock, the index of the first such value. */
function retention(rows: [string, (number | null)[], number?][], average: (number | null)[]): RetentionResult {
  return {
    cohorts: rows.map(([start, values, incompleteFrom]) =>
      incompleteFrom === undefined ? { start, size: values[0]!, values } : { start, size: values[0]!, values, incompleteFrom },
    ),
    average,
  };
}

/** Asserts that every cell of `after` (on_or_after) is at least the matching cell of `on`. */
function expectAtLeast(after: RetentionResult, on: RetentionResult): void {
  expect(after.cohorts.map((c) => c.values.length)).to.deep.equal(on.cohorts.map((c) => c.values.length));
  after.cohorts.forEach((cohort, i) =>
    cohort.values.forEach((value, k) => expect(value, `cohort ${i} period ${k}`).to.be.at.least(on.cohorts[i]!.values[k]!)),
  );
}

describe('retention (METRICS.md section 6)', () => {
  describe('daily cohorts of any event', () => {
    const events = [
      ev('a', '2026-11-02T10:00:00Z'),
      ev('a', '2026-11-03T10:00:00Z'),
      ev('a', '2026-11-05T09:00:00Z'),
      ev('a', '2026-11-06T10:00:00Z'), // after `to`
      ev('b', '2026-11-02T23:59:59.999Z'),
      ev('b', '2026-11-04T12:00:00Z'),
      ev('c', '2026-11-03T00:00:00Z'),
      ev('c', '2026-11-04T12:00:00Z'),
      ev('c', '2026-11-05T00:00:00Z'),
      ev('d', '2026-11-05T15:00:00Z'),
      ev('e', '2026-11-01T12:00:00Z'), // before `from`
      ev('e', '2026-11-03T12:00:00Z'),
    ];
    const range = { from: '2026-11-02', to: '2026-11-05' };

    it('recurring: a user is in the cohort of every day they were active (a is in three)', async () => {
      const store = await storeWith(events);
      // 2 Nov {a,b}: a back on the 3rd, b on the 4th, a on the 5th. 3 Nov {a,c,e}: c on the 4th, a and c on the 5th.
      // 4 Nov {b,c}: c on the 5th. 5 Nov {a,c,d}. Everything ended before NOW, so every cohort counts in the average.
      const expected = retention(
        [
          ['2026-11-02', [2, 1, 1, 1]],
          ['2026-11-03', [3, 1, 2]],
          ['2026-11-04', [2, 1]],
          ['2026-11-05', [3]],
        ],
        [1, 3 / 7, 3 / 5, 1 / 2],
      );
      expect(await store.query({ kind: 'retention', interval: 'day', ...range })).to.deep.equal(expected);
      // Defaults: interval day (PostHog's), cohort recurring, criterion on, basis calendar.
      expect(await store.query({ kind: 'retention', ...range })).to.deep.equal(expected);
      expect(
        await store.query({ kind: 'retention', cohort: 'recurring', criterion: 'on', basis: 'calendar', minimumOccurrences: 1, ...range }),
      ).to.deep.equal(expected);
      // The same 4 days as `periods` ending with the one containing `to`.
      expect(await store.query({ kind: 'retention', periods: 4, to: '2026-11-05' })).to.deep.equal(expected);
    });

    it('on_or_after counts a member in every period up to their last return, never below on', async () => {
      const store = await storeWith(events);
      // 2 Nov: a returns up to k=3, b up to k=2. 3 Nov: a and c up to k=2, e never. 4 Nov: c up to k=1.
      const after = await store.query({ kind: 'retention', criterion: 'on_or_after', ...range });
      expect(after).to.deep.equal(
        retention(
          [
            ['2026-11-02', [2, 2, 2, 1]],
            ['2026-11-03', [3, 2, 2]],
            ['2026-11-04', [2, 1]],
            ['2026-11-05', [3]],
          ],
          [1, 5 / 7, 4 / 5, 1 / 2],
        ),
      );
      expectAtLeast(after, await store.query({ kind: 'retention', ...range }));
    });

    it('first_time: only the cohort of the first start event ever, read before the range too', async () => {
      const store = await storeWith(events);
      // a and b first on 2 Nov, c on the 3rd, d on the 5th; e first on 1 Nov (before the range): in no cohort.
      expect(await store.query({ kind: 'retention', cohort: 'first_time', ...range })).to.deep.equal(
        retention(
          [
            ['2026-11-02', [2, 1, 1, 1]],
            ['2026-11-03', [1, 1, 1]],
            ['2026-11-04', [0, 0]],
            ['2026-11-05', [1]],
          ],
          [1, 2 / 3, 2 / 3, 1 / 2],
        ),
      );
      // on_or_after: a reaches k=3, b k=2; c k=2.
      expect(await store.query({ kind: 'retention', cohort: 'first_time', criterion: 'on_or_after', ...range })).to.deep.equal(
        retention(
          [
            ['2026-11-02', [2, 2, 2, 1]],
            ['2026-11-03', [1, 1, 1]],
            ['2026-11-04', [0, 0]],
            ['2026-11-05', [1]],
          ],
          [1, 1, 1, 1 / 2],
        ),
      );
    });

    it('counts nothing after an ISO `to` inside the last day', async () => {
      const store = await storeWith(events);
      // Only c's 00:00 event counts on 5 Nov: a (09:00) and d (15:00) are after `to`.
      expect(await store.query({ kind: 'retention', from: '2026-11-02', to: '2026-11-05T08:00:00Z' })).to.deep.equal(
        retention(
          [
            ['2026-11-02', [2, 1, 1, 0]],
            ['2026-11-03', [3, 1, 1]],
            ['2026-11-04', [2, 1]],
            ['2026-11-05', [1]],
          ],
          [1, 3 / 7, 2 / 5, 0],
        ),
      );
    });
  });

  describe('start and return events', () => {
    const events = [
      ev('a', '2026-11-02T10:00:00Z', 'signup'),
      ev('a', '2026-11-03T10:00:00Z', 'purchase'),
      ev('b', '2026-11-02T10:00:00Z', 'purchase'),
      ev('b', '2026-11-03T10:00:00Z', 'signup'),
      ev('b', '2026-11-04T10:00:00Z', 'purchase'),
      ev('c', '2026-11-02T10:00:00Z', 'signup'),
      ev('c', '2026-11-03T10:00:00Z', 'signup'),
      ev('d', '2026-11-03T10:00:00Z', 'purchase'),
      ev('d', '2026-11-04T10:00:00Z', 'purchase'),
    ];
    const range = { from: '2026-11-02', to: '2026-11-04' };

    it('a start event is not a return and a return event does not open a cohort', async () => {
      const store = await storeWith(events);
      // signup -> purchase. 2 Nov {a,c}: a purchases on the 3rd. 3 Nov {b,c}: b purchases on the 4th. d never signs up.
      expect(await store.query({ kind: 'retention', startEvent: 'signup', returnEvent: 'purchase', ...range })).to.deep.equal(
        retention(
          [
            ['2026-11-02', [2, 1, 0]],
            ['2026-11-03', [2, 1]],
            ['2026-11-04', [0]],
          ],
          [1, 2 / 4, 0],
        ),
      );
      // signup -> any event: c's second signup is a return.
      expect(await store.query({ kind: 'retention', startEvent: 'signup', ...range })).to.deep.equal(
        retention(
          [
            ['2026-11-02', [2, 2, 0]],
            ['2026-11-03', [2, 1]],
            ['2026-11-04', [0]],
          ],
          [1, 3 / 4, 0],
        ),
      );
      // any event -> purchase. 2 Nov {a,b,c}: a purchases on the 3rd, b on the 4th. 3 Nov {a,b,c,d}: b and d on the 4th.
      expect(await store.query({ kind: 'retention', returnEvent: 'purchase', ...range })).to.deep.equal(
        retention(
          [
            ['2026-11-02', [3, 1, 1]],
            ['2026-11-03', [4, 2]],
            ['2026-11-04', [2]],
          ],
          [1, 3 / 7, 1 / 3],
        ),
      );
    });

    it('an event name that was never recorded gives empty cohorts', async () => {
      const store = await storeWith(events);
      const empty = retention(
        [
          ['2026-11-02', [0, 0, 0]],
          ['2026-11-03', [0, 0]],
          ['2026-11-04', [0]],
        ],
        [null, null, null],
      );
      expect(await store.query({ kind: 'retention', startEvent: 'refund', ...range })).to.deep.equal(empty);
      // Cohorts of any event, but nobody came back with a refund.
      expect(await store.query({ kind: 'retention', returnEvent: 'refund', ...range })).to.deep.equal(
        retention(
          [
            ['2026-11-02', [3, 0, 0]],
            ['2026-11-03', [4, 0]],
            ['2026-11-04', [2]],
          ],
          [1, 0, 0],
        ),
      );
    });
  });

  describe('minimumOccurrences', () => {
    const events = [
      ev('a', '2026-11-02T00:00:00Z', 'signup'),
      ev('a', '2026-11-03T10:00:00Z', 'use'),
      ev('a', '2026-11-04T10:00:00Z', 'use'), // the same instant twice: two occurrences
      ev('a', '2026-11-04T10:00:00Z', 'use'),
      ev('b', '2026-11-02T00:00:00Z', 'signup'),
      ev('b', '2026-11-03T10:00:00Z', 'use'),
      ev('b', '2026-11-03T11:00:00Z', 'use'),
      ev('b', '2026-11-04T10:00:00Z', 'use'),
      ev('c', '2026-11-02T00:00:00Z', 'signup'),
      ev('c', '2026-11-03T23:59:00Z', 'use'), // two uses, but one per day
      ev('c', '2026-11-04T00:01:00Z', 'use'),
      ev('d', '2026-11-03T00:00:00Z', 'signup'),
      ev('d', '2026-11-04T01:00:00Z', 'use'),
      ev('d', '2026-11-04T02:00:00Z', 'use'),
      ev('d', '2026-11-04T03:00:00Z', 'use'),
    ];
    const base = { kind: 'retention', startEvent: 'signup', returnEvent: 'use', from: '2026-11-02', to: '2026-11-04' } as const;

    it('counts a return only in a period holding at least m return events', async () => {
      const store = await storeWith(events);
      // m = 1: everyone of 2 Nov comes back on both days.
      expect(await store.query(base)).to.deep.equal(
        retention(
          [
            ['2026-11-02', [3, 3, 3]],
            ['2026-11-03', [1, 1]],
            ['2026-11-04', [0]],
          ],
          [1, 1, 1],
        ),
      );
      // m = 2: b twice on the 3rd, a twice (same instant) on the 4th, c never twice in one day, d three times on the 4th.
      const on = await store.query({ ...base, minimumOccurrences: 2 });
      expect(on).to.deep.equal(
        retention(
          [
            ['2026-11-02', [3, 1, 1]],
            ['2026-11-03', [1, 1]],
            ['2026-11-04', [0]],
          ],
          [1, 2 / 4, 1 / 3],
        ),
      );
      // on_or_after with m = 2: a qualifies up to k=2, b up to k=1.
      const after = await store.query({ ...base, minimumOccurrences: 2, criterion: 'on_or_after' });
      expect(after).to.deep.equal(
        retention(
          [
            ['2026-11-02', [3, 2, 1]],
            ['2026-11-03', [1, 1]],
            ['2026-11-04', [0]],
          ],
          [1, 3 / 4, 1 / 3],
        ),
      );
      expectAtLeast(after, on);
      // m = 3: only d.
      expect(await store.query({ ...base, minimumOccurrences: 3 })).to.deep.equal(
        retention(
          [
            ['2026-11-02', [3, 0, 0]],
            ['2026-11-03', [1, 1]],
            ['2026-11-04', [0]],
          ],
          [1, 1 / 4, 0],
        ),
      );
    });

    it('rolling: counts occurrences per window (signups at midnight UTC make windows and days coincide)', async () => {
      const store = await storeWith(events);
      expect(await store.query({ ...base, minimumOccurrences: 2, basis: 'rolling' })).to.deep.equal(
        retention(
          [
            ['2026-11-02', [3, 1, 1]],
            ['2026-11-03', [1, 1]],
            ['2026-11-04', [0]],
          ],
          [1, 2 / 4, 1 / 3],
        ),
      );
    });

    it('rolling windows that straddle midnight keep the first and the last uses of each day', async () => {
      // Everyone signs up on 2 Nov at 12:00: window 1 is 3 Nov 12:00 .. 4 Nov 12:00, window 2 ends after 4 Nov.
      const store = await storeWith([
        ...['a', 'b', 'c', 'd'].map((u) => ev(u, '2026-11-02T12:00:00Z', 'signup')),
        ev('a', '2026-11-03T01:00:00Z', 'use'), // window 0
        ev('a', '2026-11-03T02:00:00Z', 'use'), // window 0
        ev('a', '2026-11-03T20:00:00Z', 'use'), // window 1: the last two uses of a's 3 November
        ev('a', '2026-11-03T21:00:00Z', 'use'),
        ev('b', '2026-11-03T23:00:00Z', 'use'), // window 1, one use either side of midnight
        ev('b', '2026-11-04T01:00:00Z', 'use'),
        ev('c', '2026-11-03T13:00:00Z', 'use'), // window 1
        ev('c', '2026-11-04T13:00:00Z', 'use'), // window 2
        ev('d', '2026-11-04T01:00:00Z', 'use'), // window 1: the first two uses of d's 4 November
        ev('d', '2026-11-04T02:00:00Z', 'use'),
        ev('d', '2026-11-04T20:00:00Z', 'use'), // window 2
        ev('d', '2026-11-04T21:00:00Z', 'use'),
      ]);
      const base = { kind: 'retention', startEvent: 'signup', returnEvent: 'use', from: '2026-11-02', to: '2026-11-04' } as const;
      const rows = (first: (number | null)[]): [string, (number | null)[]][] => [
        ['2026-11-02', first],
        ['2026-11-03', [0, 0]],
        ['2026-11-04', [0]],
      ];
      // Twice in window 1: a, b, d; c once in each window.
      expect(await store.query({ ...base, basis: 'rolling', minimumOccurrences: 2 })).to.deep.equal(retention(rows([4, 3, 0]), [1, 3 / 4, 0]));
      expect(await store.query({ ...base, basis: 'rolling' })).to.deep.equal(retention(rows([4, 4, 0]), [1, 1, 0]));
      // By calendar day: a uses four times on the 3rd, d on the 4th; b and c once a day.
      expect(await store.query({ ...base, minimumOccurrences: 2 })).to.deep.equal(retention(rows([4, 1, 1]), [1, 1 / 4, 1 / 4]));
    });
  });

  describe('rolling basis', () => {
    const events = [
      ev('a', '2026-11-02T10:00:00Z', 'signup'),
      ev('a', '2026-11-03T09:59:59.999Z', 'use'), // window 0
      ev('a', '2026-11-03T10:00:00Z', 'use'), // t0 + 24 h exactly: window 1
      ev('b', '2026-11-02T18:00:00Z', 'signup'),
      ev('b', '2026-11-03T12:00:00Z', 'use'), // the next day, but window 0
      ev('b', '2026-11-04T17:59:59.999Z', 'use'), // window 1
      ev('b', '2026-11-05T18:00:00Z', 'use'), // window 3 ends 6 Nov 18:00, after the last day: not counted
      ev('c', '2026-11-03T00:00:00Z', 'signup'),
      ev('c', '2026-11-03T20:00:00Z', 'signup'), // t0 stays the first signup of the day
      ev('c', '2026-11-05T00:00:00Z', 'use'), // window 2 ends 6 Nov 00:00, exactly the end of the last day: counted
      ev('d', '2026-11-04T06:00:00Z', 'signup'),
      ev('d', '2026-11-05T05:00:00Z', 'use'), // the next day, but window 0
    ];
    const base = { kind: 'retention', startEvent: 'signup', returnEvent: 'use', from: '2026-11-02', to: '2026-11-05' } as const;

    it('windows of 24 h from each member\'s first start event, not calendar days', async () => {
      const store = await storeWith(events);
      expect(await store.query({ ...base, basis: 'rolling' })).to.deep.equal(
        retention(
          [
            ['2026-11-02', [2, 2, 0, 0]],
            ['2026-11-03', [1, 0, 1]],
            ['2026-11-04', [1, 0]],
            ['2026-11-05', [0]],
          ],
          [1, 2 / 4, 1 / 3, 0],
        ),
      );
      // The same events by calendar day.
      expect(await store.query(base)).to.deep.equal(
        retention(
          [
            ['2026-11-02', [2, 2, 1, 1]],
            ['2026-11-03', [1, 0, 1]],
            ['2026-11-04', [1, 1]],
            ['2026-11-05', [0]],
          ],
          [1, 3 / 4, 2 / 3, 1 / 2],
        ),
      );
    });

    it('a window that ends after an ISO `to` is not counted, even for a return before `to`', async () => {
      const store = await storeWith(events);
      // c's window 2 ends 6 Nov 00:00, after `to` (5 Nov 12:00), though its use (5 Nov 00:00) is before it.
      expect(await store.query({ ...base, basis: 'rolling', to: '2026-11-05T12:00:00Z' })).to.deep.equal(
        retention(
          [
            ['2026-11-02', [2, 2, 0, 0]],
            ['2026-11-03', [1, 0, 0]],
            ['2026-11-04', [1, 0]],
            ['2026-11-05', [0]],
          ],
          [1, 2 / 4, 0, 0],
        ),
      );
    });

    it('first_time with on_or_after', async () => {
      const store = await storeWith([...events, ev('c', '2026-10-01T00:00:00Z', 'signup')]);
      // c signed up first in October: out. a and b reach window 1 only.
      expect(await store.query({ ...base, basis: 'rolling', cohort: 'first_time', criterion: 'on_or_after' })).to.deep.equal(
        retention(
          [
            ['2026-11-02', [2, 2, 0, 0]],
            ['2026-11-03', [0, 0, 0]],
            ['2026-11-04', [1, 0]],
            ['2026-11-05', [0]],
          ],
          [1, 2 / 3, 0, 0],
        ),
      );
    });

    it('months are 30 days', async () => {
      const store = await storeWith([
        ev('a', '2026-01-15T00:00:00Z', 'signup'),
        ev('a', '2026-02-20T00:00:00Z', 'use'), // 36 days later: window 1
        ev('b', '2026-01-31T00:00:00Z', 'signup'),
        ev('b', '2026-03-01T12:00:00Z', 'use'), // 29.5 days: window 0, though the calendar says March
        ev('b', '2026-03-02T00:00:00Z', 'use'), // 30 days: window 1, which ends 1 April 00:00, the end of the query
        ev('c', '2026-02-01T00:00:00Z', 'signup'),
        ev('c', '2026-03-03T00:00:00Z', 'use'), // window 1 ends 2 April: after the query, not counted
      ]);
      const range = { kind: 'retention', startEvent: 'signup', returnEvent: 'use', interval: 'month', from: '2026-01-01', to: '2026-03-31' } as const;
      expect(await store.query({ ...range, basis: 'rolling' })).to.deep.equal(
        retention(
          [
            ['2026-01-01', [2, 2, 0]],
            ['2026-02-01', [1, 0]],
            ['2026-03-01', [0]],
          ],
          [1, 2 / 3, 0],
        ),
      );
      expect(await store.query(range)).to.deep.equal(
        retention(
          [
            ['2026-01-01', [2, 1, 1]],
            ['2026-02-01', [1, 1]],
            ['2026-03-01', [0]],
          ],
          [1, 2 / 3, 1 / 2],
        ),
      );
    });
  });

  describe('weeks: Sunday next to Monday is one week or two', () => {
    // 1 November 2026 is a Sunday.
    const events = [
      ev('a', '2026-11-08T12:00:00Z'), // Sunday
      ev('a', '2026-11-09T12:00:00Z'), // Monday
      ev('b', '2026-11-07T12:00:00Z'), // Saturday
      ev('b', '2026-11-08T12:00:00Z'), // Sunday
      ev('c', '2026-11-02T12:00:00Z'), // Monday
      ev('c', '2026-11-15T12:00:00Z'), // Sunday, the day of `to`
    ];
    const range = { interval: 'week', from: '2026-11-02', to: '2026-11-15' } as const;

    it('monday weeks: 2 Nov and 9 Nov', async () => {
      const store = await storeWith(events);
      // 2 Nov {a,b,c}: a (Monday 9th) and c (Sunday 15th) come back. 9 Nov {a,c}.
      expect(await store.query({ kind: 'retention', ...range })).to.deep.equal(
        retention(
          [
            ['2026-11-02', [3, 2]],
            ['2026-11-09', [2]],
          ],
          [1, 2 / 3],
        ),
      );
    });

    it('sunday weeks: 1, 8 and 15 Nov, from the store or the query', async () => {
      // 1 Nov {b,c}: b back on the 8th, c on the 15th. 8 Nov {a,b}: nobody on the 15th. 15 Nov {c}.
      const expected = retention(
        [
          ['2026-11-01', [2, 1, 1]],
          ['2026-11-08', [2, 0]],
          ['2026-11-15', [1]],
        ],
        [1, 1 / 4, 1 / 2],
      );
      const sundayStore = await storeWith(events, { weekStart: 'sunday' });
      expect(await sundayStore.query({ kind: 'retention', ...range })).to.deep.equal(expected);
      const mondayStore = await storeWith(events);
      expect(await mondayStore.query({ kind: 'retention', weekStart: 'sunday', ...range })).to.deep.equal(expected);
    });
  });

  describe('Europe/Berlin across the spring-forward day, 29 March 2026 (23 hours)', () => {
    const events = [
      ev('a', '2026-03-28T12:00:00Z'), // 28th 13:00 CET
      ev('a', '2026-03-29T11:30:00Z'), // 29th 13:30 CEST, 23.5 h later
      ev('a', '2026-03-29T21:30:00Z'), // 29th 23:30 CEST
      ev('b', '2026-03-28T23:30:00Z'), // 29th 00:30 CET
      ev('b', '2026-03-29T22:30:00Z'), // 30th 00:30 CEST
      ev('c', '2026-03-28T22:30:00Z'), // 28th 23:30 CET
      ev('c', '2026-03-29T22:00:00Z'), // 30th 00:00 CEST: the 29th had only 23 hours
    ];
    const range = { from: '2026-03-28', to: '2026-03-30' };

    it('calendar days are local days', async () => {
      const store = await storeWith(events, { timezone: 'Europe/Berlin' });
      // 28th {a,c}: a back on the 29th, c on the 30th. 29th {a,b}: b on the 30th. 30th {b,c}.
      const expected = retention(
        [
          ['2026-03-28', [2, 1, 1]],
          ['2026-03-29', [2, 1]],
          ['2026-03-30', [2]],
        ],
        [1, 2 / 4, 1 / 2],
      );
      expect(await store.query({ kind: 'retention', ...range })).to.deep.equal(expected);
      const utcStore = await storeWith(events);
      expect(await utcStore.query({ kind: 'retention', timezone: 'Europe/Berlin', ...range })).to.deep.equal(expected);
    });

    it('rolling windows are 24 hours, not local days', async () => {
      const store = await storeWith(events, { timezone: 'Europe/Berlin' });
      // a (t0 28th 12:00Z): 29th 11:30Z is window 0, 29th 21:30Z window 1. c (t0 28th 22:30Z): 29th 22:00Z is window 0.
      // 29th: a (t0 11:30Z) and b (t0 28th 23:30Z) have nothing 24 h later before the end (30th 22:00Z).
      expect(await store.query({ kind: 'retention', basis: 'rolling', ...range })).to.deep.equal(
        retention(
          [
            ['2026-03-28', [2, 1, 0]],
            ['2026-03-29', [2, 0]],
            ['2026-03-30', [2]],
          ],
          [1, 1 / 4, 0],
        ),
      );
    });
  });

  it('hours are named with their offset', async () => {
    const store = await storeWith([
      ev('a', '2026-11-02T10:15:00Z'),
      ev('a', '2026-11-02T11:59:00Z'),
      ev('b', '2026-11-02T10:30:00Z'),
      ev('b', '2026-11-02T12:00:00Z'),
      ev('c', '2026-11-02T11:00:00Z'),
    ]);
    expect(await store.query({ kind: 'retention', interval: 'hour', from: '2026-11-02T10:00:00Z', to: '2026-11-02T12:59:59Z' })).to.deep.equal(
      retention(
        [
          ['2026-11-02T10:00+00:00', [2, 1, 1]],
          ['2026-11-02T11:00+00:00', [2, 0]],
          ['2026-11-02T12:00+00:00', [1]],
        ],
        [1, 1 / 4, 1 / 2],
      ),
    );
  });

  describe('average: only cohorts whose period k has ended by now (2026-11-28 12:00 UTC)', () => {
    const events = [
      ev('a', '2026-11-25T10:00:00Z'),
      ev('a', '2026-11-26T13:00:00Z'),
      ev('a', '2026-11-28T09:00:00Z'),
      ev('b', '2026-11-25T12:00:00Z'),
      ev('b', '2026-11-27T12:00:00Z'),
      ev('c', '2026-11-26T08:00:00Z'),
      ev('c', '2026-11-27T08:00:00Z'),
      ev('c', '2026-11-28T08:00:00Z'),
      ev('d', '2026-11-27T20:00:00Z'),
    ];

    it('calendar: cohort i counts in average[k] once day i + k is over', async () => {
      const store = await storeWith(events);
      // The last 4 days, ending today (28th, not over). Cells with i + k <= 2 are complete:
      // average[1] = (1 + 1) / (2 + 2) without the 27th's cohort, average[2] = 1 / 2 from the 25th's alone, average[3] none.
      expect(await store.query({ kind: 'retention', periods: 4 })).to.deep.equal(
        retention(
          [
            // Each cohort's value for the 28th is its first incomplete one.
            ['2026-11-25', [2, 1, 1, 1], 3],
            ['2026-11-26', [2, 1, 2], 2],
            ['2026-11-27', [3, 1], 1],
            ['2026-11-28', [2], 0],
          ],
          [1, 1 / 2, 1 / 2, null],
        ),
      );
    });

    it('rolling: once the window k of the cohort\'s latest member is over', async () => {
      const store = await storeWith(events);
      // 25th {a t0 10:00, b t0 12:00}: a back 27 h later (window 1) and 71 h later (2), b 48 h later (2).
      // 26th {a t0 13:00, c t0 08:00}: a 44 h later (1); c exactly 24 h later (1), 48 h later is window 2, which ends after today.
      // 27th {b, c, d}: c's window 1 ends after today. 28th {a, c}.
      // Over by 28th 12:00: the 25th's windows 0..2 (latest t0 25th 12:00 + 72 h = now exactly), the 26th's window 0 only
      // (t0 26th 13:00 + 48 h is after now), nothing of the 27th's (d's t0 20:00 + 24 h) or the 28th's.
      expect(await store.query({ kind: 'retention', periods: 4, basis: 'rolling' })).to.deep.equal(
        retention(
          [
            // The first window not over, as the average reads it: the 25th's window 3, the 26th's 1, the others' 0.
            ['2026-11-25', [2, 1, 2, 0], 3],
            ['2026-11-26', [2, 2, 0], 1],
            ['2026-11-27', [3, 0], 0],
            ['2026-11-28', [2], 0],
          ],
          [1, 1 / 2, 1, null],
        ),
      );
    });
  });

  describe('an empty range', () => {
    it('gives one empty cohort per period, and a null average while nothing is over or nobody is in a cohort', async () => {
      const store = await storeWith([ev('a', '2026-11-02T10:00:00Z'), ev('a', '2026-11-03T10:00:00Z')]);
      const days = (average: (number | null)[]): RetentionResult =>
        retention(
          [
            ['2026-12-01', [0, 0, 0], 0],
            ['2026-12-02', [0, 0], 0],
            ['2026-12-03', [0], 0],
          ],
          average,
        );
      // December is after now: no period is over, so every cohort is incomplete from its first value (rolling
      // cohorts without members too, by their calendar periods).
      expect(await store.query({ kind: 'retention', from: '2026-12-01', to: '2026-12-03' })).to.deep.equal(days([null, null, null]));
      expect(await store.query({ kind: 'retention', from: '2026-12-01', to: '2026-12-03', basis: 'rolling', criterion: 'on_or_after' })).to.deep.equal(
        days([null, null, null]),
      );
      // October is over, but its cohorts are empty: 0 / 0 is no average.
      expect(await store.query({ kind: 'retention', cohort: 'first_time', from: '2026-10-01', to: '2026-10-02' })).to.deep.equal(
        retention(
          [
            ['2026-10-01', [0, 0]],
            ['2026-10-02', [0]],
          ],
          [null, null],
        ),
      );
    });
  });

  describe('a cohort of 0 users among others (nobody active on 3 and 5 November)', () => {
    // a and b on the 2nd and 4th, c first on the 4th.
    const events = [
      ev('a', '2026-11-02T10:00:00Z'),
      ev('b', '2026-11-02T10:00:00Z'),
      ev('a', '2026-11-04T10:00:00Z'),
      ev('b', '2026-11-04T10:00:00Z'),
      ev('c', '2026-11-04T10:00:00Z'),
    ];
    const range = { from: '2026-11-02', to: '2026-11-05' };

    it('has size 0 and all values 0, and adds 0 to both sums of the average', async () => {
      const store = await storeWith(events);
      // average[1] = (0 + 0 + 0) / (2 + 0 + 3); average[3] = 0 / 2: the empty cohorts change neither sum.
      const on = retention(
        [
          ['2026-11-02', [2, 0, 2, 0]],
          ['2026-11-03', [0, 0, 0]],
          ['2026-11-04', [3, 0]],
          ['2026-11-05', [0]],
        ],
        [1, 0, 1, 0],
      );
      expect(await store.query({ kind: 'retention', ...range })).to.deep.equal(on);
      // Rolling 24-hour windows from 10:00 fall on the same days here.
      expect(await store.query({ kind: 'retention', basis: 'rolling', ...range })).to.deep.equal(on);
      // a and b come back on the 4th, so they count on the 3rd too: average[1] = 2 / 5.
      expect(await store.query({ kind: 'retention', criterion: 'on_or_after', ...range })).to.deep.equal(
        retention(
          [
            ['2026-11-02', [2, 2, 2, 0]],
            ['2026-11-03', [0, 0, 0]],
            ['2026-11-04', [3, 0]],
            ['2026-11-05', [0]],
          ],
          [1, 2 / 5, 1, 0],
        ),
      );
      expect(await store.query({ kind: 'retention', cohort: 'first_time', ...range })).to.deep.equal(
        retention(
          [
            ['2026-11-02', [2, 0, 2, 0]],
            ['2026-11-03', [0, 0, 0]],
            ['2026-11-04', [1, 0]],
            ['2026-11-05', [0]],
          ],
          [1, 0, 1, 0],
        ),
      );
    });

    it('is incomplete from the first of its periods not over at the clock, by calendar periods even on the rolling basis', async () => {
      // 4 November, 12:00 UTC: the 2nd and 3rd are over, the 4th and 5th are not.
      const store = await storeWith(events, { now: () => Date.UTC(2026, 10, 4, 12) });
      const calendar = retention(
        [
          ['2026-11-02', [2, 0, 2, 0], 2],
          ['2026-11-03', [0, 0, 0], 1],
          ['2026-11-04', [3, 0], 0],
          ['2026-11-05', [0], 0],
        ],
        // average[1]: only the cohort of the 2nd has its next day over (0 of 2).
        [1, 0, null, null],
      );
      expect(await store.query({ kind: 'retention', ...range })).to.deep.equal(calendar);
      // Rolling: the cohort of the 2nd (t0 10:00) has its window 1 over at 4 Nov 10:00, its window 2 not until 5 Nov
      // 10:00; the empty cohorts, without a t0, take the calendar reading. The same marks.
      expect(await store.query({ kind: 'retention', basis: 'rolling', ...range })).to.deep.equal(calendar);
    });
  });

  describe('suppression (minGroupSize 3)', () => {
    const events = [
      ...['u1', 'u2', 'u3', 'u4'].map((u) => ev(u, '2026-11-02T10:00:00Z')),
      ...['u1', 'u2', 'u3'].map((u) => ev(u, '2026-11-03T10:00:00Z')),
      ev('u1', '2026-11-04T10:00:00Z'),
    ];
    const range = { from: '2026-11-02', to: '2026-11-05' };

    it('sizes and cells of 1 or 2 become null, 0 stays 0, and an average made from a null is null', async () => {
      const open = await storeWith(events);
      expect(await open.query({ kind: 'retention', ...range })).to.deep.equal(
        retention(
          [
            ['2026-11-02', [4, 3, 1, 0]],
            ['2026-11-03', [3, 1, 0]],
            ['2026-11-04', [1, 0]],
            ['2026-11-05', [0]],
          ],
          [1, 4 / 8, 1 / 7, 0],
        ),
      );
      const store = await storeWith(events, { minGroupSize: 3 });
      // average[0] sums the 4th's suppressed size, [1] and [2] a suppressed cell each; [3] = 0 / 4 is made of unsuppressed counts.
      expect(await store.query({ kind: 'retention', ...range })).to.deep.equal({
        ...retention(
          [
            ['2026-11-02', [4, 3, null, 0]],
            ['2026-11-03', [3, null, 0]],
            ['2026-11-04', [null, 0]],
            ['2026-11-05', [0]],
          ],
          [null, null, null, 0],
        ),
        suppressed: true,
      });
    });

    it('carries no flag when no count is below 3', async () => {
      const store = await storeWith(events, { minGroupSize: 3 });
      expect(await store.query({ kind: 'retention', from: '2026-11-02', to: '2026-11-03' })).to.deep.equal(
        retention(
          [
            ['2026-11-02', [4, 3]],
            ['2026-11-03', [3]],
          ],
          [1, 3 / 4],
        ),
      );
    });
  });

  describe('spec errors name the field', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ event: 'signup' }, 'event'],
      [{ interval: 'year' }, 'interval'],
      [{ cohort: 'first' }, 'cohort'],
      [{ criterion: 'after' }, 'criterion'],
      [{ basis: 'sliding' }, 'basis'],
      [{ minimumOccurrences: 0 }, 'minimumOccurrences'],
      [{ minimumOccurrences: 1.5 }, 'minimumOccurrences'],
      [{ startEvent: '' }, 'startEvent'],
      [{ returnEvent: 7 }, 'returnEvent'],
      [{ from: '2026-11-01', periods: 3 }, 'periods'],
      [{ to: 'yesterday' }, 'to'],
    ];
    for (const [spec, field] of cases) {
      it(`${JSON.stringify(spec)} -> ${field}`, async () => {
        const store = await storeWith([]);
        const error = await rejectionOf(store.query({ kind: 'retention', ...spec } as never));
        expect(error).to.be.instanceOf(SpecError);
        expect((error as SpecError).field).to.equal(field);
      });
    }
  });
});
