import { trackerKeys, keysStartingWith, readItem, removeItem, webStorage, writeItem } from '../web-storage.ts';
import type { SinkContext, TrackerEvent, TrackerSink } from './sink.ts';

/** Options of `httpSink`. Every one but `url` is optional. */
export interface HttpSinkOptions {
  /**
   * The endpoint: it receives POSTs of NDJSON (`Content-Type:
   * application/x-ndjson`, one event per line) and acknowledges a batch
   * with any 2xx status. Anything else (or no answer) leaves the batch
   * queued for a retry, so the endpoint must ignore an event whose `uuid` it
   * already has (a Footprint store's `ingestText(body, 'ndjson')` does).
   * Same origin, or one that allows the page's origin by CORS. For a
   * Footprint server, give the write key in the URL (`.../v1/events?key=...`):
   * `sendBeacon` carries the URL, never `headers`.
   */
  url: string;
  /** Events per POST, at most; default 50. A full batch is sent at once. */
  batchSize?: number;
  /** How long an event may wait for its batch to fill, in ms; default 5000. */
  flushIntervalMs?: number;
  /** Delay before the first retry of a failed batch, in ms; default 1000. It doubles with each failure in a row... */
  initialBackoffMs?: number;
  /** ...up to this, in ms; default 60000. Each delay is drawn between half and all of its value, so pages do not retry in step. */
  maxBackoffMs?: number;
  /** Unsent events kept at most; default 1000. Past it the oldest are dropped, and reported through `onError`. */
  maxQueue?: number;
  /** Names this sink's queue in localStorage (`<storagePrefix>.queue.<queueName>.<uuid>`); default `http`. Give each HTTP sink of a tracker its own. */
  queueName?: string;
  /** Extra request headers (e.g. an API key) for the POSTs; `sendBeacon` on page hide cannot send them. */
  headers?: Record<string, string>;
}

/** A `sent_at` of the length every one has, for measuring a line before it is sent. */
const SENT_AT_SAMPLE = new Date(0).toISOString();

