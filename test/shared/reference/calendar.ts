/**
 * Query ranges and calendar periods by hand (METRICS.md section 2), for the
 * references. Nothing here comes from shared/time or shared/query, so a bug
 * there shows as a difference. The wall clock (date, hour, minute, weekday
 * and the offset, as Intl names them) is read minute by minute, and a period
 * starts wherever it says so:
 * - an hour wherever the local date, hour or offset changes (so a part-hour
 *   starts at a change of 30 minutes, and a repeated hour has two names);
 * - a day wherever the local date changes;
 * - a week at a day starting on the week's first weekday;
 * - a month at a day numbered 1.
 * It assumes what holds of every zone after 1972: offsets change on whole
 * minutes and none lasts less than 15 minutes. Slow, but plain: the walk is
 * kept per zone and UTC day, so the many queries of a differential run
 * share it.
 */

/** An interval and a week start, as the specs spell them. */
export type RefInterval = 'hour' | 'day' | 'week' | 'month';
export type RefWeekStart = 'monday' | 'sunday';

/** The zone and week start of a reference query. */
export interface RefCalendar {
  timezone: string;
  weekStart: RefWeekStart;
}

/** A period: `[start, end)` in epoch ms, and its name. */
export interface RefPeriod {
  start: number;
  end: number;
  name: string;
}

/** A query's span: `from` and `to` inclusive, and its periods (empty without an interval). */
export interface RefRange {
  from: number;
  to: number;
  periods: RefPeriod[];
}

const MINUTE = 60_000;
const QUARTER = 15 * MINUTE;
const DAY = 86_400_000;

/** What the wall clock of a zone shows at an instant. */
interface Wall {
  /** `YYYY-MM-DD`. */
  date: string;
  hour: number;
  minute: number;
  /** `Sun` .. `Sat`. */
  weekday: string;
  /** `+hh:mm` / `-hh:mm`. */
  offset: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock of `timezone` at `ms`, as Intl reads it. */
function readWall(ms: number, timezone: string): Wall {
  let format = formats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'longOffset',
    });
    formats.set(timezone, format);
  }
  const part: Record<string, string> = {};
  for (const { type, value } of format.formatToParts(ms)) part[type] = value;
  // Intl writes UTC's offset `GMT` and the others `GMT+10:30`.
  const offset = part.timeZoneName === 'GMT' ? '+00:00' : part.timeZoneName!.slice(3);
  return { date: `${part.year}-${part.month}-${part.day}`, hour: Number(part.hour), minute: Number(part.minute), weekday: part.weekday!, offset };
}

/** Walls already read at period starts, by zone and instant: query after query asks for the same ones. */
const walls = new Map<string, Wall>();

function wall(ms: number, timezone: string): Wall {
  const cacheKey = `${timezone} ${ms}`;
  let read = walls.get(cacheKey);
  if (!read) walls.set(cacheKey, (read = readWall(ms, timezone)));
  return read;
}

/** What makes one hour period: the local date, hour and offset. */
const hourKey = (w: Wall): string => `${w.date} ${w.hour} ${w.offset}`;

const hourStartsByDay = new Map<string, number[]>();

/** The minutes of `[day, day + 1 day)` (a UTC day) at which an hour period starts, oldest first. */
function hourStartsOn(day: number, timezone: string): number[] {
  const cacheKey = `${timezone} ${day}`;
  let starts = hourStartsByDay.get(cacheKey);
  if (starts) return starts;
  starts = [];
  // A minute starts a period when its key differs from the minute before's.
  // Minutes are read one by one only in the quarter-hours whose last minute
  // differs from the minute before them: a key, once left, never comes back.
  for (let quarter = day; quarter < day + DAY; quarter += QUARTER) {
    let before = hourKey(readWall(quarter - MINUTE, timezone));
    if (hourKey(readWall(quarter + QUARTER - MINUTE, timezone)) === before) continue;
    for (let minute = quarter; minute < quarter + QUARTER; minute += MINUTE) {
      const key = hourKey(readWall(minute, timezone));
      if (key !== before) starts.push(minute);
      before = key;
    }
  }
  hourStartsByDay.set(cacheKey, starts);
  return starts;
}

/** Whether the hour period starting at `hourStart` also starts a period of `interval`. */
function startsPeriod(hourStart: number, interval: RefInterval, calendar: RefCalendar): boolean {
  if (interval === 'hour') return true;
  const now = wall(hourStart, calendar.timezone);
  if (now.date === wall(hourStart - MINUTE, calendar.timezone).date) return false;
  if (interval === 'week') return now.weekday === (calendar.weekStart === 'monday' ? 'Mon' : 'Sun');
  if (interval === 'month') return now.date.endsWith('-01');
  return true;
}

