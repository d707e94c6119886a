import { expect } from 'chai';
import { SpecError } from '../../shared/errors.ts';
import { resolveRange } from '../../shared/query/range.ts';
import { parseIsoTime } from '../../shared/time/parse.ts';
import { periodIndexOf, periodsBetween, periodsEnding, periodStart, type Calendar, type Interval, type Period } from '../../shared/time/periods.ts';
import { instantOf } from '../../shared/time/zone.ts';
import { DayIndex } from '../../shared/time/day-index.ts';
import { ev, evWith, storeWith } from './helpers.ts';

const HOUR = 3_600_000;
const utc: Calendar = { timezone: 'UTC', weekStart: 'monday' };
const berlin: Calendar = { timezone: 'Europe/Berlin', weekStart: 'monday' };
const iso = (ms: number): string => new Date(ms).toISOString();

function names(from: string, to: string, interval: Interval, calendar: Calendar): string[] {
  return periodsBetween(Date.parse(from), Date.parse(to), interval, calendar)!.map((p) => p.name);
}

describe('time: periods in IANA zones', () => {
  it('makes the spring-forward day 23 hours and the fall-back day 25 hours long (Europe/Berlin)', () => {
    const [spring] = periodsBetween(Date.parse('2026-03-29T12:00:00Z'), Date.parse('2026-03-29T12:00:00Z'), 'day', berlin)!;
    expect([spring!.name, iso(spring!.start), (spring!.end - spring!.start) / HOUR]).to.deep.equal(['2026-03-29', '2026-03-28T23:00:00.000Z', 23]);
    const [autumn] = periodsBetween(Date.parse('2026-10-25T12:00:00Z'), Date.parse('2026-10-25T12:00:00Z'), 'day', berlin)!;
    expect([autumn!.name, iso(autumn!.start), (autumn!.end - autumn!.start) / HOUR]).to.deep.equal(['2026-10-25', '2026-10-24T22:00:00.000Z', 25]);
  });

  it('names hours with their offset, so the repeated fall-back hour has two names', () => {
    expect(names('2026-10-24T23:30:00Z', '2026-10-25T01:30:00Z', 'hour', berlin)).to.deep.equal([
      '2026-10-25T01:00+02:00',
      '2026-10-25T02:00+02:00',
      '2026-10-25T02:00+01:00',
    ]);
    expect(names('2026-03-29T00:30:00Z', '2026-03-29T01:30:00Z', 'hour', berlin)).to.deep.equal(['2026-03-29T01:00+01:00', '2026-03-29T03:00+02:00']);
  });

  it('starts hours at local :00 in a half-hour zone (Asia/Kolkata, UTC+05:30)', () => {
    const kolkata: Calendar = { timezone: 'Asia/Kolkata', weekStart: 'monday' };
    expect(iso(periodStart(Date.parse('2026-01-01T00:10:00Z'), 'hour', kolkata))).to.equal('2025-12-31T23:30:00.000Z');
    expect(names('2026-01-01T00:10:00Z', '2026-01-01T00:40:00Z', 'hour', kolkata)).to.deep.equal(['2026-01-01T05:00+05:30', '2026-01-01T06:00+05:30']);
  });

  describe('hours across offset changes: where the clock moves by 30 or 15 minutes, a part-hour from the change, named by its own start', () => {
    /** Each period as [name, start (UTC), length in minutes]. */
    const table = (periods: readonly Period[]): [string, string, number][] =>
      periods.map((p) => [p.name, iso(p.start), (p.end - p.start) / 60_000]);
    const lordHowe: Calendar = { timezone: 'Australia/Lord_Howe', weekStart: 'monday' };
    const kathmandu: Calendar = { timezone: 'Asia/Kathmandu', weekStart: 'monday' };

    it('Australia/Lord_Howe, 2024-10-06: 02:00+10:30 becomes 02:30+11:00, so the hour 02 is the half-hour from 02:30', () => {
      const night = periodsBetween(Date.parse('2024-10-05T13:30:00Z'), Date.parse('2024-10-05T16:59:59Z'), 'hour', lordHowe)!;
      expect(table(night)).to.deep.equal([
        ['2024-10-06T00:00+10:30', '2024-10-05T13:30:00.000Z', 60],
        ['2024-10-06T01:00+10:30', '2024-10-05T14:30:00.000Z', 60],
        ['2024-10-06T02:30+11:00', '2024-10-05T15:30:00.000Z', 30],
        ['2024-10-06T03:00+11:00', '2024-10-05T16:00:00.000Z', 60],
      ]);
      // Counted backwards from `to`, the same periods.
      expect(periodsEnding(Date.parse('2024-10-05T16:59:59Z'), 4, 'hour', lordHowe)).to.deep.equal(night);
      // 01:40+10:30 is in the hour 01; 02:40+11:00 in the part-hour, not in an hour named 01:00.
      expect(iso(periodStart(Date.parse('2024-10-05T15:10:00Z'), 'hour', lordHowe))).to.equal('2024-10-05T14:30:00.000Z');
      expect(iso(periodStart(Date.parse('2024-10-05T15:40:00Z'), 'hour', lordHowe))).to.equal('2024-10-05T15:30:00.000Z');
      expect(iso(periodStart(Date.parse('2024-10-05T15:30:00Z'), 'hour', lordHowe))).to.equal('2024-10-05T15:30:00.000Z');
      expect(iso(periodStart(Date.parse('2024-10-05T15:29:59.999Z'), 'hour', lordHowe))).to.equal('2024-10-05T14:30:00.000Z');
      expect([14, 15, 29, 30, 59, 60].map((minute) => periodIndexOf(night, Date.parse('2024-10-05T15:00:00Z') + minute * 60_000))).to.deep.equal([1, 1, 1, 2, 2, 3]);
    });

    it('Australia/Lord_Howe, 2024-04-07: 02:00+11:00 becomes 01:30+10:30, so the repeated half-hour has its own name', () => {
      const night = periodsBetween(Date.parse('2024-04-06T13:00:00Z'), Date.parse('2024-04-06T16:29:59Z'), 'hour', lordHowe)!;
      expect(table(night)).to.deep.equal([
        ['2024-04-07T00:00+11:00', '2024-04-06T13:00:00.000Z', 60],
        ['2024-04-07T01:00+11:00', '2024-04-06T14:00:00.000Z', 60],
        ['2024-04-07T01:30+10:30', '2024-04-06T15:00:00.000Z', 30],
        ['2024-04-07T02:00+10:30', '2024-04-06T15:30:00.000Z', 60],
      ]);
      expect(periodsEnding(Date.parse('2024-04-06T16:29:59Z'), 4, 'hour', lordHowe)).to.deep.equal(night);
      expect(iso(periodStart(Date.parse('2024-04-06T15:10:00Z'), 'hour', lordHowe))).to.equal('2024-04-06T15:00:00.000Z');
      expect(iso(periodStart(Date.parse('2024-04-06T15:45:00Z'), 'hour', lordHowe))).to.equal('2024-04-06T15:30:00.000Z');
    });

    it('Asia/Kathmandu, 1986-01-01: 00:00+05:30 becomes 00:15+05:45, so the first hour of the year is 45 minutes', () => {
      // The zone data (Intl) has the change at 1985-12-31T18:30Z.
      const format = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Kathmandu', timeZoneName: 'longOffset', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      expect([format.format(Date.parse('1985-12-31T18:29:59Z')), format.format(Date.parse('1985-12-31T18:30:00Z'))]).to.deep.equal([
        '23:59 GMT+05:30',
        '00:15 GMT+05:45',
      ]);
      const night = periodsBetween(Date.parse('1985-12-31T17:30:00Z'), Date.parse('1985-12-31T20:14:59Z'), 'hour', kathmandu)!;
      expect(table(night)).to.deep.equal([
        ['1985-12-31T23:00+05:30', '1985-12-31T17:30:00.000Z', 60],
        ['1986-01-01T00:15+05:45', '1985-12-31T18:30:00.000Z', 45],
        ['1986-01-01T01:00+05:45', '1985-12-31T19:15:00.000Z', 60],
      ]);
      expect(periodsEnding(Date.parse('1985-12-31T20:14:59Z'), 3, 'hour', kathmandu)).to.deep.equal(night);
      // The day starts at the change too: its midnight does not exist.
      const [day] = periodsBetween(Date.parse('1986-01-01T06:00:00Z'), Date.parse('1986-01-01T06:00:00Z'), 'day', kathmandu)!;
      expect(table([day!])).to.deep.equal([['1986-01-01', '1985-12-31T18:30:00.000Z', 24 * 60 - 15]]);
    });

    it('America/St_Johns, 2010-11-07: a fall-back at 00:01 leaves a one-minute hour, then 23:01 of the day before', () => {
      const stJohns: Calendar = { timezone: 'America/St_Johns', weekStart: 'monday' };
      const night = periodsBetween(Date.parse('2010-11-07T01:30:00Z'), Date.parse('2010-11-07T04:29:59Z'), 'hour', stJohns)!;
      expect(table(night)).to.deep.equal([
        ['2010-11-06T23:00-02:30', '2010-11-07T01:30:00.000Z', 60],
        ['2010-11-07T00:00-02:30', '2010-11-07T02:30:00.000Z', 1],
        ['2010-11-06T23:01-03:30', '2010-11-07T02:31:00.000Z', 59],
        ['2010-11-07T00:00-03:30', '2010-11-07T03:30:00.000Z', 60],
      ]);
      expect(periodsEnding(Date.parse('2010-11-07T04:29:59Z'), 4, 'hour', stJohns)).to.deep.equal(night);
    });

    it('America/New_York, 2024-11-03: a whole-hour fall-back still gives two whole hours named 01:00', () => {
      const newYork: Calendar = { timezone: 'America/New_York', weekStart: 'monday' };
      const night = periodsBetween(Date.parse('2024-11-03T04:00:00Z'), Date.parse('2024-11-03T07:59:59Z'), 'hour', newYork)!;
      expect(table(night)).to.deep.equal([
        ['2024-11-03T00:00-04:00', '2024-11-03T04:00:00.000Z', 60],
        ['2024-11-03T01:00-04:00', '2024-11-03T05:00:00.000Z', 60],
        ['2024-11-03T01:00-05:00', '2024-11-03T06:00:00.000Z', 60],
        ['2024-11-03T02:00-05:00', '2024-11-03T07:00:00.000Z', 60],
      ]);
      expect(periodsEnding(Date.parse('2024-11-03T07:59:59Z'), 4, 'hour', newYork)).to.deep.equal(night);
    });
  });

  it('starts a day whose midnight does not exist when its clock jumps (America/Santiago, 2026-09-06)', () => {
    const santiago: Calendar = { timezone: 'America/Santiago', weekStart: 'monday' };
    const [day] = periodsBetween(Date.parse('2026-09-06T12:00:00Z'), Date.parse('2026-09-06T12:00:00Z'), 'day', santiago)!;
    expect([day!.name, iso(day!.start), (day!.end - day!.start) / HOUR]).to.deep.equal(['2026-09-06', '2026-09-06T04:00:00.000Z', 23]);
  });

  it('starts weeks on monday or sunday', () => {
    const sunday: Calendar = { timezone: 'UTC', weekStart: 'sunday' };
    // 2026-11-28 is a Saturday.
    expect(names('2026-11-28T10:00:00Z', '2026-11-30T10:00:00Z', 'week', utc)).to.deep.equal(['2026-11-23', '2026-11-30']);
    expect(names('2026-11-28T10:00:00Z', '2026-11-30T10:00:00Z', 'week', sunday)).to.deep.equal(['2026-11-22', '2026-11-29']);
  });

  it('names months by their first day and spans years', () => {
    expect(names('2026-11-15T00:00:00Z', '2027-02-01T00:00:00Z', 'month', berlin)).to.deep.equal(['2026-11-01', '2026-12-01', '2027-01-01', '2027-02-01']);
  });

  it('lists the periods ending with the one containing `to`', () => {
    expect(periodsEnding(Date.parse('2026-03-01T10:00:00Z'), 3, 'day', utc).map((p) => p.name)).to.deep.equal(['2026-02-27', '2026-02-28', '2026-03-01']);
  });

  it('resolves a skipped local time to the jump and a repeated one to its first occurrence', () => {
    expect(iso(instantOf({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 }, 'Europe/Berlin'))).to.equal('2026-03-29T01:00:00.000Z');
    expect(iso(instantOf({ year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 }, 'Europe/Berlin'))).to.equal('2026-10-25T00:30:00.000Z');
  });
});

