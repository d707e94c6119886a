import type { PropertyFilter } from '../../../shared/query/property-filter.ts';
import type { SpecObject } from '../../../shared/query/fields.ts';
import type { Calendar } from '../../../shared/time/periods.ts';
import { quoteIdentifier, type Bindings } from './params.ts';
import { propertyFilterSql, queryConditions } from './where.ts';

/** Where a project's events are: the database holding `events`, and the project's name in its `project` column. */
export interface ClickHouseScope {
  database: string;
  project: string;
}

/** What a ClickHouse query gets besides its spec: the core's QueryContext, less what only SQLite has. */
export interface ClickHouseQueryContext {
  /** The project's calendar; a spec's `timezone` / `weekStart` override it. */
  calendar: Calendar;
  /** "Now" in epoch ms. */
  now: number;
  /** Distinct-user counts below this (and above 0) are suppressed; 1 = off. */
  minGroupSize: number;
  /** Conditions the caller locks onto the query (an embed token's `where`), as in the core's QueryContext. */
  lockedWhere?: PropertyFilter | null;
}

/**
 * A derived table of the project's events that the query sees: the
 * project's rows of `{db}.events` meeting the spec's `where` and the locked
 * conditions. Columns: event, user_id, session_id, ts, seq (the ingestion
 * order, which breaks ties of ts), uuid, properties.
 * Duplicates are not removed here but by the `final = 1` setting every
 * statement carries (answer.ts).
 */
export function projectEvents(scope: ClickHouseScope, spec: SpecObject, ctx: ClickHouseQueryContext, bind: Bindings): string {
  const condition = propertyFilterSql(queryConditions(spec, ctx.lockedWhere), 'properties', bind);
  return `(SELECT event, user_id, session_id, ts, seq, uuid, properties FROM ${quoteIdentifier(scope.database)}.events
  WHERE project = ${bind.bind(scope.project, 'String')} AND ${condition})`;
}

/** The condition on column `event` for an optional event-name filter. */
export function eventFilter(event: string | undefined, bind: Bindings): string {
  return event === undefined ? '1' : `event = ${bind.bind(event, 'String')}`;
}
