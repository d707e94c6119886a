import { expect } from 'chai';
import { incompleteMark } from '../../shared/time/periods.ts';
import { ev, storeWith } from './helpers.ts';

/**
 * Incomplete periods (METRICS.md section 2): an element named by a period
 * that has not ended at the store's clock carries `incomplete: true`, a
 * retention cohort `incompleteFrom`; both are absent otherwise. A period
 * ends at its exclusive end, whatever the query's `to`.
 */

const at = (iso: string) => () => Date.parse(iso);

/** Trend points of [period, value], those from index `from` on flagged. */
function trendOf(rows: [string, number][], from: number) {
  return { series: [{ label: 'all', points: rows.map(([period, value], i) => (i < from ? { period, value } : { period, value, incomplete: true })) }] };
}

describe('incomplete periods (METRICS.md section 2)', () => {
  it('a period has ended at its exclusive end, not one millisecond before', () => {
    const day = { start: Date.parse('2026-11-27T00:00:00Z'), end: Date.parse('2026-11-28T00:00:00Z'), name: '2026-11-27' };
    expect(incompleteMark(day, day.end - 1)).to.deep.equal({ incomplete: true });
    expect(incompleteMark(day, day.end)).to.deep.equal({});
    expect(incompleteMark(day, day.start - 1)).to.deep.equal({ incomplete: true });
  });

  describe('trend', () => {
    const events = [ev('a', '2026-11-27T10:00:00Z'), ev('a', '2026-11-28T10:00:00Z'), ev('b', '2026-11-28T11:30:00Z'), ev('b', '2026-11-28T12:10:00Z')];

    it('days: today and the days after it', async () => {
      const store = await storeWith(events, { now: at('2026-11-28T12:00:00Z') });
      expect(await store.query({ kind: 'trend', from: '2026-11-27', to: '2026-11-29' })).to.deep.equal(
        trendOf(
          [
            ['2026-11-27', 1],
            ['2026-11-28', 3],
            ['2026-11-29', 0],
          ],
          1,
        ),
      );
    });

    it('hours: an hour ending exactly at now has ended', async () => {
      const store = await storeWith(events, { now: at('2026-11-28T12:00:00Z') });
      expect(await store.query({ kind: 'trend', interval: 'hour', from: '2026-11-28T10:00:00Z', to: '2026-11-28T12:30:00Z' })).to.deep.equal(
        trendOf(
          [
            ['2026-11-28T10:00+00:00', 1],
            ['2026-11-28T11:00+00:00', 1],
            ['2026-11-28T12:00+00:00', 1],
          ],
          2,
        ),
      );
    });

    it('weeks: the week holding now is incomplete even when `to` is its Monday, which has ended', async () => {
      // Wednesday 25 November; the week of Monday 23 November runs to the 30th.
      const store = await storeWith([ev('a', '2026-11-20T10:00:00Z'), ev('a', '2026-11-23T10:00:00Z'), ev('b', '2026-11-24T10:00:00Z')], {
        now: at('2026-11-25T12:00:00Z'),
      });
      expect(await store.query({ kind: 'trend', interval: 'week', from: '2026-11-16', to: '2026-11-23' })).to.deep.equal(
        trendOf(
          [
            ['2026-11-16', 1],
            ['2026-11-23', 1],
          ],
          1,
        ),
      );
    });

    it('months: November has ended at midnight on 1 December, and not a millisecond before', async () => {
      const spec = { kind: 'trend', interval: 'month', from: '2026-10-01', to: '2026-11-30' } as const;
      const rows: [string, number][] = [
        ['2026-10-01', 0],
        ['2026-11-01', 4],
      ];
      const ended = await storeWith(events, { now: at('2026-12-01T00:00:00Z') });
      expect(await ended.query(spec)).to.deep.equal(trendOf(rows, 2));
      const running = await storeWith(events, { now: at('2026-11-30T23:59:59.999Z') });
      expect(await running.query(spec)).to.deep.equal(trendOf(rows, 1));
    });

    it('Europe/Berlin: the 25-hour 25 October ends at 23:00 UTC, the 23-hour 29 March at 22:00 UTC', async () => {
      const berlin = { timezone: 'Europe/Berlin' };
      const october = [ev('a', '2026-10-25T12:00:00Z')];
      const octoberSpec = { kind: 'trend', from: '2026-10-24', to: '2026-10-25' } as const;
      const octoberRows: [string, number][] = [
        ['2026-10-24', 0],
        ['2026-10-25', 1],
      ];
      // 22:30 UTC is 23:30 local: 24 hours after the day's start, but the day has 25.
      expect(await (await storeWith(october, { ...berlin, now: at('2026-10-25T22:30:00Z') })).query(octoberSpec)).to.deep.equal(trendOf(octoberRows, 1));
      expect(await (await storeWith(october, { ...berlin, now: at('2026-10-25T23:00:00Z') })).query(octoberSpec)).to.deep.equal(trendOf(octoberRows, 2));
      const march = [ev('a', '2026-03-29T12:00:00Z')];
      const marchSpec = { kind: 'trend', from: '2026-03-29', to: '2026-03-29' } as const;
      // 22:00 UTC is midnight local, 23 hours after the day's start.
      expect(await (await storeWith(march, { ...berlin, now: at('2026-03-29T21:59:59Z') })).query(marchSpec)).to.deep.equal(trendOf([['2026-03-29', 1]], 0));
      expect(await (await storeWith(march, { ...berlin, now: at('2026-03-29T22:00:00Z') })).query(marchSpec)).to.deep.equal(trendOf([['2026-03-29', 1]], 1));
    });
  });

  it('lifecycle: weeks, the one holding now flagged though `to` ends before now', async () => {
    const store = await storeWith([ev('a', '2026-11-10T10:00:00Z'), ev('a', '2026-11-17T10:00:00Z'), ev('b', '2026-11-23T10:00:00Z')], {
      now: at('2026-11-25T12:00:00Z'),
    });
    expect(await store.query({ kind: 'lifecycle', interval: 'week', from: '2026-11-09', to: '2026-11-23' })).to.deep.equal({
      points: [
        { period: '2026-11-09', new: 1, returning: 0, resurrecting: 0, dormant: 0 },
        { period: '2026-11-16', new: 0, returning: 1, resurrecting: 0, dormant: 0 },
        { period: '2026-11-23', new: 1, returning: 0, resurrecting: 0, dormant: 1, incomplete: true },
      ],
    });
  });

  it('adoption: the series by hour, the hour ending at now complete', async () => {
    const store = await storeWith([ev('a', '2026-11-28T10:30:00Z', 'export'), ev('b', '2026-11-28T12:05:00Z', 'export')], { now: at('2026-11-28T12:00:00Z') });
    const result = await store.query({ kind: 'adoption', features: ['export'], interval: 'hour', from: '2026-11-28T10:00:00Z', to: '2026-11-28T12:59:59Z' });
    expect(result.features[0]!.series).to.deep.equal([
      { period: '2026-11-28T10:00+00:00', adopters: 1 },
      { period: '2026-11-28T11:00+00:00', adopters: 0 },
      { period: '2026-11-28T12:00+00:00', adopters: 1, incomplete: true },
    ]);
  });

  describe('retention: incompleteFrom, the first value whose period has not ended', () => {
    const events = [ev('a', '2026-09-10T10:00:00Z'), ev('a', '2026-10-10T10:00:00Z'), ev('a', '2026-11-10T10:00:00Z'), ev('b', '2026-11-12T10:00:00Z')];
    const spec = { kind: 'retention', interval: 'month', from: '2026-09-01', to: '2026-11-30' } as const;

    it('months: each cohort from its value for November', async () => {
      const store = await storeWith(events, { now: at('2026-11-15T00:00:00Z') });
      expect((await store.query(spec)).cohorts).to.deep.equal([
        { start: '2026-09-01', size: 1, values: [1, 1, 1], incompleteFrom: 2 },
        { start: '2026-10-01', size: 1, values: [1, 1], incompleteFrom: 1 },
        { start: '2026-11-01', size: 2, values: [2], incompleteFrom: 0 },
      ]);
    });

    it('absent once November has ended', async () => {
      const store = await storeWith(events, { now: at('2026-12-01T00:00:00Z') });
      expect((await store.query(spec)).cohorts).to.deep.equal([
        { start: '2026-09-01', size: 1, values: [1, 1, 1] },
        { start: '2026-10-01', size: 1, values: [1, 1] },
        { start: '2026-11-01', size: 2, values: [2] },
      ]);
    });

    it('weeks, `to` before now: the week holding now is the cut', async () => {
      const store = await storeWith([ev('a', '2026-11-16T10:00:00Z'), ev('a', '2026-11-23T10:00:00Z')], { now: at('2026-11-25T12:00:00Z') });
      expect(await store.query({ kind: 'retention', interval: 'week', from: '2026-11-16', to: '2026-11-23' })).to.deep.equal({
        cohorts: [
          { start: '2026-11-16', size: 1, values: [1, 1], incompleteFrom: 1 },
          { start: '2026-11-23', size: 1, values: [1], incompleteFrom: 0 },
        ],
        average: [1, null],
      });
    });
  });
});
