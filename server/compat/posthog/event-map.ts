import { clickTargetOf, parseElementsChain, readElementsArray, type CapturedElement } from './elements.ts';
import { exceptionDetails } from './exception.ts';

/** Why a PostHog event is taken in and not stored: the reasons counted in the ingest report's `dropped`. */
export type DropReason = 'person updates' | 'identify' | 'group updates' | 'recordings';

/**
 * PostHog events that change persons or groups, or carry recordings, not
 * usage: Footprint keeps no person profiles, merges no ids and serves no
 * replays, so these are counted and not stored.
 */
export const DROPPED_EVENTS: Readonly<Record<string, DropReason>> = {
  $set: 'person updates',
  $set_once: 'person updates',
  $identify: 'identify',
  $create_alias: 'identify',
  $merge_dangerously: 'identify',
  $groupidentify: 'group updates',
  $snapshot: 'recordings',
  $snapshot_items: 'recordings',
};

/**
 * Properties of PostHog's events that are not kept: the project token
 * (a key, never stored), what moves to a field of the event (`distinct_id`,
 * `$session_id`), person and group updates riding on an event (`$set`,
 * `$set_once`, `$unset`, `$initial_person_info`, `$anon_distinct_id`,
 * `$device_id`: more ids for one person), the autocapture element list
 * (replaced by `target`, `tag`, `text`; attributes may hold anything),
 * an exception's frames (replaced by `message` and `type`) and the SDK's
 * bookkeeping about itself (`$insert_id`, `$time`, rate-limit tokens, person
 * processing flags, `$geoip_disable`: the server looks up no place; posthog-js's
 * notes on its own set-up, `$initialization_time`, `$lib_custom_api_host`
 * and the `…_server_side` switches). `$ip` and the raw User-Agent are removed by ingest,
 * whatever the door. `$lib`, `$lib_version`, `$browser`, `$os`,
 * `$device_type`, `$host`, `$referrer` and the rest stay as sent.
 */
export const DROPPED_PROPERTIES: ReadonlySet<string> = new Set([
  'token',
  'distinct_id',
  '$session_id',
  '$set',
  '$set_once',
  '$unset',
  '$initial_person_info',
  '$anon_distinct_id',
  '$device_id',
  '$elements',
  '$elements_chain',
  '$el_text',
  '$event_type',
  '$ce_version',
  '$exception_list',
  '$exception_message',
  '$exception_type',
  '$insert_id',
  '$time',
  '$ignore_sent_at',
  '$lib_rate_limit_remaining_tokens',
  '$process_person_profile',
  '$is_identified',
  '$configured_session_timeout_ms',
  '$geoip_disable',
  '$initialization_time',
  '$config_defaults',
  '$recording_status',
  '$lib_custom_api_host',
  '$sdk_dist_channel',
]);

/** posthog-js's notes of what the remote configuration switched (`$web_vitals_enabled_server_side`, …): about the SDK, not the person. */
const SERVER_SIDE_NOTE = /^\$\w+_server_side$/;

/** PostHog's page properties and the tracker's names for them, which the widgets and the paths kind read; the tracker's name wins when both are sent. (A Map: a property may be named `constructor`.) */
const RENAMED_PROPERTIES: ReadonlyMap<string, string> = new Map([
  ['$current_url', 'url'],
  ['$pathname', 'path'],
]);

/** What the mapping needs of the request. */
export interface CaptureContext {
  /** The server's clock when the request arrived (epoch ms): the time of an event sent with `offset` or with no time at all. */
  now: number;
  /** The batch's `sent_at`, for events without their own. */
  sentAt: string | number | null;
}

/** A PostHog event as the store takes it, or why it is not stored. */
export type MappedEvent = { record: unknown } | { dropped: DropReason };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function elementsOf(properties: Record<string, unknown>): CapturedElement[] {
  if (typeof properties.$elements_chain === 'string' && properties.$elements_chain !== '') return parseElementsChain(properties.$elements_chain);
  return Array.isArray(properties.$elements) ? readElementsArray(properties.$elements) : [];
}

