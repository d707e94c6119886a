import { expect } from 'chai';
import { SpecError } from '../../shared/errors.ts';
import { resolveRange } from '../../shared/query/range.ts';
import { parseIsoTime } from '../../shared/time/parse.ts';
import { periodsBetween, periodsEnding, periodStart, type Calendar, type Interval } from '../../shared/time/periods.ts';
import { instantOf } from '../../shared/time/zone.ts';
import { DayIndex } from '../../shared/time/day-index.ts';

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

