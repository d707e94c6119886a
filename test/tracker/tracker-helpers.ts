// Helpers of the tracker's browser tests (test/tracker/*.browser.test.ts).
//
// Test files run two at a time in pages of one browser, so they share the
// origin's localStorage and IndexedDB. The consent tests check that storage
// stays empty and use the tracker's default names (`footprint.*`,
// `footprint-events`); every other tracker test file keeps its keys and
// databases under ISOLATED_PREFIX, which the consent tests' checks leave out.
import { expect } from 'chai';
import type { ConsentState, SinkContext, StoredData, Tracker, TrackerEvent, TrackerSink } from '../../shared/index.ts';

/** Storage keys and IndexedDB names of the tracker test files other than the consent tests start with this. */
export const ISOLATED_PREFIX = 'fp-isolated-';

/** Waits until `condition` holds (polling every 10 ms); fails after `timeoutMs` saying what was awaited. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await pause(10);
  }
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** localStorage keys, sorted, except those of the other tracker test files (see ISOLATED_PREFIX). */
export function localKeys(): string[] {
  return Object.keys(localStorage)
    .filter((key) => !key.startsWith(ISOLATED_PREFIX))
    .sort();
}

/** sessionStorage keys, sorted (sessionStorage is the page's own). */
export function sessionKeys(): string[] {
  return Object.keys(sessionStorage).sort();
}

/** IndexedDB database names, sorted, except those of the other tracker test files. */
export async function databaseNames(): Promise<string[]> {
  const databases = await indexedDB.databases();
  return databases
    .map((db) => db.name ?? '')
    .filter((name) => !name.startsWith(ISOLATED_PREFIX))
    .sort();
}

export function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error(`deleting ${name} is blocked by an open connection`));
  });
}

/** Removes every localStorage key starting with `prefix`, and all of sessionStorage. */
export function clearStorage(prefix: string): void {
  for (const key of Object.keys(localStorage)) if (key.startsWith(prefix)) localStorage.removeItem(key);
  sessionStorage.clear();
}

/** What the test collector of web-test-runner.config.mjs saw for one id. */
export interface Collected {
  posts: number;
  failed: number;
  lines: TrackerEvent[];
}

/** A fresh collector (an endpoint URL) whose first `fail` POSTs are answered 503. */
export async function newCollector(fail = 0): Promise<{ url: string; read(): Promise<Collected> }> {
  const url = `/__fp-test-collector/${crypto.randomUUID()}`;
  const reset = await fetch(`${url}/reset?fail=${fail}`, { method: 'POST' });
  expect(reset.status).to.equal(204);
  return {
    url,
    async read() {
      const response = await fetch(`${url}?read`); // the query keeps reads out of requestsTo(url)
      return (await response.json()) as Collected;
    },
  };
}

/** Requests the page made to `url` (fetch and beacon alike), from resource timing. */
export function requestsTo(url: string): number {
  return performance.getEntriesByType('resource').filter((entry) => entry.name.endsWith(url)).length;
}

/** A sink that records every call made to it, for checking what the tracker does (and does not do). */
export class RecordingSink implements TrackerSink {
  readonly name = 'recording';
  readonly calls: string[] = [];
  readonly events: TrackerEvent[] = [];

  start(_context: SinkContext): void {
    this.calls.push('start');
  }
  write(event: TrackerEvent): void {
    this.calls.push(`write ${event.event}`);
    this.events.push(event);
  }
  async flush(): Promise<void> {
    this.calls.push('flush');
  }
  async stop({ dropUnsent }: { dropUnsent: boolean }): Promise<void> {
    this.calls.push(`stop${dropUnsent ? ' dropUnsent' : ''}`);
  }
  async deleteStored({ userIds }: StoredData): Promise<void> {
    this.calls.push(`deleteStored ${userIds.join(',')}`);
  }
  /** Names of the events written, in order. */
  names(): string[] {
    return this.events.map((event) => event.event);
  }
}

/** Every consent state a tracker reports, in order. */
export function consentLog(tracker: Tracker): ConsentState[] {
  const states: ConsentState[] = [];
  tracker.onConsentChange((state) => states.push(state));
  return states;
}

/** Trackers made by a test, shut down after it so their listeners never reach the next one. */
export class TrackerPool {
  private readonly trackers: Tracker[] = [];

  add<T extends Tracker>(tracker: T): T {
    this.trackers.push(tracker);
    return tracker;
  }

  async shutdownAll(): Promise<void> {
    for (const tracker of this.trackers.splice(0)) await tracker.shutdown({ flush: false });
  }
}

/** `navigator.<name>` reads as `value` until the returned function is called. */
export function stubNavigator(name: 'globalPrivacyControl' | 'doNotTrack' | 'msDoNotTrack', value: unknown): () => void {
  Object.defineProperty(navigator, name, { value, configurable: true });
  return () => {
    delete (navigator as unknown as Record<string, unknown>)[name];
  };
}

/** A v4 UUID. */
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
