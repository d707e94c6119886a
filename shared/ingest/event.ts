import { quote } from '../errors.ts';
import { scrubProperties } from '../privacy/scrub.ts';
import { parseIsoTime } from '../time/parse.ts';
import { MAX_PROPERTY_DEPTH, nestingProblem } from './property-depth.ts';

/**
 * An event as given to `ingest()` (METRICS.md section 1). Field aliases are
 * accepted: `name` / `type` for `event`; `distinct_id`, `userId`,
 * `anonymousId`, `user` for `user_id`; `ts`, `time` for `timestamp`.
 */
export interface RawEvent {
  event?: string;
  user_id?: string | number;
  /**
   * ISO 8601 (an offset-less value is read in the store's time zone), epoch
   * milliseconds (10^11 or more: smaller numbers are rejected, most being
   * epoch seconds) or a valid `Date`; years 1970..2100 (UTC).
   */
  timestamp?: string | number | Date;
  session_id?: string;
  uuid?: string;
  /** A JSON object, at most 32 KiB serialized and nested at most MAX_PROPERTY_DEPTH (20) levels deep. */
  properties?: Record<string, unknown>;
  [alias: string]: unknown;
}

/** An event after validation, ready for the database. */
export interface ValidEvent {
  event: string;
  userId: string;
  timestamp: number;
  sessionId: string | null;
  uuid: string | null;
  /** Serialized JSON object, or null when there are none. */
  properties: string | null;
}

/** Each canonical field with its accepted aliases, canonical first so it wins. */
export const FIELD_ALIASES = {
  event: ['event', 'name', 'type'],
  user_id: ['user_id', 'distinct_id', 'userId', 'anonymousId', 'user'],
  timestamp: ['timestamp', 'ts', 'time'],
  session_id: ['session_id'],
  uuid: ['uuid'],
  properties: ['properties'],
} as const;

/**
 * Top-level fields that describe how a record was sent, not the event:
 * `sent_at`, the sender's clock when it sent (the tracker adds it to every
 * line, so that a server can correct clock skew). Ingest takes them without
 * storing them and without listing them in `ignoredFields`, whose purpose
 * is to point at fields a sender meant to keep.
 */
export const TRANSPORT_FIELDS: readonly string[] = ['sent_at'];

export const KNOWN_FIELDS: ReadonlySet<string> = new Set([...Object.values(FIELD_ALIASES).flat(), ...TRANSPORT_FIELDS]);

const MAX_TEXT = 200;
const MAX_PROPERTIES_BYTES = 32 * 1024;
const MIN_MS = Date.UTC(1970, 0, 1);
const MAX_MS = Date.UTC(2101, 0, 1) - 1;

/**
 * True when a string has no lone UTF-16 surrogate. `isWellFormed` (ES2024:
 * Node 20, browsers since 2023, not yet in TypeScript's ES2023 lib) checked
 * the four texts of 200,000 sample events in 9 ms where the regex took 75 ms
 * (about a twentieth of ingest); the regex stays for older engines.
 */