/**
 * The event's time as PostHog's ingestion computes it (plugin-server
 * `parseEventTimestamp`), in the fields the server's ingest reads:
 * - `offset` (milliseconds between the event and the sending, which mobile
 *   and old SDKs send instead of a timestamp): now - offset;
 * - a `timestamp` with a `sent_at` (the event's own, else the batch's,
 *   unless `$ignore_sent_at`): corrected for the sender's clock skew, by
 *   ingest (enrichRecord: now - (sent_at - timestamp));
 * - a `timestamp` alone: as sent;
 * - neither: no time, so the store refuses the event ("timestamp:
 *   missing"), as it refuses every event without one (METRICS.md section
 *   1), where PostHog would date it on arrival; its SDKs always send one.
 * Ingest sets a time more than 23 hours ahead to now, as PostHog does.
 */
function timeFields(event: Record<string, unknown>, properties: Record<string, unknown>, context: CaptureContext): { timestamp: unknown; sent_at?: unknown } {
  if (typeof event.offset === 'number' && Number.isFinite(event.offset) && event.offset !== 0) return { timestamp: context.now - event.offset };
  const timestamp = event.timestamp;
  if (timestamp === undefined || timestamp === null || timestamp === '') return { timestamp: undefined };
  const sentAt = properties.$ignore_sent_at === true ? null : (event.sent_at ?? context.sentAt);
  return sentAt === null || sentAt === undefined ? { timestamp } : { timestamp, sent_at: sentAt };
}

/**
 * One PostHog event as the store's event (shared/ingest/event.ts):
 * `distinct_id` (top level, else in properties) is `user_id`,
 * `properties.$session_id` is `session_id`, `uuid` stays, the time as
 * PostHog computes it (see timeFields). Events are renamed where Footprint
 * has its own: an `$autocapture` click is a `$click` with `target`, `tag`,
 * `id`, `classes` and `text` from its elements (other autocapture events
 * keep their name and get the same description), an `$exception` is an
 * `$error` with `message`, `type` and `source`; `$pageview` and every
 * other event keep their name. `$current_url` and `$pathname` become `url`
 * and `path`. DROPPED_EVENTS are not mapped but counted by their reason.
 * Anything that is not an event object is returned as it is, for the
 * store to refuse (and report) by its index.
 */
export function mapCaptureEvent(event: unknown, context: CaptureContext): MappedEvent {
  if (!isObject(event)) return { record: event };
  const name = event.event;
  if (typeof name === 'string' && Object.hasOwn(DROPPED_EVENTS, name)) return { dropped: DROPPED_EVENTS[name]! };
  const given = isObject(event.properties) ? event.properties : {};

  const properties: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(given)) {
    if (DROPPED_PROPERTIES.has(key) || key.startsWith('$sdk_debug') || SERVER_SIDE_NOTE.test(key)) continue;
    const renamed = RENAMED_PROPERTIES.get(key);
    if (renamed === undefined) properties[key] = value;
    else if (!Object.hasOwn(given, renamed)) properties[renamed] = value;
  }

  let eventName = name;
  if (name === '$autocapture') {
    const target = clickTargetOf(elementsOf(given));
    if (target) Object.assign(properties, target);
    if (given.$event_type === 'click') eventName = '$click';
    else if (typeof given.$event_type === 'string') properties.$event_type = given.$event_type;
  } else if (name === '$exception') {
    eventName = '$error';
    Object.assign(properties, exceptionDetails(given));
  }

  const userId = event.distinct_id ?? given.distinct_id;
  const sessionId = given.$session_id;
  return {
    record: {
      event: eventName,
      ...(userId === undefined ? {} : { user_id: userId }),
      ...timeFields(event, given, context),
      ...(typeof sessionId === 'string' && sessionId !== '' ? { session_id: sessionId } : {}),
      ...(event.uuid === undefined ? {} : { uuid: event.uuid }),
      properties,
    },
  };
}