describe('time: every kind with an hour interval cuts and names the Lord Howe hours alike', () => {
  // 2024-10-06 in Australia/Lord_Howe: 02:00+10:30 becomes 02:30+11:00 (15:30 UTC).
  const hours = ['2024-10-06T00:00+10:30', '2024-10-06T01:00+10:30', '2024-10-06T02:30+11:00', '2024-10-06T03:00+11:00'];
  const range = { interval: 'hour', from: '2024-10-06T00:00:00+10:30', to: '2024-10-06T03:59:59+11:00' } as const;
  const events = [
    ev('a', '2024-10-05T15:10:00Z'), // 01:40+10:30
    ev('a', '2024-10-05T15:40:00Z'), // 02:40+11:00: a's session of 1800 s, begun in the hour 01
    evWith('b', '2024-10-05T15:50:00Z', '$error', { message: 'boom', type: 'Error' }), // 02:50+11:00
    ev('b', '2024-10-05T16:05:00Z'), // 03:05+11:00: b's session of 900 s, begun in the part-hour
  ];

  it('trend, stickiness, lifecycle, retention, sessions, errors and adoption', async () => {
    const store = await storeWith(events, { timezone: 'Australia/Lord_Howe' });
    const trend = await store.query({ kind: 'trend', math: 'users', ...range });
    expect(trend.series[0]!.points).to.deep.equal(hours.map((period, i) => ({ period, value: [0, 1, 2, 1][i]! })));
    // a is active in the hours 01 and 02:30, b in 02:30 and 03: both in exactly 2 of the 4 periods.
    expect(await store.query({ kind: 'stickiness', ...range })).to.deep.equal({
      buckets: [
        { n: 1, users: 0 },
        { n: 2, users: 2 },
        { n: 3, users: 0 },
        { n: 4, users: 0 },
      ],
    });
    expect(await store.query({ kind: 'lifecycle', ...range })).to.deep.equal({
      points: [
        { period: hours[0], new: 0, returning: 0, resurrecting: 0, dormant: 0 },
        { period: hours[1], new: 1, returning: 0, resurrecting: 0, dormant: 0 },
        { period: hours[2], new: 1, returning: 1, resurrecting: 0, dormant: 0 },
        { period: hours[3], new: 0, returning: 1, resurrecting: 0, dormant: 1 },
      ],
    });
    expect(await store.query({ kind: 'retention', ...range })).to.deep.equal({
      cohorts: [
        { start: hours[0], size: 0, values: [0, 0, 0, 0] },
        { start: hours[1], size: 1, values: [1, 1, 0] },
        { start: hours[2], size: 2, values: [2, 1] },
        { start: hours[3], size: 1, values: [1] },
      ],
      average: [1, 2 / 3, 0, null],
    });
    expect((await store.query({ kind: 'sessions', ...range })).series).to.deep.equal([
      { period: hours[0], sessions: 0, users: 0, medianDuration: null },
      { period: hours[1], sessions: 1, users: 1, medianDuration: 1800 },
      { period: hours[2], sessions: 1, users: 1, medianDuration: 900 },
      { period: hours[3], sessions: 0, users: 0, medianDuration: null },
    ]);
    // The part-hour holds a's click and b's error: 500 errors per 1,000 events.
    expect((await store.query({ kind: 'errors', ...range })).series).to.deep.equal([
      { period: hours[0], errors: 0, perThousandEvents: null },
      { period: hours[1], errors: 0, perThousandEvents: 0 },
      { period: hours[2], errors: 1, perThousandEvents: 500 },
      { period: hours[3], errors: 0, perThousandEvents: 0 },
    ]);
    const [clicks] = (await store.query({ kind: 'adoption', features: ['click'], ...range })).features;
    expect(clicks!.series).to.deep.equal(hours.map((period, i) => ({ period, adopters: [0, 1, 1, 1][i]! })));
  });
});

