import { SpecError, quote } from '../errors.ts';
import { idText } from '../ingest/event.ts';
import { optionalInteger, optionalString, rejectUnknownFields, type SpecObject } from '../query/fields.ts';
import { COMMON_FIELDS, eventCondition, type QueryContext } from '../query/context.ts';
import { resolveRange, type QueryRange, type RangeFields } from '../query/range.ts';
import type { Calendar } from '../time/periods.ts';
import type { SqlParams } from '../sql/executor.ts';
import { uuidText } from '../store/uuid.ts';

/** `{ kind: 'events' }`: the stored events themselves, newest first (METRICS.md section 13). */
export interface EventsQuery extends RangeFields {
  kind: 'events';
  event?: string;
  /**
   * Only this user's events: the user id as given to `ingest`. When the store
   * pseudonymizes, give the raw id: the store hashes it the same way
   * (METRICS.md section 15), so a person can ask for their own data. A
   * number is read as ingest reads one (42 is the user '42').
   */
  user?: string | number;
  /** Default 100, at most 10,000. */
  limit?: number;
  offset?: number;
}

/** One event as stored: what a person sees of what was recorded about them. */
export interface StoredEvent {
  event: string;
  /** As stored: the id given to `ingest`, or its HMAC-SHA-256 hex when the store pseudonymizes. */
  user_id: string;
  /** ISO 8601, UTC. */
  timestamp: string;
  session_id: string | null;
  uuid: string | null;
  /** As stored, so scrubbed (e-mails, addresses, paths, tokens replaced) unless the store was opened with `scrub: false`. */
  properties: Record<string, unknown>;
}

export interface EventsResult {
  /** Matching events in the range, before limit and offset. */
  total: number;
  events: StoredEvent[];
}

const FIELDS = [...COMMON_FIELDS, 'from', 'to', 'event', 'user', 'limit', 'offset'];

/** The `user` field as the id ingest stored (idText), checked as ingest checks a user id. */
function readUser(spec: SpecObject): string | undefined {
  const value = spec.user;
  if (value === undefined || value === null) return undefined;
  const id = idText(value);
  if (id === null || id.length === 0 || id.length > 200) {
    throw new SpecError('user', `must be a user id as ingested: a string of 1..200 characters or a number, got ${quote(value)}`);
  }
  return id;
}

/** An events spec, checked, with its range resolved: what every engine's events query runs. */
export interface EventsPlan {
  limit: number;
  offset: number;
  event: string | undefined;
  user: string | undefined;
  range: QueryRange;
}

/** Checks an events spec and resolves its range in `calendar` at `now`; throws a SpecError naming the field. */
export function readEventsSpec(spec: SpecObject, calendar: Calendar, now: number): EventsPlan {
  rejectUnknownFields(spec, FIELDS);
  const limit = optionalInteger(spec, 'limit', 1, 10_000) ?? 100;
  const offset = optionalInteger(spec, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const user = readUser(spec);
  const range = resolveRange(spec, calendar, now);
  return { limit, offset, event: optionalString(spec, 'event'), user, range };
}

/** Lists stored events; `user` is matched against user ids as stored (a pseudonymizing store hashes it before this runs). */
export function eventsQuery(spec: SpecObject, ctx: QueryContext): EventsResult {
  const { limit, offset, event, user, range } = readEventsSpec(spec, ctx.calendar, ctx.now);
  const params: SqlParams = { $from: range.from, $to: range.to };
  let where = `e.ts >= $from AND e.ts <= $to AND ${eventCondition(event, params)}`;
  if (user !== undefined) {
    params.$user = user;
    where += ' AND e.user_id = (SELECT id FROM users WHERE external_id = $user)';
  }
  const total = Number(ctx.sql.rows(`SELECT COUNT(*) FROM events AS e WHERE ${where}`, params)[0]![0]);
  const rows = ctx.sql.rows(
    `SELECT n.name, u.external_id, e.ts, s.external_id, e.uuid, json(e.properties)
FROM events AS e JOIN event_names AS n ON n.id = e.name_id JOIN users AS u ON u.id = e.user_id
LEFT JOIN session_ids AS s ON s.id = e.session_id
WHERE ${where} ORDER BY e.ts DESC, e.seq DESC LIMIT $limit OFFSET $offset`,
    { ...params, $limit: limit, $offset: offset },
  );
  return {
    total,
    events: rows.map(([event, userId, ts, sessionId, uuid, properties]) => ({
      event: String(event),
      user_id: String(userId),
      timestamp: new Date(Number(ts)).toISOString(),
      session_id: sessionId === null ? null : String(sessionId),
      uuid: uuid === null ? null : uuidText(uuid!),
      properties: properties === null ? {} : (JSON.parse(String(properties)) as Record<string, unknown>),
    })),
  };
}
