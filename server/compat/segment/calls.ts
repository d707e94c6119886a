/** Segment calls whose events are stored: a `track` under its own name, a `page` or `screen` as a `$pageview`. */
export const STORED_CALLS = ['track', 'page', 'screen'] as const;

/**
 * Segment calls that are answered and counted but not stored: they update
 * a person's traits (`identify`), a group's (`group`) or merge two ids
 * (`alias`), and Footprint keeps events only, never profiles. Each is
 * counted in the ingest report under its own name.
 */
export const DROPPED_CALLS = ['identify', 'group', 'alias'] as const;

export type StoredCall = (typeof STORED_CALLS)[number];
export type DroppedCall = (typeof DROPPED_CALLS)[number];

/** A call of Segment's HTTP Tracking API, as named by its path (`/v1/track`) and by a batch message's `type`. */
export type SegmentCall = StoredCall | DroppedCall;

export const SEGMENT_CALLS: readonly SegmentCall[] = [...STORED_CALLS, ...DROPPED_CALLS];

/** Whether `value` names a Segment call. */
export function isSegmentCall(value: unknown): value is SegmentCall {
  return typeof value === 'string' && (SEGMENT_CALLS as readonly string[]).includes(value);
}

/** Whether a call's events are stored. */
export function isStoredCall(call: SegmentCall): call is StoredCall {
  return (STORED_CALLS as readonly string[]).includes(call);
}