/** The period starts of `interval` in `[from, to]`, oldest first. */
function startsBetween(from: number, to: number, interval: RefInterval, calendar: RefCalendar): number[] {
  const starts: number[] = [];
  for (let day = Math.floor(from / DAY) * DAY; day <= to; day += DAY) {
    for (const start of hourStartsOn(day, calendar.timezone)) {
      if (start >= from && start <= to && startsPeriod(start, interval, calendar)) starts.push(start);
    }
  }
  return starts;
}

/** How far back (and on) the nearest period start of an interval may lie: a 25-hour day, an 8-day week at most, a 31-day month. */
const REACH: Record<RefInterval, number> = { hour: DAY, day: 2 * DAY, week: 8 * DAY, month: 32 * DAY };

/** The latest period start at or before `ms`. */
function startAtOrBefore(ms: number, interval: RefInterval, calendar: RefCalendar): number {
  const starts = startsBetween(ms - REACH[interval], ms, interval, calendar);
  if (starts.length === 0) throw new Error(`reference: no ${interval} starts before ${new Date(ms).toISOString()}`);
  return starts[starts.length - 1]!;
}

/** The first period start after `ms`. */
function startAfter(ms: number, interval: RefInterval, calendar: RefCalendar): number {
  const starts = startsBetween(ms + 1, ms + REACH[interval], interval, calendar);
  if (starts.length === 0) throw new Error(`reference: no ${interval} starts after ${new Date(ms).toISOString()}`);
  return starts[0]!;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The period of `interval` that holds `ms`. */
export function referencePeriodAt(ms: number, interval: RefInterval, calendar: RefCalendar): RefPeriod {
  const start = startAtOrBefore(ms, interval, calendar);
  const w = wall(start, calendar.timezone);
  const name = interval === 'hour' ? `${w.date}T${pad(w.hour)}:${pad(w.minute)}${w.offset}` : w.date;
  return { start, end: startAfter(start, interval, calendar), name };
}

/** The start of the local day `date` (`YYYY-MM-DD`): the first instant whose wall date it is. */
function startOfDate(date: string, calendar: RefCalendar): number {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  // Offsets lie within -12 h and +14 h, so the local day starts within 15 hours of that midnight.
  const start = startsBetween(utcMidnight - 15 * 3_600_000, utcMidnight + 15 * 3_600_000, 'day', calendar).find(
    (ms) => wall(ms, calendar.timezone).date === date,
  );
  if (start === undefined) throw new Error(`reference: no start found for the local day ${date}`);
  return start;
}

/** The date `days` calendar days after `date`. */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** A local date-time without offset (`YYYY-MM-DDTHH:MM[:SS]`): the instant whose wall clock shows it. */
function localInstant(text: string, calendar: RefCalendar): number {
  const [, date, hour, minute, second] = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text)!;
  const asUtc = Date.parse(`${date}T${hour}:${minute}:00Z`);
  for (let ms = asUtc - 15 * 3_600_000; ms <= asUtc + 15 * 3_600_000; ms += MINUTE) {
    const w = wall(ms, calendar.timezone);
    if (w.date === date && w.hour === Number(hour) && w.minute === Number(minute)) return ms + Number(second ?? 0) * 1000;
  }
  throw new Error(`reference: ${text} is not a wall-clock time of ${calendar.timezone} (only times that exist are supported)`);
}

/** A `from` or `to` as the specs of the differential tests write them. */
function readBound(value: unknown, end: 'from' | 'to', calendar: RefCalendar): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return end === 'from' ? startOfDate(text, calendar) : startOfDate(addDays(text, 1), calendar) - 1;
  if (/(Z|[+-]\d{2}:\d{2})$/.test(text)) return Date.parse(text);
  return localInstant(text, calendar);
}

/**
 * `from`, `to` and the periods of a spec: dates are whole local days, both
 * ends inclusive; `to` defaults to the end of the local day holding `now`,
 * `from` to the start of the day 29 days before `to`'s; with `periods`, that
 * many periods ending with the one holding `to`; otherwise the periods from
 * the one holding `from` to the one holding `to`.
 */
export function referenceRange(spec: Record<string, unknown>, calendar: RefCalendar, now: number, interval?: RefInterval): RefRange {
  const today = wall(now, calendar.timezone).date;
  const to = readBound(spec.to, 'to', calendar) ?? startOfDate(addDays(today, 1), calendar) - 1;
  const count = spec.periods as number | undefined;
  if (interval && count !== undefined) {
    const periods = [referencePeriodAt(to, interval, calendar)];
    while (periods.length < count) periods.unshift(referencePeriodAt(periods[0]!.start - 1, interval, calendar));
    return { from: periods[0]!.start, to, periods };
  }
  const from = readBound(spec.from, 'from', calendar) ?? startOfDate(addDays(wall(to, calendar.timezone).date, -29), calendar);
  if (!interval) return { from, to, periods: [] };
  const periods = [referencePeriodAt(from, interval, calendar)];
  while (periods[periods.length - 1]!.end <= to) periods.push(referencePeriodAt(periods[periods.length - 1]!.end, interval, calendar));
  return { from, to, periods };
}
