import type { Calendar, Interval, Period } from '../../../shared/time/periods.ts';
import type { Bindings } from './params.ts';

/**
 * The start (epoch ms) of the local day, week or month holding the event
 * time `ts` (epoch ms), by ClickHouse's own calendar functions in the bound
 * time zone: they follow the zone's DST rules, so a 23- or 25-hour day starts
 * at its local midnight as the core's periods do.
 */
function localStartMs(ts: string, interval: Exclude<Interval, 'hour'>, calendar: Calendar, bind: Bindings): string {
  const zone = bind.bind(calendar.timezone, 'String');
  const day = `toDate(toDateTime(intDiv(${ts}, 1000), ${zone}))`;
  const start = interval === 'day' ? day : interval === 'month' ? `toStartOfMonth(${day})` : calendar.weekStart === 'monday' ? `toMonday(${day})` : `toStartOfWeek(${day}, 0)`;
  return `toInt64(toUnixTimestamp(toDateTime(${start}, ${zone}))) * 1000`;
}

/**
 * The index in `periods` (the core's, contiguous and oldest first) of the
 * period holding event time `ts`, or -1 when none does. Day, week and month
 * starts come from ClickHouse's calendar functions, then are looked up among
 * the bound period starts. Hours are found among the bound starts directly:
 * where a clock moves by 30 minutes (Lord Howe) the core's hours include
 * part-hours that no `toStartOfHour` knows, and a query has few enough hours
 * for a count of the starts at or before each event.
 */
export function periodIndex(ts: string, interval: Interval, calendar: Calendar, periods: readonly Period[], bind: Bindings): string {
  const starts = bind.bind(periods.map((p) => p.start), 'Array(Int64)');
  const last = periods.length === 0 ? 0 : periods[periods.length - 1]!.end;
  const inside = `${ts} >= ${bind.bind(periods[0]?.start ?? 0, 'Int64')} AND ${ts} < ${bind.bind(last, 'Int64')}`;
  if (interval === 'hour') return `if(${inside}, toInt64(arrayCount(s -> s <= ${ts}, ${starts})) - 1, -1)`;
  const indexes = bind.bind(periods.map((_, i) => i), 'Array(Int64)');
  return `if(${inside}, transform(${localStartMs(ts, interval, calendar, bind)}, ${starts}, ${indexes}, toInt64(-1)), -1)`;
}
