import { expect } from 'chai';
import { SpecError, type LifecyclePoint, type LifecycleResult } from '../../shared/index.ts';
import { ev, rejectionOf, storeWith } from './helpers.ts';

/** One point: [period, new, returning, resurrecting, dormant], and 'incomplete' for a period not ended at the store's clock. */
type Row = [period: string, neu: number | null, returning: number | null, resurrecting: number | null, dormant: number | null, incomplete?: 'incomplete'];

function points(...rows: Row[]): LifecycleResult {
  return {
    points: rows.map(([period, neu, returning, resurrecting, dormant, incomplete]): LifecyclePoint => {
      const point = { period, new: neu, returning, resurrecting, dormant };
      return incomplete ? { ...point, incomplete: true } : point;
    }),
  };
}

describe('lifecycle (METRICS.md section 7)', () => {
  /**
   * 3..5 November (UTC); the period before the range is 2 November.
   * a: signed up in October, opens on the 2nd, 3rd and 5th.
   * b: first event ever (signup) on the 3rd, opens on the 3rd and 4th.
   * c: signed up on the 1st, before the range and under another name; opens on the 4th.
   * d: opens on the 2nd only, the previous period of the first day.
   * e: opens for the first time ever on the 5th.
   * f: signs up on the 4th, opens on the 5th.
   * g: only after `to`.
   */
  const events = [
    ev('a', '2026-10-20T09:00:00Z', 'signup'),
    ev('a', '2026-11-02T09:00:00Z', 'open'),
    ev('a', '2026-11-03T09:00:00Z', 'open'),
    ev('a', '2026-11-05T09:00:00Z', 'open'),
    ev('b', '2026-11-03T08:00:00Z', 'signup'),
    ev('b', '2026-11-03T09:00:00Z', 'open'),
    ev('b', '2026-11-04T09:00:00Z', 'open'),
    ev('c', '2026-11-01T12:00:00Z', 'signup'),
    ev('c', '2026-11-04T23:59:59Z', 'open'),
    ev('d', '2026-11-02T23:00:00Z', 'open'),
    ev('e', '2026-11-05T00:00:00Z', 'open'),
    ev('f', '2026-11-04T10:00:00Z', 'signup'),
    ev('f', '2026-11-05T10:00:00Z', 'open'),
    ev('g', '2026-11-06T00:00:00Z', 'open'),
  ];
  const range = { from: '2026-11-03', to: '2026-11-05' };

  it('sorts the users of each day into new, returning, resurrecting and dormant', async () => {
    const store = await storeWith(events);
    expect(await store.query({ kind: 'lifecycle', event: 'open', interval: 'day', ...range })).to.deep.equal(
      points(
        // b new (signed up that day); a returning (opened on the 2nd); d dormant (opened on the 2nd only).
        ['2026-11-03', 1, 1, 0, 1],
        // b returning; c resurrecting (its first event ever, on the 1st, is another name); a dormant.
        ['2026-11-04', 0, 1, 1, 1],
        // e new; a and f resurrecting (f's first event ever was on the 4th, a signup); b and c dormant.
        ['2026-11-05', 1, 0, 2, 2],
      ),
    );
  });

  it('counts any event without `event`, and `day` is the default interval', async () => {
    const store = await storeWith(events);
    const expected = points(
      ['2026-11-03', 1, 1, 0, 1],
      // f's signup makes it active and new on the 4th.
      ['2026-11-04', 1, 1, 1, 1],
      // f returning now; a resurrecting; b and c dormant.
      ['2026-11-05', 1, 1, 1, 2],
    );
    expect(await store.query({ kind: 'lifecycle', ...range })).to.deep.equal(expected);
    expect(await store.query({ kind: 'lifecycle', interval: 'day', ...range })).to.deep.equal(expected);
  });

  it('keeps active(t) = new + returning + resurrecting and active(t-1) = returning + dormant', async () => {
    const store = await storeWith(events);
    for (const event of ['open', undefined]) {
      const lifecycle = await store.query({ kind: 'lifecycle', event, ...range });
      // Active users per day from 2 November, the first day's previous period, on.
      const trend = await store.query({ kind: 'trend', math: 'users', event, from: '2026-11-02', to: range.to });
      const active = trend.series[0]!.points.map((p) => p.value);
      expect(active, String(event)).to.deep.equal(event === 'open' ? [2, 2, 2, 3] : [2, 2, 3, 3]);
      lifecycle.points.forEach((p, t) => {
        expect(p.new! + p.returning! + p.resurrecting!, `${p.period} active`).to.equal(active[t + 1]);
        expect(p.returning! + p.dormant!, `${p.period} previous`).to.equal(active[t]);
      });
    }
  });

  it("reads the first period's previous period from the store, whatever the range", async () => {
    const store = await storeWith(events);
    // Alone, 3 November still sees a and d active on the 2nd.
    expect(await store.query({ kind: 'lifecycle', event: 'open', periods: 1, to: '2026-11-03' })).to.deep.equal(points(['2026-11-03', 1, 1, 0, 1]));
    // 6 November: only g (new); everyone active on the 5th is dormant; nothing of the range's own events is needed.
    expect(await store.query({ kind: 'lifecycle', event: 'open', from: '2026-11-06', to: '2026-11-06' })).to.deep.equal(
      points(['2026-11-06', 1, 0, 0, 3]),
    );
  });

  it('answers a range without events, and without events before it, with zeros', async () => {
    const store = await storeWith(events);
    expect(await store.query({ kind: 'lifecycle', from: '2026-12-01', to: '2026-12-03' })).to.deep.equal(
      points(['2026-12-01', 0, 0, 0, 0, 'incomplete'], ['2026-12-02', 0, 0, 0, 0, 'incomplete'], ['2026-12-03', 0, 0, 0, 0, 'incomplete']),
    );
    const empty = await storeWith([]);
    expect(await empty.query({ kind: 'lifecycle', interval: 'month', from: '2026-11-01', to: '2026-11-30' })).to.deep.equal(
      points(['2026-11-01', 0, 0, 0, 0, 'incomplete']),
    );
  });

  describe('weeks: Sunday next to Monday is one week or two', () => {
    // 8 and 15 November 2026 are Sundays.
    const weekEvents = [
      ev('p', '2026-11-08T12:00:00Z'), // Sunday: p's first event
      ev('p', '2026-11-16T12:00:00Z'), // Monday
      ev('q', '2026-11-07T12:00:00Z'), // Saturday: q's first event
      ev('q', '2026-11-15T12:00:00Z'), // Sunday
      ev('r', '2026-11-09T12:00:00Z'), // Monday: r's first event
      ev('r', '2026-11-22T12:00:00Z'), // Sunday, after `to`
    ];
    const weekRange = { interval: 'week', from: '2026-11-09', to: '2026-11-21' } as const;

    it('monday weeks 9 and 16 November, after the week of 2 November', async () => {
      const store = await storeWith(weekEvents);
      expect(await store.query({ kind: 'lifecycle', ...weekRange })).to.deep.equal(
        points(
          // r new; q returning (active the week before, on Saturday 7th); p dormant (its Sunday 8th is in the week before).
          ['2026-11-09', 1, 1, 0, 1],
          // p resurrecting; q and r dormant.
          ['2026-11-16', 0, 0, 1, 2],
        ),
      );
    });

    it('sunday weeks 8 and 15 November (the first starting before `from`), after the week of 1 November', async () => {
      // p and r new; q dormant (Saturday 7th is the week before). Then p returning, q resurrecting, r dormant.
      const expected = points(['2026-11-08', 2, 0, 0, 1], ['2026-11-15', 0, 1, 1, 1]);
      expect(await (await storeWith(weekEvents, { weekStart: 'sunday' })).query({ kind: 'lifecycle', ...weekRange })).to.deep.equal(expected);
      expect(await (await storeWith(weekEvents)).query({ kind: 'lifecycle', weekStart: 'sunday', ...weekRange })).to.deep.equal(expected);
    });
  });

  describe('daylight saving time in Europe/Berlin (clocks go back on 25 October 2026)', () => {
    it('days: 25 October lasts 25 hours', async () => {
      const store = await storeWith(
        [
          ev('u', '2026-10-24T21:30:00Z'), // 24 Oct 23:30 CEST: u's first event
          ev('u', '2026-10-25T22:30:00Z'), // 25 Oct 23:30 CET: still the 25th, in its 25th hour
          ev('v', '2026-10-24T22:30:00Z'), // 25 Oct 00:30 CEST: v's first event (the 24th in UTC)
          ev('v', '2026-10-26T10:00:00Z'),
          ev('w', '2026-10-25T23:30:00Z'), // 26 Oct 00:30 CET: w's first event
        ],
        { timezone: 'Europe/Berlin' },
      );
      expect(await store.query({ kind: 'lifecycle', from: '2026-10-25', to: '2026-10-26' })).to.deep.equal(
        points(
          // v new; u returning (24th, then the last hour of the 25th).
          ['2026-10-25', 1, 1, 0, 0],
          // w new; v returning; u dormant.
          ['2026-10-26', 1, 1, 0, 1],
        ),
      );
      // Read in UTC the same events fall on other days: u and v on the 24th, u and w (new) on the 25th,
      // v (resurrecting) on the 26th.
      expect(await store.query({ kind: 'lifecycle', timezone: 'UTC', from: '2026-10-25', to: '2026-10-26' })).to.deep.equal(
        points(['2026-10-25', 1, 1, 0, 1], ['2026-10-26', 0, 0, 1, 2]),
      );
    });

    it('hours: the repeated 02:00 hour is two periods, each the previous of the next', async () => {
      const store = await storeWith(
        [
          ev('x', '2026-10-24T23:30:00Z'), // 01:30 CEST, the hour before the range: x's first event
          ev('x', '2026-10-25T00:30:00Z'), // 02:30 CEST
          ev('x', '2026-10-25T01:30:00Z'), // 02:30 CET
          ev('y', '2026-10-25T01:10:00Z'), // 02:10 CET: y's first event
        ],
        { timezone: 'Europe/Berlin' },
      );
      expect(
        await store.query({ kind: 'lifecycle', interval: 'hour', from: '2026-10-25T02:00:00+02:00', to: '2026-10-25T02:59:59+01:00' }),
      ).to.deep.equal(points(['2026-10-25T02:00+02:00', 0, 1, 0, 0], ['2026-10-25T02:00+01:00', 1, 1, 0, 0]));
    });
  });

  describe('suppression (minGroupSize 3)', () => {
    // 10 November, after 9 November: u1..u3 on both days, u4 new on the 10th, u5 and u6 on the 9th only.
    const suppressionEvents = [
      ...['u1', 'u2', 'u3'].flatMap((u) => [ev(u, '2026-11-09T10:00:00Z'), ev(u, '2026-11-10T10:00:00Z')]),
      ev('u4', '2026-11-10T11:00:00Z'),
      ev('u5', '2026-11-09T11:00:00Z'),
      ev('u6', '2026-11-09T12:00:00Z'),
    ];

    it('turns counts of 1 or 2 users into null, keeps 0 and 3, and flags the result', async () => {
      const store = await storeWith(suppressionEvents, { minGroupSize: 3 });
      expect(await store.query({ kind: 'lifecycle', from: '2026-11-10', to: '2026-11-10' })).to.deep.equal({
        ...points(['2026-11-10', null, 3, 0, null]),
        suppressed: true,
      });
    });

    it('carries no flag when no count is below 3', async () => {
      const store = await storeWith(suppressionEvents, { minGroupSize: 3 });
      // 11 November: nobody active, u1..u4 dormant.
      expect(await store.query({ kind: 'lifecycle', from: '2026-11-11', to: '2026-11-11' })).to.deep.equal(points(['2026-11-11', 0, 0, 0, 4]));
    });
  });

  it('rejects bad specs, naming the field', async () => {
    const store = await storeWith(events);
    for (const [spec, field] of [
      [{ events: 'open' }, 'events'],
      [{ event: 5 }, 'event'],
      [{ event: '' }, 'event'],
      [{ interval: 'fortnight' }, 'interval'],
      [{ from: 'yesterday' }, 'from'],
      [{ from: '2026-11-01', periods: 3 }, 'periods'],
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
    ] as const) {
      const error = await rejectionOf(store.query({ kind: 'lifecycle', ...(spec as object) } as never));
      expect(error, field).to.be.instanceOf(SpecError);
      expect((error as SpecError).field, field).to.equal(field);
    }
  });
});
