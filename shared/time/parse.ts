import { instantOf, type LocalTime } from './zone.ts';

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Reads a `YYYY-MM-DD` calendar date; null when it is not one (also for `2026-02-30`). */
export function parseDate(text: string): LocalTime | null {
  const match = DATE_PATTERN.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (!validDate(year, month, day)) return null;
  return { year, month, day, hour: 0, minute: 0, second: 0 };
}

/** True when `text` is a bare `YYYY-MM-DD` date rather than a date and time. */
export function isDateOnly(text: string): boolean {
  return DATE_PATTERN.test(text);
}

/**
 * Reads an ISO 8601 date or date-time as epoch milliseconds. A value with
 * `Z` or an offset is absolute; one without is wall-clock time in
 * `timeZone` (a bare date is its local midnight). Null when not a valid
 * ISO 8601 value.
 */
export function parseIsoTime(text: string, timeZone: string): number | null {
  const match = ISO_PATTERN.exec(text.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const hour = Number(match[4] ?? 0);
  const minute = Number(match[5] ?? 0);
  const second = Number(match[6] ?? 0);
  const millis = match[7] ? Math.floor(Number(`0.${match[7]}`) * 1000) : 0;
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  const zone = match[8];
  if (zone === undefined) return instantOf({ year, month, day, hour, minute, second }, timeZone) + millis;
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const hours = Number(digits.slice(0, 2));
    const mins = Number(digits.slice(2) || 0);
    if (hours > 18 || mins > 59) return null;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (hours * 60 + mins);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60000;
}
