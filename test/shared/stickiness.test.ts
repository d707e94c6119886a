import { expect } from 'chai';
import type { StickinessResult } from '../../shared/index.ts';
import { ev, storeWith } from './helpers.ts';

/** Buckets n = 1..users.length, in order. */
function buckets(...users: (number | null)[]): StickinessResult {
  return { buckets: users.map((count, i) => ({ n: i + 1, users: count })) };
}

describe('stickiness (METRICS.md section 5)', () => {
  describe('days', () => {
    /**
     * 2..5 November: a on 3 days (2nd twice, 3rd, 5th), b on 1, c on all 4,
     * d on 1 inside the range (its 1st and 6th are outside), e only outside.
     */
    const events = [
      ev('a', '2026-11-02T08:00:00Z', 'open'),
      ev('a', '2026-11-02T20:00:00Z', 'open'),
      ev('a', '2026-11-03T08:00:00Z', 'save'),
      ev('a', '2026-11-05T23:59:59Z', 'open'),
      ev('b', '2026-11-02T12:00:00Z', 'save'),
      ev('c', '2026-11-02T00:00:00Z', 'save'),
      ev('c', '2026-11-03T00:00:00Z', 'save'),
      ev('c', '2026-11-04T00:00:00Z', 'save'),
      ev('c', '2026-11-05T00:00:00Z', 'save'),
      ev('d', '2026-11-01T23:59:59Z', 'open'),
      ev('d', '2026-11-04T12:00:00Z', 'open'),
      ev('d', '2026-11-06T00:00:00Z', 'open'),
      ev('e', '2026-11-06T10:00:00Z', 'open'),
    ];
    const range = { from: '2026-11-02', to: '2026-11-05' };

    it('counts users active on exactly n of the N days, every n from 1 to N present', async () => {
      const store = await storeWith(events);
      // n=1: b, d; n=2: nobody; n=3: a; n=4: c.
      expect(await store.query({ kind: 'stickiness', interval: 'day', ...range })).to.deep.equal(buckets(2, 0, 1, 1));
      // The default interval is day.
      expect(await store.query({ kind: 'stickiness', ...range })).to.deep.equal(buckets(2, 0, 1, 1));
    });

    it('cumulative: users active on at least n days', async () => {
      const store = await storeWith(events);
      expect(await store.query({ kind: 'stickiness', cumulative: true, ...range })).to.deep.equal(buckets(4, 2, 2, 1));
    });

    it('the buckets add up to the users active in the range (trend users over one month agrees)', async () => {
      const store = await storeWith(events);
      const exact = await store.query({ kind: 'stickiness', ...range });
      const total = exact.buckets.reduce((sum, bucket) => sum + (bucket.users ?? 0), 0);
      expect(total).to.equal(4);
      // The one month period counts whole from 1 November (d's 1st adds nobody new) and stops at `to` (e is after
      // it); November has not ended at the store's clock.
      expect(await store.query({ kind: 'trend', math: 'users', interval: 'month', ...range })).to.deep.equal({
        series: [{ label: 'all', points: [{ period: '2026-11-01', value: 4, incomplete: true }] }],
      });
    });

    it('counts only the named event', async () => {
      const store = await storeWith(events);
      // save: a on 1 day (3rd), b on 1, c on 4. open: a on 2 days (2nd, 5th), d on 1.
      expect(await store.query({ kind: 'stickiness', event: 'save', ...range })).to.deep.equal(buckets(2, 0, 0, 1));
      expect(await store.query({ kind: 'stickiness', event: 'open', ...range })).to.deep.equal(buckets(1, 1, 0, 0));
      expect(await store.query({ kind: 'stickiness', event: 'open', cumulative: true, ...range })).to.deep.equal(buckets(2, 1, 0, 0));
      expect(await store.query({ kind: 'stickiness', event: 'close', ...range })).to.deep.equal(buckets(0, 0, 0, 0));
    });

    it('gives N zero buckets for a range without events', async () => {
      const store = await storeWith(events);
      expect(await store.query({ kind: 'stickiness', from: '2026-12-01', to: '2026-12-03' })).to.deep.equal(buckets(0, 0, 0));
      expect(await store.query({ kind: 'stickiness', cumulative: true, from: '2026-12-01', to: '2026-12-03' })).to.deep.equal(
        buckets(0, 0, 0),
      );
    });

    it('takes `periods` days ending with the one containing `to`', async () => {
      const store = await storeWith(events);
      // 3..5 November: a on 3rd and 5th, c on all three, d on the 4th; b (2nd only) is out.
      expect(await store.query({ kind: 'stickiness', periods: 3, to: '2026-11-05' })).to.deep.equal(buckets(1, 1, 1));
      // An ISO `to` at 5 November 00:00 keeps the day but cuts a's 23:59:59 event: a is left with 1 day.
      expect(await store.query({ kind: 'stickiness', periods: 3, to: '2026-11-05T00:00:00Z' })).to.deep.equal(buckets(2, 0, 1));
    });
  });

  describe('weeks: Sunday next to Monday is one week or two', () => {
    // 1 November 2026 is a Sunday.
    const events = [
      ev('a', '2026-11-08T12:00:00Z'), // Sunday
      ev('a', '2026-11-09T12:00:00Z'), // Monday
      ev('b', '2026-11-01T12:00:00Z'), // Sunday, the day of `from`
      ev('b', '2026-11-02T12:00:00Z'), // Monday
      ev('c', '2026-11-07T12:00:00Z'), // Saturday
      ev('c', '2026-11-08T12:00:00Z'), // Sunday
      ev('d', '2026-10-26T12:00:00Z'), // Monday before `from`
      ev('d', '2026-11-04T12:00:00Z'), // Wednesday
      ev('d', '2026-11-13T12:00:00Z'), // Friday
      ev('e', '2026-10-31T12:00:00Z'), // Saturday before `from`
      ev('f', '2026-11-08T12:00:00Z'), // Sunday
      ev('f', '2026-11-14T23:59:59Z'), // Saturday, the end of `to`
    ];
    const range = { from: '2026-11-01', to: '2026-11-14' };

    it('monday weeks: 26 Oct (whole, though it starts before `from`), 2 Nov, 9 Nov', async () => {
      const store = await storeWith(events, { weekStart: 'monday' });
      // a: weeks 2 and 9 Nov; b: 26 Oct and 2 Nov; c: 2 Nov; d: all three; e: 26 Oct; f: 2 and 9 Nov.
      expect(await store.query({ kind: 'stickiness', interval: 'week', ...range })).to.deep.equal(buckets(2, 3, 1));
    });

    it('sunday weeks: 1 Nov and 8 Nov', async () => {
      // a: 8 Nov; b: 1 Nov; c: 1 and 8 Nov; d: 1 and 8 Nov (26 Oct is in the week of 25 Oct, outside); e: outside; f: 8 Nov.
      const expected = buckets(3, 2);
      const sundayStore = await storeWith(events, { weekStart: 'sunday' });
      expect(await sundayStore.query({ kind: 'stickiness', interval: 'week', ...range })).to.deep.equal(expected);
      const mondayStore = await storeWith(events);
      expect(await mondayStore.query({ kind: 'stickiness', interval: 'week', weekStart: 'sunday', ...range })).to.deep.equal(expected);
    });
  });

  it('months: N = 3 from mid-September to 10 November, the first month whole', async () => {
    const store = await storeWith([
      ev('a', '2026-09-01T00:00:00Z'), // before `from`, in the first month
      ev('a', '2026-10-15T12:00:00Z'),
      ev('a', '2026-11-10T23:59:59Z'),
      ev('b', '2026-08-31T23:59:59Z'), // before the first month
      ev('b', '2026-10-01T00:00:00Z'),
      ev('b', '2026-10-31T23:59:59Z'),
      ev('c', '2026-09-30T12:00:00Z'),
      ev('c', '2026-11-11T00:00:00Z'), // after `to`
      ev('d', '2026-09-20T12:00:00Z'),
      ev('d', '2026-11-05T12:00:00Z'),
    ]);
    // a: 3 months; b: October only; c: September only; d: September and November.
    const range = { from: '2026-09-15', to: '2026-11-10' };
    expect(await store.query({ kind: 'stickiness', interval: 'month', ...range })).to.deep.equal(buckets(2, 1, 1));
    expect(await store.query({ kind: 'stickiness', interval: 'month', cumulative: true, ...range })).to.deep.equal(buckets(4, 2, 1));
    // Two months ending with the one containing 10 November: October and November.
    // a: both; b: October; d: November; c: neither (its November event is after `to`).
    expect(await store.query({ kind: 'stickiness', interval: 'month', periods: 2, to: '2026-11-10' })).to.deep.equal(buckets(2, 1));
  });

  it('days in Europe/Berlin: the spring-forward day is one local day', async () => {
    const store = await storeWith(
      [
        ev('a', '2026-03-28T23:30:00Z'), // 29 March 00:30 CET
        ev('a', '2026-03-29T21:59:59Z'), // 29 March 23:59:59 CEST
        ev('b', '2026-03-29T12:00:00Z'), // 29 March
        ev('b', '2026-03-29T22:30:00Z'), // 30 March 00:30 CEST
      ],
      { timezone: 'Europe/Berlin' },
    );
    // a: 1 day (29th); b: 2 days (29th, 30th).
    expect(await store.query({ kind: 'stickiness', from: '2026-03-28', to: '2026-03-30' })).to.deep.equal(buckets(1, 1, 0));
  });

  describe('suppression (minGroupSize 3)', () => {
    // 2..4 November: u1, u2, u3 on one day each, u4 on two, nobody on all three.
    const events = [
      ev('u1', '2026-11-02T10:00:00Z'),
      ev('u2', '2026-11-03T10:00:00Z'),
      ev('u3', '2026-11-04T10:00:00Z'),
      ev('u3', '2026-11-04T11:00:00Z'),
      ev('u4', '2026-11-02T10:00:00Z'),
      ev('u4', '2026-11-04T10:00:00Z'),
    ];
    const range = { from: '2026-11-02', to: '2026-11-04' };

    it('a bucket of 1 or 2 users becomes null, 0 and 3 stay, and the result says suppressed', async () => {
      const store = await storeWith(events, { minGroupSize: 3 });
      expect(await store.query({ kind: 'stickiness', ...range })).to.deep.equal({ ...buckets(3, null, 0), suppressed: true });
      // At least n: 4, 1 (suppressed), 0.
      expect(await store.query({ kind: 'stickiness', cumulative: true, ...range })).to.deep.equal({ ...buckets(4, null, 0), suppressed: true });
    });

    it('carries no flag when no bucket is below 3, and the buckets add up to the 4 active users', async () => {
      const store = await storeWith(events, { minGroupSize: 3 });
      // Over 3..4 November only: u2, u3 and u4 once each, nobody twice.
      expect(await store.query({ kind: 'stickiness', from: '2026-11-03', to: '2026-11-04' })).to.deep.equal(buckets(3, 0));
      expect(await store.query({ kind: 'trend', math: 'users', interval: 'month', ...range })).to.deep.equal({
        series: [{ label: 'all', points: [{ period: '2026-11-01', value: 4, incomplete: true }] }],
      });
      const open = await storeWith(events);
      expect(await open.query({ kind: 'stickiness', ...range })).to.deep.equal(buckets(3, 1, 0));
    });
  });
});
