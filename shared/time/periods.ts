import { addDays, formatDate, formatOffset, instantOf, localTime, offsetAt, offsetOf, transitionBetween, weekday, type LocalTime } from './zone.ts';

/** Calendar periods a query can be split into (METRICS.md section 2). */
export type Interval = 'hour' | 'day' | 'week' | 'month';
export const INTERVALS: readonly Interval[] = ['hour', 'day', 'week', 'month'];

export type WeekStart = 'monday' | 'sunday';

/** The time zone and week start that periods are computed in. */
export interface Calendar {
  timezone: string;
  weekStart: WeekStart;
}

/** One calendar period: `[start, end)` in epoch ms, named by its start. */
export interface Period {
  start: number;
  end: number;
  name: string;
}

const HOUR_MS = 3_600_000;

/** The instant, at the offset in force at `ms`, that the wall clock last showed a whole hour (`ms` itself if it does). */
function lastWholeHour(ms: number, t: LocalTime): number {
  return ms - ((t.minute * 60 + t.second) * 1000 + (((ms % 1000) + 1000) % 1000));
}

/*
 * An hour period is a stretch of one wall-clock hour at one offset. Most
 * changes move the clock a whole hour at a whole hour, so every period
 * starts at :00. Where a change moves it 30 or 15 minutes (Lord Howe's
 * daylight saving; Kathmandu in 1986, +05:30 to +05:45), or comes at a time
 * that is no whole hour (00:01 in St John's until 2011), it falls inside a
 * wall-clock hour: the period then ends at the change, and a part-hour
 * starts there, named by its own start (`02:30+11:00`), so no two periods
 * share a name and none holds two offsets. Both functions assume at most
 * one change within an hour, as every zone has.
 */

/** The start of the hour period holding `ms`: its last whole hour, or the offset change since, if later. */
function startOfHour(ms: number, timeZone: string): number {
  const t = localTime(ms, timeZone);
  const wholeHour = lastWholeHour(ms, t);
  return offsetAt(wholeHour, timeZone) === offsetOf(t, ms) ? wholeHour : transitionBetween(wholeHour, ms, timeZone);
}

/** The end of the hour period starting at `start`: the next whole hour at its offset, or the offset change before it. */
function endOfHour(start: number, timeZone: string): number {
  const t = localTime(start, timeZone);
  const nextWholeHour = lastWholeHour(start, t) + HOUR_MS;
  return offsetAt(nextWholeHour, timeZone) === offsetOf(t, start) ? nextWholeHour : transitionBetween(start, nextWholeHour, timeZone);
}

function startOfDay(ms: number, timeZone: string): number {
  const t = localTime(ms, timeZone);
  return instantOf({ ...t, hour: 0, minute: 0, second: 0 }, timeZone);
}

/** The start of the `interval` period that contains instant `ms`. */
export function periodStart(ms: number, interval: Interval, calendar: Calendar): number {
  const zone = calendar.timezone;
  switch (interval) {
    case 'hour':
      return startOfHour(ms, zone);
    case 'day':
      return startOfDay(ms, zone);
    case 'week': {
      const t = localTime(ms, zone);
      const back = (weekday(t) - (calendar.weekStart === 'monday' ? 1 : 0) + 7) % 7;
      return instantOf({ ...addDays(t, -back), hour: 0, minute: 0, second: 0 }, zone);
    }
    case 'month': {
      const t = localTime(ms, zone);
      return instantOf({ ...t, day: 1, hour: 0, minute: 0, second: 0 }, zone);
    }
  }
}

/** The start of the period after the one starting at `start`. */
export function nextPeriodStart(start: number, interval: Interval, calendar: Calendar): number {
  const zone = calendar.timezone;
  switch (interval) {
    case 'hour':
      return endOfHour(start, zone);
    case 'day':
      // 36 hours later is always inside the next local day, even on a 25-hour day.
      return startOfDay(start + 36 * HOUR_MS, zone);
    case 'week':
      return instantOf({ ...addDays(localTime(start, zone), 7), hour: 0, minute: 0, second: 0 }, zone);
    case 'month': {
      const t = localTime(start, zone);
      const year = t.month === 12 ? t.year + 1 : t.year;
      const month = t.month === 12 ? 1 : t.month + 1;
      return instantOf({ year, month, day: 1, hour: 0, minute: 0, second: 0 }, zone);
    }
  }
}

/**
 * The name of the period starting at `start`: `YYYY-MM-DD` for day, week and
 * month; `YYYY-MM-DDTHH:MM+hh:mm` for hour, so the hour repeated by a
 * fall-back change has two names. MM is `00` but for the part-hour that
 * starts at a change of 30 or 15 minutes (`2024-10-06T02:30+11:00` in
 * Australia/Lord_Howe).
 */
export function periodName(start: number, interval: Interval, calendar: Calendar): string {
  const t = localTime(start, calendar.timezone);
  if (interval !== 'hour') return formatDate(t);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${formatDate(t)}T${pad(t.hour)}:${pad(t.minute)}${formatOffset(offsetOf(t, start))}`;
}

/**
 * What to spread into a result element named by `period` (a trend point, a
 * series row, a lifecycle point): `{ incomplete: true }` when the period has
 * not ended at `now`, the store's clock (METRICS.md section 2), and nothing
 * when it has, so the flag is absent rather than false.
 *
 * Where the section leaves room: "ended" is the end of the whole calendar
 * period, not of the part a query's `to` keeps of it, so a week holding
 * `now` is incomplete even when `to` is its Monday (the section asks whether
 * the period has ended, and retention's `average` reads it the same way).
 * The end is exclusive, so a period ending exactly at `now` has ended; a
 * period wholly after `now` has not.
 */
export function incompleteMark(period: Period, now: number): { incomplete?: true } {
  return period.end <= now ? {} : { incomplete: true };
}

/** The most periods one query may span, so a typo cannot ask for millions. */
export const MAX_PERIODS = 10_000;

function period(start: number, interval: Interval, calendar: Calendar): Period {
  return { start, end: nextPeriodStart(start, interval, calendar), name: periodName(start, interval, calendar) };
}

/** The periods from the one containing `from` to the one containing `to`, inclusive; null past MAX_PERIODS. */
export function periodsBetween(from: number, to: number, interval: Interval, calendar: Calendar): Period[] | null {
  const periods: Period[] = [];
  let start = periodStart(from, interval, calendar);
  while (start <= to) {
    if (periods.length === MAX_PERIODS) return null;
    const next = period(start, interval, calendar);
    periods.push(next);
    start = next.end;
  }
  return periods;
}

/** The `count` consecutive periods ending with the one containing `to`. */
export function periodsEnding(to: number, count: number, interval: Interval, calendar: Calendar): Period[] {
  const starts = [periodStart(to, interval, calendar)];
  while (starts.length < count) starts.unshift(periodStart(starts[0]! - 1, interval, calendar));
  return starts.map((start) => period(start, interval, calendar));
}

/** The index of the period of `periods` (contiguous, oldest first) that holds `ms`, or -1 when none does. */
export function periodIndexOf(periods: readonly Period[], ms: number): number {
  let low = 0;
  let high = periods.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (periods[middle]!.start <= ms) low = middle + 1;
    else high = middle;
  }
  return low > 0 && ms < periods[low - 1]!.end ? low - 1 : -1;
}
