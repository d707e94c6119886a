import { quote } from '../../../shared/errors.ts';
import { isBotAgent } from '../../ingest/bots.ts';
import { isSegmentCall, isStoredCall, SEGMENT_CALLS, type DroppedCall, type SegmentCall } from './calls.ts';
import { eventIdOf } from './message-id.ts';
import { segmentProperties } from './page-properties.ts';

/** What one Segment message comes to. */
export type MappedMessage =
  /** An event in the store's format (shared/ingest/event.ts), for acceptEvents. */
  | { kind: 'event'; record: Record<string, unknown> }
  /** An identify, group or alias: answered and counted, not stored. */
  | { kind: 'dropped'; call: DroppedCall }
  /** Forwarded for a known bot (its `context.userAgent`): counted, not stored. */
  | { kind: 'bot' }
  /** Not a message that can be an event; the reason names the Segment field. */
  | { kind: 'refused'; reason: string };

/** What the request says of all its messages. */
export interface MessageDefaults {
  /** The call the path names; undefined for `/v1/batch`, whose messages name theirs in `type`. */
  call?: SegmentCall;
  /** A batch's `context`, under each message's own. */
  context?: unknown;
  /** The server's clock, for a message without a time (see below). */
  now: number;
}

/** The name a `page` or `screen` is stored under: the web tracker's, so page metrics read both alike. */
export const PAGEVIEW_EVENT = '$pageview';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function callOf(message: Record<string, unknown>, defaults: MessageDefaults): SegmentCall | { reason: string } {
  if (defaults.call) return defaults.call; // the path decides, as in Segment's API
  const calls = SEGMENT_CALLS.join(', ');
  if (!present(message.type)) return { reason: `type: missing; each message of a batch names its call (${calls})` };
  if (!isSegmentCall(message.type)) return { reason: `type: ${quote(message.type)} is not a Segment call (${calls})` };
  return message.type;
}

/**
 * One Segment message in the store's event format:
 * - `track` keeps its `event`; `page` and `screen` become `$pageview`;
 * - `userId`, or else `anonymousId`, is the `user_id`;
 * - `messageId` is the `uuid` (eventIdOf), so a retried message is a duplicate;
 * - the time is `originalTimestamp` (the sender's clock when the event
 *   happened, when a library sends it) or else `timestamp`, corrected by
 *   the message's `sentAt` (else the batch's, which acceptEvents applies)
 *   as Segment corrects it: `now - (sentAt - time)`. A message without
 *   either time is refused by the store, as every event without one is
 *   (METRICS.md section 1), where Segment's API would date it on arrival;
 * - the properties are segmentProperties'.
 * `identify`, `group` and `alias` are dropped; so is a message forwarded
 * for a known bot. A message that cannot be an event is refused with a
 * reason naming its Segment field; the store checks the rest (lengths,
 * dates, properties) and names the field too.
 */
export function mapSegmentMessage(message: unknown, defaults: MessageDefaults): MappedMessage {
  if (!isObject(message)) return { kind: 'refused', reason: `message: must be a JSON object, got ${Array.isArray(message) ? 'an array' : quote(message)}` };
  const call = callOf(message, defaults);
  if (typeof call !== 'string') return { kind: 'refused', ...call };
  if (!isStoredCall(call)) return { kind: 'dropped', call };

  const context = { ...(isObject(defaults.context) ? defaults.context : {}), ...(isObject(message.context) ? message.context : {}) };
  if (typeof context.userAgent === 'string' && isBotAgent(context.userAgent)) return { kind: 'bot' };

  const event = call === 'track' ? message.event : PAGEVIEW_EVENT;
  if (!present(event)) return { kind: 'refused', reason: 'event: missing; a track call names its event' };
  const userId = present(message.userId) ? message.userId : message.anonymousId;
  if (!present(userId)) return { kind: 'refused', reason: 'userId: missing, and no anonymousId; a Segment call needs one of them' };
  if (typeof userId !== 'string' && typeof userId !== 'number') {
    return { kind: 'refused', reason: `${present(message.userId) ? 'userId' : 'anonymousId'}: must be a string or a number, got ${quote(userId)}` };
  }
  const uuid = eventIdOf(message.messageId);
  if (typeof uuid === 'object') return { kind: 'refused', ...uuid };

  const record: Record<string, unknown> = { event, user_id: userId };
  const time = present(message.originalTimestamp) ? message.originalTimestamp : message.timestamp;
  // Without a time the store refuses the message ("timestamp: missing"): an event's time is never the
  // time it arrived (METRICS.md section 1), though Segment's API would date it so. The libraries always send one.
  if (present(time)) {
    record.timestamp = time;
    if (present(message.sentAt)) record.sent_at = message.sentAt;
  }
  if (uuid !== undefined) record.uuid = uuid;
  const properties = segmentProperties(message, call, context);
  if (properties !== undefined) record.properties = properties;
  return { kind: 'event', record };
}
