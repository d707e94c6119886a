/**
 * Calendar arithmetic in IANA time zones, built on Intl only. Nothing here
 * assumes a day lasts 24 hours: local midnights are found by asking the
 * zone, so daylight-saving days come out 23 or 25 hours long.
 */

/** A wall-clock date and time in some zone; month is 1-12. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** True when the runtime knows `timeZone` as an IANA zone name. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time at instant `ms` in `timeZone`. */
export function localTime(ms: number, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** The zone's offset from UTC at instant `ms`, in milliseconds (east positive). */
export function offsetAt(ms: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  return offsetOf(localTime(ms, timeZone), ms);
}

/** The offset of a zone whose wall clock shows `local` at instant `ms` (`localTime(ms, zone)`), without asking the zone again. */
export function offsetOf(local: LocalTime, ms: number): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant at which the wall clock of `timeZone` shows `local`. A time
 * repeated by a fall-back change gives the earlier instant; a time skipped
 * by a spring-forward change gives the instant the clock jumped (so the
 * start of a day whose midnight does not exist is the moment it began).
 */
export function instantOf(local: LocalTime, timeZone: string): number {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  if (timeZone === 'UTC') return asUtc;
  // The offsets a day either side cover both sides of any change near this time.
  const offsets = [offsetAt(asUtc - DAY_MS, timeZone), offsetAt(asUtc + DAY_MS, timeZone)];
  const candidates = offsets.map((offset) => asUtc - offset);
  const valid = candidates.filter((instant, i) => offsetAt(instant, timeZone) === offsets[i]);
  if (valid.length > 0) return Math.min(...valid);
  return transitionBetween(Math.min(...candidates), Math.max(...candidates), timeZone);
}

/**
 * The first second after `before`, up to `after`, at which the zone's offset
 * differs from its offset at `before` (found by bisection): the instant of the
 * one change between them. `before` must be a whole second.
 */
export function transitionBetween(before: number, after: number, timeZone: string): number {
  const offsetBefore = offsetAt(before, timeZone);
  let low = before;
  let high = after;
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (offsetAt(middle, timeZone) === offsetBefore) low = middle;
    else high = middle;
  }
  return high;
}

/** Adds whole calendar days to a local date (month and year roll over). */
export function addDays(local: LocalTime, days: number): LocalTime {
  const d = new Date(Date.UTC(local.year, local.month - 1, local.day + days));
  return { ...local, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Sunday .. 6 = Saturday, for a local date. */
export function weekday(local: LocalTime): number {
  return new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay();
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/** `YYYY-MM-DD` of a local date. */
export function formatDate(local: LocalTime): string {
  return `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}`;
}

/** `+hh:mm` / `-hh:mm` of an offset in milliseconds. */
export function formatOffset(offsetMs: number): string {
  const minutes = Math.round(offsetMs / 60000);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}
