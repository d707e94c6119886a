/**
 * An event as the tracker records it: the event format of `ingest()`
 * (METRICS.md section 1, shared/ingest/event.ts) with every field filled in,
 * so any sink can hand it to a store or an endpoint as it is.
 */
export interface TrackerEvent {
  event: string;
  /** The anonymous id, or the one given to `identify()`. */
  user_id: string;
  /** ISO 8601 in UTC (`2026-11-28T09:15:00.000Z`). */
  timestamp: string;
  session_id: string;
  /** Random v4 UUID: a store ignores an event whose uuid it already has, so a resend never counts twice. */
  uuid: string;
  properties: Record<string, unknown>;
}

/** What the tracker gives a sink when it starts it. */
export interface SinkContext {
  /** The tracker's `storagePrefix`: a sink's Web Storage keys start with it. */
  readonly storagePrefix: string;
  /** Reports what went wrong (a failed send, a refused event, full storage): the tracker's `onError`. */
  onError(error: Error): void;
}

/**
 * Where recorded events go. The tracker calls `start` when consent is
 * granted (or found granted), `write` for each event while granted, and
 * `stop` when consent is revoked or the tracker shuts down. A sink touches
 * no storage and no network before `start`: creating one is free of side
 * effects, so sinks can be made before the person has chosen.
 */
export interface TrackerSink {
  /** Names the sink in error messages (`store`, `indexeddb`, `http`). */
  readonly name: string;
  /** Recording may begin: the sink may now use its storage (the HTTP sink resends what an earlier page left unsent). */
  start(context: SinkContext): void;
  /** Takes one event; writes or sends it soon (batched), never synchronously failing. */
  write(event: TrackerEvent): void;
  /** Writes or sends everything pending now; resolves when done or failed (failures go to `onError`, events stay queued). */
  flush(): Promise<void>;
  /**
   * Stops. `dropUnsent` (consent revoked): everything not yet written or
   * sent is discarded, the HTTP sink's persisted queue included. Otherwise
   * (shutdown) pending local writes finish and the persisted queue stays for
   * the next page.
   */
  stop(options: { dropUnsent: boolean }): Promise<void>;
  /**
   * Deletes what the sink stored locally (its database, its queue, the
   * events of `userIds` in a store). Called after `stop`, or without any
   * `start` when a page that never recorded is asked to delete what earlier
   * pages stored.
   */
  deleteStored(stored: StoredData): Promise<void>;
}

/** What `deleteStored` is to find. */
export interface StoredData {
  /** The tracker's `storagePrefix`. */
  readonly storagePrefix: string;
  /** The user ids events were recorded under (the stored one and those given to `identify()` on this page). */
  readonly userIds: readonly string[];
}