/** Bytes a keepalive fetch or a beacon may carry (browsers allow 64 KiB in flight per page). */
const KEEPALIVE_BYTES = 60_000;

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`httpSink({ ${name} }): must be a number above 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * One event as a line, with `sent_at`: the clock when it is sent. A server
 * compares it with its own clock to correct the timestamps of a device
 * whose clock is wrong (as PostHog does); a store ingesting the line keeps
 * nothing of it. Set on each send, so a retry an hour later says so.
 */
function line(event: TrackerEvent, sentAt: string): string {
  return JSON.stringify({ ...event, sent_at: sentAt });
}

function ndjson(events: readonly TrackerEvent[]): string {
  const sentAt = new Date().toISOString();
  return events.map((event) => line(event, sentAt)).join('\n') + '\n';
}

/**
 * The beacon's body type. A Blob of a type other than `text/plain` (and two
 * form types) makes a cross-origin beacon need a CORS preflight, with
 * credentials (a beacon always sends them), which a server that does not
 * allow credentials refuses: the beacon is then dropped without a word.
 * `text/plain` needs no preflight; a Footprint server reads it as NDJSON.
 */
const BEACON_TYPE = 'text/plain;charset=utf-8';

/**
 * The order of events in the queue across pages: events of one millisecond
 * share a timestamp, and localStorage lists keys in no particular order, so
 * each entry carries its place (`Date.now()` in microseconds plus a counter)
 * and a reloaded queue goes out in the order it was written.
 */
let lastSeq = 0;
function nextSeq(): number {
  lastSeq = Math.max(lastSeq + 1, Date.now() * 1000);
  return lastSeq;
}

/** What the queue keeps in localStorage for one event. */
interface QueueEntry {
  seq: number;
  event: TrackerEvent;
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * Sends events to an HTTP endpoint in NDJSON batches. Every event is kept in
 * localStorage (one key per event, named by its uuid, so tabs never
 * overwrite each other's queue) from the moment it is written until a 2xx
 * answer acknowledges its batch: a failing server, a closed tab or a crash
 * loses nothing, and the next page (or the next tracker) sends what is left.
 * A failed batch is retried with exponential backoff. When the page is
 * hidden or unloaded, what is queued goes out with `navigator.sendBeacon`;
 * a beacon is never acknowledged, so those events stay queued and may arrive
 * twice, which the endpoint's uuid check absorbs.
 */
export function httpSink(options: HttpSinkOptions): TrackerSink {
  const url = options?.url;
  if (typeof url !== 'string' || url === '') {
    throw new TypeError(`httpSink({ url }): url must be the endpoint's URL, got ${JSON.stringify(url)}`);
  }
  const batchSize = Math.floor(positive('batchSize', options.batchSize, 50));
  const flushIntervalMs = positive('flushIntervalMs', options.flushIntervalMs, 5000);
  const initialBackoffMs = positive('initialBackoffMs', options.initialBackoffMs, 1000);
  const maxBackoffMs = Math.max(initialBackoffMs, positive('maxBackoffMs', options.maxBackoffMs, 60_000));
  const maxQueue = Math.floor(positive('maxQueue', options.maxQueue, 1000));
  const queueName = options.queueName ?? 'http';
  const headers = { ...options.headers, 'Content-Type': 'application/x-ndjson' };

  let context: SinkContext | null = null;
  let keyPrefix = '';
  /** Unsent events by uuid, oldest first. */
  const queue = new Map<string, TrackerEvent>();
  /** Events of the POST being sent. */
  const inFlight = new Set<string>();
  /** Events sent by beacon while the page is hidden: not posted again until it is visible. */
  const beaconed = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let backingOff = false;
  let failures = 0;
  let request: AbortController | null = null;
  let pumping: Promise<void> | null = null;
  let removeListeners: () => void = () => undefined;

  const storage = (): Storage | null => webStorage('localStorage');

  function clearTimer(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    backingOff = false;
  }

  function sendable(): TrackerEvent[] {
    const batch: TrackerEvent[] = [];
    for (const [uuid, event] of queue) {
      if (inFlight.has(uuid) || beaconed.has(uuid)) continue;
      batch.push(event);
      if (batch.length === batchSize) break;
    }
    return batch;
  }

  function forget(uuid: string): void {
    queue.delete(uuid);
    beaconed.delete(uuid);
    removeItem(storage(), keyPrefix + uuid);
  }

  /** POSTs one batch; true when acknowledged. */
  async function post(batch: TrackerEvent[]): Promise<boolean> {
    const body = ndjson(batch);
    const controller = new AbortController();
    request = controller;
    for (const event of batch) inFlight.add(event.uuid);
    let problem: string;
    try {
      // keepalive lets the POST finish if the page unloads meanwhile; browsers refuse it for large bodies.
      const keepalive = byteLength(body) <= KEEPALIVE_BYTES;
      const response = await fetch(url, { method: 'POST', headers, body, keepalive, signal: controller.signal });
      if (response.ok) {
        for (const event of batch) forget(event.uuid);
        failures = 0;
        return true;
      }
      problem = `answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    } catch (error) {
      if (controller.signal.aborted) return false; // revoked: nothing to retry or report
      problem = `failed (${(error as Error).message})`;
    } finally {
      for (const event of batch) inFlight.delete(event.uuid);
      if (request === controller) request = null;
    }
    failures += 1;
    const delay = Math.min(maxBackoffMs, initialBackoffMs * 2 ** (failures - 1));
    if (failures === 1) {
      context?.onError(
        new Error(`http sink: POST ${url} ${problem}; its ${batch.length} events stay queued and are retried with backoff (up to every ${maxBackoffMs} ms), further failures in a row are not reported`),
      );
    }
    if (context) {
      clearTimer();
      backingOff = true;
      timer = setTimeout(() => {
        timer = null;
        backingOff = false;
        void pump();
      }, delay * (0.5 + Math.random() / 2));
    }
    return false;
  }

  /** Posts batches one after another until the queue is empty, a POST fails or the sink stops. */
  function pump(): Promise<void> {
    pumping ??= (async () => {
      try {
        for (let batch = sendable(); context && !backingOff && batch.length > 0; batch = sendable()) {
          if (!(await post(batch))) break;
        }
      } finally {
        pumping = null;
      }
    })();
    return pumping;
  }

  /** Sends what is queued by beacon, as the page is hidden or unloaded (a POST might not survive it). */
  function beaconQueued(): void {
    if (!context || typeof navigator.sendBeacon !== 'function') return;
    let chunk: TrackerEvent[] = [];
    let bytes = 0;
    const send = (): boolean => {
      if (chunk.length === 0) return true;
      let sent: boolean;
      try {
        sent = navigator.sendBeacon(url, new Blob([ndjson(chunk)], { type: BEACON_TYPE }));
      } catch {
        sent = false; // a browser that refuses this beacon (e.g. a cross-origin URL it will not preflight): the queue waits
      }
      if (sent) for (const event of chunk) beaconed.add(event.uuid);
      chunk = [];
      bytes = 0;
      return sent;
    };
    for (const [uuid, event] of queue) {
      if (beaconed.has(uuid)) continue;
      const size = byteLength(line(event, SENT_AT_SAMPLE)) + 1;
      if (bytes + size > KEEPALIVE_BYTES && !send()) return; // the browser's beacon quota is used up: the rest waits in localStorage
      chunk.push(event);
      bytes += size;
    }
    send();
  }

  function listen(): () => void {
    if (typeof window === 'undefined') return () => undefined;
    const onHidden = (): void => {
      if (document.visibilityState === 'hidden') beaconQueued();
    };
    const onShown = (): void => {
      if (document.visibilityState !== 'visible' || beaconed.size === 0) return;
      // Back from hiding: beacons are never acknowledged, so post those events again.
      beaconed.clear();
      if (!backingOff) void pump();
    };
    window.addEventListener('pagehide', beaconQueued);
    document.addEventListener('visibilitychange', onHidden);
    document.addEventListener('visibilitychange', onShown);
    window.addEventListener('pageshow', onShown);
    return () => {
      window.removeEventListener('pagehide', beaconQueued);
      document.removeEventListener('visibilitychange', onHidden);
      document.removeEventListener('visibilitychange', onShown);
      window.removeEventListener('pageshow', onShown);
    };
  }

  /** Reads what earlier pages (or trackers) left unsent; removes entries that are not events. */
  function loadQueue(onError: (error: Error) => void): void {
    const found: QueueEntry[] = [];
    for (const key of keysStartingWith(storage(), keyPrefix)) {
      try {
        const entry = JSON.parse(readItem(storage(), key) ?? '') as Partial<QueueEntry> | null;
        if (typeof entry?.seq !== 'number' || typeof entry.event?.uuid !== 'string') throw new Error('not a queued event');
        found.push(entry as QueueEntry);
      } catch (error) {
        removeItem(storage(), key);
        onError(new Error(`http sink: removed ${key} from localStorage: ${(error as Error).message}`));
      }
    }
    found.sort((a, b) => a.seq - b.seq);
    for (const { event } of found) queue.set(event.uuid, event);
  }

  /** Keeps the queue within `maxQueue` by dropping the oldest unsent events; reports how many. */
  function trim(): void {
    let dropped = 0;
    for (const uuid of queue.keys()) {
      if (queue.size <= maxQueue) break;
      if (inFlight.has(uuid)) continue;
      forget(uuid);
      dropped += 1;
    }
    if (dropped > 0) {
      context?.onError(new Error(`http sink: ${dropped} unsent events dropped, the oldest: more than maxQueue (${maxQueue}) were waiting for ${url}`));
    }
  }

  return {
    name: 'http',
    start(given) {
      context = given;
      failures = 0;
      keyPrefix = trackerKeys(given.storagePrefix).queue(queueName);
      loadQueue(given.onError);
      removeListeners = listen();
      if (queue.size > 0) void pump();
    },
    write(event) {
      if (!context) return;
      try {
        writeItem(storage(), keyPrefix + event.uuid, JSON.stringify({ seq: nextSeq(), event } satisfies QueueEntry));
      } catch (error) {
        context.onError(new Error(`http sink: event '${event.event}' is kept in memory only, so a closed page loses it: ${(error as Error).message}`));
      }
      queue.set(event.uuid, event);
      trim();
      if (backingOff || pumping) return; // the retry (or the running pump) takes it
      if (sendable().length >= batchSize) {
        clearTimer();
        void pump();
      } else {
        timer ??= setTimeout(() => {
          timer = null;
          void pump();
        }, flushIntervalMs);
      }
    },
    async flush() {
      await pumping;
      clearTimer();
      await pump();
    },
    async stop({ dropUnsent }) {
      const running = pumping;
      context = null;
      clearTimer();
      removeListeners();
      removeListeners = () => undefined;
      if (dropUnsent) {
        request?.abort();
        for (const key of keysStartingWith(storage(), keyPrefix)) removeItem(storage(), key);
        queue.clear();
        beaconed.clear();
      }
      await running; // an unacknowledged POST keeps its events in localStorage for the next page
    },
    async deleteStored({ storagePrefix }) {
      const prefix = trackerKeys(storagePrefix).queue(queueName);
      for (const key of keysStartingWith(storage(), prefix)) removeItem(storage(), key);
    },
  };
}
