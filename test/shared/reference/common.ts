/**
 * What the plain-JavaScript reference implementations (retention.ts,
 * lifecycle.ts, funnel.ts) share: the in-memory event, the options and the
 * query's calendar. The range and periods of a query come from calendar.ts,
 * written apart from the core's shared/time and shared/query/range.ts, so a
 * bug there shows too; everything else in the references is plain loops
 * over an array of events, without SQL and without anything from
 * `shared/metrics/`.
 */
import type { RefCalendar, RefWeekStart } from './calendar.ts';

/** One event as the references read it. */
export interface RefEvent {
  event: string;
  user: string;
  /** Epoch milliseconds. */
  ts: number;
  /** Ingestion order: the position in the ingested array. Breaks timestamp ties. */
  seq: number;
  properties?: Record<string, unknown>;
}

/** The store settings a reference query runs with, as `openStore` takes them. */
export interface RefOptions {
  timezone: string;
  weekStart: RefWeekStart;
  now: number;
}

/** A spec as a plain object (the references read the fields they know). */
export type RefSpec = Record<string, unknown>;

/** The store's calendar, with the query's own `timezone` / `weekStart` when it gives them (METRICS.md section 2). */
export function calendarOf(spec: RefSpec, options: RefOptions): RefCalendar {
  return {
    timezone: typeof spec.timezone === 'string' ? spec.timezone : options.timezone,
    weekStart: spec.weekStart === 'monday' || spec.weekStart === 'sunday' ? spec.weekStart : options.weekStart,
  };
}

/** The events in a user's event order: by timestamp, then by ingestion order (METRICS.md section 2). */
export function inEventOrder(events: readonly RefEvent[]): RefEvent[] {
  return [...events].sort((a, b) => a.ts - b.ts || a.seq - b.seq);
}

/** The events grouped by user, each list in the user's event order. */
export function byUser(events: readonly RefEvent[]): Map<string, RefEvent[]> {
  const users = new Map<string, RefEvent[]>();
  for (const event of inEventOrder(events)) {
    const list = users.get(event.user);
    if (list) list.push(event);
    else users.set(event.user, [event]);
  }
  return users;
}