describe('time: parsing', () => {
  it('reads ISO 8601 with Z, with offsets, and without (in the given zone)', () => {
    expect(parseIsoTime('2026-07-01T09:00:00Z', 'UTC')).to.equal(Date.UTC(2026, 6, 1, 9));
    expect(parseIsoTime('2026-07-01T09:00:00+02:00', 'UTC')).to.equal(Date.UTC(2026, 6, 1, 7));
    expect(parseIsoTime('2026-07-01T09:00:00.250-0530', 'UTC')).to.equal(Date.UTC(2026, 6, 1, 14, 30, 0, 250));
    expect(parseIsoTime('2026-07-01T09:00', 'America/Los_Angeles')).to.equal(Date.UTC(2026, 6, 1, 16));
    expect(parseIsoTime('2026-07-01', 'Europe/Berlin')).to.equal(Date.UTC(2026, 5, 30, 22));
  });

  it('refuses what is not a date', () => {
    for (const text of ['yesterday', '2026-02-30T10:00:00Z', '2026-13-01', '2026-07-01T24:00:00Z', '2026-07-01T09:60', '1700000000', '']) {
      expect(parseIsoTime(text, 'UTC'), text).to.equal(null);
    }
  });
});

describe('time: query ranges', () => {
  const now = Date.UTC(2026, 10, 28, 12);

  it('defaults to the 30 days ending today, both ends inclusive', () => {
    const range = resolveRange({}, utc, now, 'day');
    expect([iso(range.from), iso(range.to), range.periods.length]).to.deep.equal(['2026-10-30T00:00:00.000Z', '2026-11-28T23:59:59.999Z', 30]);
  });

  it('reads date bounds as local days of the query zone', () => {
    const range = resolveRange({ from: '2026-03-29', to: '2026-03-29' }, berlin, now);
    expect([iso(range.from), iso(range.to)]).to.deep.equal(['2026-03-28T23:00:00.000Z', '2026-03-29T21:59:59.999Z']);
  });

  it('takes `periods` periods ending with the one containing `to`', () => {
    const range = resolveRange({ periods: 3, to: '2026-11-28' }, utc, now, 'week');
    expect(range.periods.map((p) => p.name)).to.deep.equal(['2026-11-09', '2026-11-16', '2026-11-23']);
    expect(iso(range.from)).to.equal('2026-11-09T00:00:00.000Z');
  });

  it('names the field of a bad range', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ from: 'last week' }, 'from'],
      [{ to: '2026-02-30' }, 'to'],
      [{ from: '2026-11-28', to: '2026-11-01' }, 'from'],
      [{ from: '2026-11-01', periods: 3 }, 'periods'],
      [{ periods: 0 }, 'periods'],
      [{ from: 20261128 }, 'from'],
    ];
    for (const [spec, field] of cases) {
      expect(() => resolveRange(spec, utc, now, 'day'), JSON.stringify(spec)).to.throw(SpecError).with.property('field', field);
    }
    expect(() => resolveRange({ from: '2000-01-01', to: '2026-01-01' }, utc, now, 'hour')).to.throw(SpecError).with.property('field', 'interval');
  });
});

describe('time: DayIndex', () => {
  it('finds the same day start as periodStart across two years, in any order (DST, a midnight that does not exist, +05:45)', () => {
    for (const timezone of ['UTC', 'Europe/Berlin', 'America/Los_Angeles', 'America/Santiago', 'Asia/Kathmandu', 'Australia/Lord_Howe']) {
      const calendar: Calendar = { timezone, weekStart: 'monday' };
      const index = new DayIndex(timezone);
      const start = Date.UTC(2025, 0, 1);
      // Every 173 minutes over two years (so every time of day comes round), visited out of order
      // (a stride coprime with the count), with the first and last millisecond of each day met.
      const count = Math.floor((2 * 365 * 24 * 60) / 173);
      for (let k = 0, i = 0; k < count; k++, i = (i + 997) % count) {
        const ms = start + i * 173 * 60_000;
        const day = periodStart(ms, 'day', calendar);
        expect(index.startOf(ms), `${timezone} ${iso(ms)}`).to.equal(day);
        expect(index.startOf(day), `${timezone} start of ${iso(ms)}`).to.equal(day);
        expect(index.startOf(day - 1), `${timezone} before ${iso(ms)}`).to.equal(periodStart(day - 1, 'day', calendar));
      }
    }
  });
});

