/**
 * Short, local names of periods for chart axes and cards: `Nov 26` for a day
 * or a week, `Sep 2026` for a month, `Mon 09:00` for an hour, in the page's
 * language. Tables and CSV keep the period's full name (METRICS.md section 2).
 *
 * A period name carries the store's time zone (an hour's name has its
 * offset), so the label is read from the name itself and formatted as UTC: it
 * shows the period's own wall-clock date and hour, not the browser's.
 */
import type { Interval } from '../../shared/index.ts';

const PERIOD_NAME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/;

/** The page's language: the nearest `lang` attribute around `element`, else the browser's. */
export function pageLocale(element?: Element): string | undefined {
  const lang = element?.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
  return lang || navigator.language || undefined;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per locale and shape; Intl.DateTimeFormat is slow to build. */
function format(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let formatter = formats.get(key);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
    } catch {
      // A malformed lang attribute must not break the chart: fall back to the browser's locale.
      formatter = new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' });
    }
    formats.set(key, formatter);
  }
  return formatter;
}

/**
 * A period's short label: `Nov 26` (day, week: its first day), `Sep 2026`
 * (month), `Mon 09:00` (hour, its wall-clock start as named, so a part-hour
 * after a half-hour clock change reads `Sun 02:30`). A name that is not a
 * period name is returned as it is.
 */
export function periodLabel(period: string, interval: Interval, locale?: string): string {
  const parts = PERIOD_NAME.exec(period);
  if (!parts) return period;
  const [year, month, day, hour, minute] = parts.slice(1).map((part) => (part === undefined ? 0 : Number(part))) as number[];
  const wallClock = new Date(Date.UTC(year!, month! - 1, day!, hour, minute));
  switch (interval) {
    case 'month':
      return format(locale, { month: 'short', year: 'numeric' }).format(wallClock);
    case 'hour': {
      const weekday = format(locale, { weekday: 'short' }).format(wallClock);
      const time = format(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(wallClock);
      return `${weekday} ${time}`;
    }
    default:
      return format(locale, { month: 'short', day: 'numeric' }).format(wallClock);
  }
}