const isWellFormed: (text: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (text) => (text as string & { isWellFormed(): boolean }).isWellFormed()
    : (text) => !/\p{Cs}/u.test(text);

/** Thrown inside validation; carries the reason reported for the row. */
class Rejection {
  constructor(readonly reason: string) {}
}

function pick(raw: Record<string, unknown>, names: readonly string[]): [string, unknown] {
  for (const name of names) {
    const value = raw[name];
    if (value !== undefined && value !== null && value !== '') return [name, value];
  }
  return [names[0]!, undefined];
}

/**
 * An id (a user or session id) as ingest stores it: text as given, a finite
 * number as its decimal text, so 42 and '42' are one user. Null for
 * anything else. Whatever looks a user up by id reads it with this too.
 */
export function idText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function text(raw: Record<string, unknown>, names: readonly string[], required: boolean, allowNumber: boolean): string | null {
  const [field, value] = pick(raw, names);
  if (value === undefined) {
    if (!required) return null;
    const aliases = names.slice(1);
    throw new Rejection(`${field}: missing${aliases.length ? ` (also accepted: ${aliases.join(', ')})` : ''}`);
  }
  const result = allowNumber ? idText(value) : typeof value === 'string' ? value : null;
  if (result === null) throw new Rejection(`${field}: must be a string${allowNumber ? ' or a number' : ''}, got ${quote(value)}`);
  if (result.length > MAX_TEXT) throw new Rejection(`${field}: longer than ${MAX_TEXT} characters`);
  // SQLite stores UTF-8: a lone surrogate would come back as U+FFFD, so the event would not be the one given.
  if (!isWellFormed(result)) throw new Rejection(`${field}: not valid Unicode (a lone surrogate)`);
  return result;
}

/**
 * A number as a timestamp: epoch milliseconds from 10^11 (1973-03-03) on.
 * METRICS.md section 1 rejects every number below 10^11; only positive ones
 * look like epoch seconds, so the others are told what is wrong with them.
 */
function epochMilliseconds(field: string, value: number): number {
  if (!Number.isFinite(value)) throw new Rejection(`${field}: not a date: ${quote(value)} (give ISO 8601 or epoch milliseconds)`);
  if (value < 0) throw new Rejection(`${field}: ${value} is before 1970 (a negative epoch time); years 1970..2100 are accepted`);
  if (value === 0) throw new Rejection(`${field}: 0 is the epoch itself, not a time of an event (unset?); give ISO 8601 or epoch milliseconds`);
  if (value < 1e11) throw new Rejection(`${field}: ${value} looks like epoch seconds? give milliseconds`);
  return Math.round(value);
}

function timestamp(raw: Record<string, unknown>, timeZone: string): number {
  const [field, value] = pick(raw, FIELD_ALIASES.timestamp);
  if (value === undefined) throw new Rejection(`${field}: missing (also accepted: ts, time); timestamps are never defaulted to now`);
  return timeValue(field, value, timeZone);
}

/** A time as ingest reads it (see RawEvent's `timestamp`), in epoch milliseconds; throws a Rejection naming `field`. */
function timeValue(field: string, value: unknown, timeZone: string): number {
  let ms: number | null;
  if (typeof value === 'number') {
    ms = epochMilliseconds(field, value);
  } else if (typeof value === 'string') {
    ms = parseIsoTime(value, timeZone);
    if (ms === null) throw new Rejection(`${field}: not a date: ${quote(value)} (give ISO 8601 or epoch milliseconds)`);
  } else if (value instanceof Date) {
    // A Date is an instant, unambiguous, so the 10^11 rule for bare numbers does not apply.
    ms = value.getTime();
    if (Number.isNaN(ms)) throw new Rejection(`${field}: not a date: an invalid Date`);
  } else {
    throw new Rejection(`${field}: not a date: ${quote(value)}`);
  }
  if (ms < MIN_MS || ms > MAX_MS) throw new Rejection(`${field}: year outside 1970..2100: ${quote(value)}`);
  return ms;
}

/**
 * A time given as ingest reads a timestamp (ISO 8601, offset-less read in
 * `timeZone`; epoch milliseconds; a Date), in epoch milliseconds; null
 * when it is not one. What reads a time beside the store (a server's
 * `sent_at`) reads it with this, so both agree.
 */
export function readTime(value: unknown, timeZone: string): number | null {
  try {
    return timeValue('time', value, timeZone);
  } catch (error) {
    if (error instanceof Rejection) return null;
    throw error;
  }
}

/** The field an event's time is read from (`timestamp` or an alias) and that time, as `validateEvent` reads it; null when absent or unreadable. */
export function eventTime(raw: Record<string, unknown>, timeZone: string): { field: string; ms: number } | null {
  const [field, value] = pick(raw, FIELD_ALIASES.timestamp);
  const ms = value === undefined ? null : readTime(value, timeZone);
  return ms === null ? null : { field, ms };
}

function utf8Length(serialized: string): number {
  // Every UTF-16 unit is at most 3 UTF-8 bytes, so short strings skip the encoder.
  return serialized.length * 3 <= MAX_PROPERTIES_BYTES ? serialized.length : new TextEncoder().encode(serialized).length;
}

/**
 * The properties as stored: serialized, and scrubbed when `scrub` is set. The
 * 32 KiB limit is on the properties as given (METRICS.md section 1 describes
 * the input), so whether an event is accepted never depends on scrubbing.
 */
function properties(raw: Record<string, unknown>, scrub: boolean): string | null {
  const value = raw.properties;
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new Rejection(`properties: must be a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  const nesting = nestingProblem(value);
  if (nesting === 'too deep') throw new Rejection(`properties: nested more than ${MAX_PROPERTY_DEPTH} levels deep (the limit; each object or array inside another is a level)`);
  if (nesting === 'circular') throw new Rejection('properties: circular (an object contains itself), so not JSON');
  try {
    const serialized = JSON.stringify(value);
    if (serialized === '{}') return null;
    if (utf8Length(serialized) > MAX_PROPERTIES_BYTES) throw new Rejection('properties: larger than 32 KiB serialized');
    if (!scrub) return serialized;
    const scrubbed = scrubProperties(value);
    // Nothing changed (the usual case): the JSON made above is the stored one.
    return scrubbed === value ? serialized : JSON.stringify(scrubbed);
  } catch (error) {
    if (error instanceof Rejection) throw error;
    throw new Rejection(`properties: cannot be serialized as JSON (${(error as Error).message})`);
  }
}

/** The user id that `validateEvent` gives a raw event, or null when it has no valid one. */
export function userIdOf(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  try {
    return text(raw as Record<string, unknown>, FIELD_ALIASES.user_id, true, true);
  } catch (error) {
    if (error instanceof Rejection) return null;
    throw error;
  }
}

/**
 * Validates one raw event. Returns the clean event, or the reason it was
 * rejected, naming the field and the problem. With `scrub` (the default),
 * personal data in property values is replaced (privacy/scrub.ts).
 */
export function validateEvent(raw: unknown, timeZone: string, scrub = true): ValidEvent | { reason: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { reason: `event: must be a JSON object, got ${Array.isArray(raw) ? 'an array' : quote(raw)}` };
  }
  const record = raw as Record<string, unknown>;
  try {
    const event = text(record, FIELD_ALIASES.event, true, false)!;
    const userId = text(record, FIELD_ALIASES.user_id, true, true)!;
    return {
      event,
      userId,
      timestamp: timestamp(record, timeZone),
      sessionId: text(record, FIELD_ALIASES.session_id, false, true),
      uuid: text(record, FIELD_ALIASES.uuid, false, false),
      properties: properties(record, scrub),
    };
  } catch (error) {
    if (error instanceof Rejection) return { reason: error.reason };
    throw error;
  }
}
