import { eventTime, readTime } from '../../shared/ingest/event.ts';
import { UnreadableRecord } from '../../shared/ingest/text.ts';
import type { DeviceProperties } from './user-agent.ts';

/**
 * Property (and top-level field) names that hold, or are meant to hold,
 * an IP address or a raw User-Agent: PostHog's SDKs send `$ip`,
 * `$user_agent`, `$useragent` and `$raw_user_agent`. They are removed
 * before the store sees a record, whatever their case, as the server
 * never stores either. (Values elsewhere that look like an IP are
 * replaced by the store's scrubbing.)
 */
export const PRIVATE_PROPERTIES: readonly string[] = ['$ip', '$user_agent', '$useragent', '$raw_user_agent'];

/** How far ahead of the server's clock an event may be, after skew correction, before it is set to now: PostHog's 23 hours. */
export const MAX_FUTURE_MS = 23 * 60 * 60 * 1000;

/** What `enrichRecord` needs to know about the request. */
export interface EnrichOptions {
  /** The server's clock when the request arrived, in epoch milliseconds. */
  now: number;
  /** The sender's properties, from its User-Agent (`deviceProperties`); added where the event has none. */
  device?: DeviceProperties;
  /** The request's `sent_at` (ISO 8601 or epoch milliseconds), for records that carry none of their own. */
  sentAt?: unknown;
  /** The store's time zone, in which an offset-less ISO time is read (as the store reads it); default UTC. */
  timeZone?: string;
}

const PRIVATE = new Set(PRIVATE_PROPERTIES);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof UnreadableRecord);
}

/** A copy of `object` without the private names; without a prototype, so that a `__proto__` key stays a plain key. */
function withoutPrivate(object: Record<string, unknown>): Record<string, unknown> {
  const copy = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(object)) {
    if (!PRIVATE.has(key.toLowerCase())) copy[key] = value;
  }
  return copy;
}

/**
 * The event's time with clock skew corrected, as PostHog's ingestion
 * does: a sender whose clock says `sent_at` when the server's says `now`
 * recorded the event `sent_at - timestamp` before sending it, so the event
 * happened at `now - (sent_at - timestamp)` on the server's clock. Without
 * a readable `sent_at` the time stays. A time more than MAX_FUTURE_MS
 * ahead of `now` is set to `now`. Null when the record has no readable
 * time (the store rejects it, saying why).
 */
function correctedTime(record: Record<string, unknown>, sentAt: unknown, now: number, timeZone: string): { field: string; ms: number; changed: boolean } | null {
  const time = eventTime(record, timeZone);
  if (!time) return null;
  const sent = sentAt === undefined || sentAt === null ? null : readTime(sentAt, timeZone);
  let ms = sent === null ? time.ms : now - (sent - time.ms);
  if (ms - now > MAX_FUTURE_MS) ms = now;
  return { field: time.field, ms, changed: ms !== time.ms };
}

/**
 * What the server does to each record before the store sees it: removes
 * PRIVATE_PROPERTIES (top level and properties), adds the device
 * properties the event does not have already, corrects clock skew by
 * `sent_at` (the record's own, else the request's; the field itself is
 * removed) and sets a time over 23 h ahead to now. A corrected time is
 * written as epoch milliseconds in the field it was read from. The record
 * is copied, never changed; anything that is not an event object (an
 * unreadable line, an array) is returned as it is, for the store to
 * reject.
 */
export function enrichRecord(record: unknown, options: EnrichOptions): unknown {
  if (!isPlainObject(record)) return record;
  const { now, device = {}, timeZone = 'UTC' } = options;
  const copy = withoutPrivate(record);
  const sentAt = copy.sent_at ?? options.sentAt;
  delete copy.sent_at;

  const given = copy.properties;
  if (given === undefined || given === null || isPlainObject(given)) {
    const properties = given ? withoutPrivate(given) : (Object.create(null) as Record<string, unknown>);
    for (const [key, value] of Object.entries(device)) {
      if (!(key in properties)) properties[key] = value;
    }
    if (given || Object.keys(properties).length > 0) copy.properties = properties;
  }

  const time = correctedTime(copy, sentAt, now, timeZone);
  if (time?.changed) copy[time.field] = time.ms;
  return copy;
}
