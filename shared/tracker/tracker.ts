import { SpecError, quote } from '../errors.ts';
import { scrubProperties } from '../privacy/scrub.ts';
import { MAX_PROPERTY_DEPTH, nestingProblem } from '../ingest/property-depth.ts';
import { pageviewProperties, pageUrl, startAutocapture, type AutocaptureOptions } from './autocapture.ts';
import type { ConsentChangeOptions, ConsentState, ConsentTarget } from './consent.ts';
import { ConsentStore, type PrivacySignal } from './consent-store.ts';
import { newUuid } from './ids.ts';
import { DEFAULT_SESSION_TIMEOUT_MINUTES, SessionClock } from './session.ts';
import type { SinkContext, TrackerEvent, TrackerSink } from './sinks/sink.ts';
import { readItem, removeItem, trackerKeys, webStorage, writeItem, type TrackerKeys } from './web-storage.ts';

/** Options of `createTracker`. Every one but `sinks` is optional. */
export interface TrackerOptions {
  /** Where events go, one or more: `storeSink(store)`, `indexedDbSink()`, `httpSink({ url })`. */
  sinks: readonly TrackerSink[];
  /**
   * What is recorded without code: `true` (the default) for page views,
   * clicks and errors, `false` for none, or an object switching each part
   * (a part left out of the object stays on).
   */
  autocapture?: boolean | AutocaptureOptions;
  /**
   * Honour the browser's privacy signals; default true. While Global
   * Privacy Control (or else Do Not Track) is on, consent is `denied` and
   * `setConsent('granted')` rejects. `false` lets the person's own choice
   * decide alone: only where that is lawful for the site.
   */
  respectPrivacySignals?: boolean;
  /** Minutes without an event after which the next one starts a new session; default 30. */
  sessionTimeoutMinutes?: number;
  /**
   * Prefix of every localStorage and sessionStorage key of the tracker
   * (`<prefix>.consent`, `<prefix>.user-id`, `<prefix>.session`,
   * `<prefix>.queue.…`); default `footprint`. Two trackers of one origin
   * need two prefixes.
   */
  storagePrefix?: string;
  /**
   * Scrub property values before they leave `track()` (privacy/scrub.ts:
   * e-mail and IP addresses, home paths, tokens, URL query strings), so
   * nothing personal reaches any sink, the HTTP endpoint included; default
   * true. Page views, clicks and errors (text the page shows, not chosen by
   * the developer) are scrubbed whatever this says.
   */
  scrub?: boolean;
  /** Called with every problem the tracker meets while running (a failed send, full storage, a refused event); default `console.warn`. */
  onError?: (error: Error) => void;
  /** The clock, in epoch ms; default `Date.now`. For tests of sessions and timestamps. */
  now?: () => number;
}

/** Options of `shutdown`. */
export interface ShutdownOptions {
  /** Send and write what is pending first; default true. With false, the HTTP sink's queue stays in localStorage for the next page. */
  flush?: boolean;
}

/**
 * A web tracker: records events while consent is `granted`, and nothing at
 * all (no capture, no storage, no network) while it is `pending` or
 * `denied`. Created by {@link createTracker}.
 */
export interface Tracker extends ConsentTarget {
  /**
   * Records an event (a name of 1 to 200 characters, and JSON properties of
   * at most 32 KiB serialized and 20 levels deep, copied at the call).
   * Returns the event as recorded, or null when consent is not granted (then
   * nothing happens). A bad name or properties throw, whatever the consent.
   */
  track(event: string, properties?: Record<string, unknown>): TrackerEvent | null;
  /**
   * Uses `userId` instead of the anonymous id for the events that follow,
   * and remembers it across reloads. Before consent it is kept in memory
   * only, and applies once consent is granted. Give the store a
   * `pseudonymize` salt so the raw id never reaches its database.
   */
  identify(userId: string | number): void;
  /** Records a `$pageview` of the current location (autocapture does it on its own); null when not granted. */
  page(): TrackerEvent | null;
  /** Writes and sends everything pending now; resolves when every sink is done (failures go to `onError`). */
  flush(): Promise<void>;
  /** Stops the tracker for good: listeners removed, autocapture undone, sinks stopped. Later calls do nothing (`setConsent` rejects). */
  shutdown(options?: ShutdownOptions): Promise<void>;
  /** The user id events carry: the anonymous id or the identified one; null while consent is not granted. */
  readonly userId: string | null;
  /** The browser signal that keeps consent `denied` (`gpc`, `dnt`), or null. */
  readonly privacySignal: PrivacySignal | null;
}

/** The event format's limits (shared/ingest/event.ts): a longer name or larger properties would be refused by a store. */
const MAX_NAME = 200;
const MAX_PROPERTIES_BYTES = 32 * 1024;

/** Autocapture as switched by the option: everything on unless said otherwise. */
function readAutocapture(option: TrackerOptions['autocapture']): Required<AutocaptureOptions> {
  if (option === undefined || option === true) return { pageviews: true, clicks: true, errors: true };
  if (option === false) return { pageviews: false, clicks: false, errors: false };
  if (typeof option !== 'object' || option === null) throw new SpecError('autocapture', `must be true, false or { pageviews, clicks, errors }, got ${quote(option)}`);
  return { pageviews: option.pageviews !== false, clicks: option.clicks !== false, errors: option.errors !== false };
}

function checkOptions(options: TrackerOptions): void {
  if (typeof options !== 'object' || options === null) throw new SpecError('options', 'createTracker needs options: createTracker({ sinks: [storeSink(store)] })');
  const { sinks, sessionTimeoutMinutes, storagePrefix, onError, now } = options;
  if (!Array.isArray(sinks) || sinks.length === 0) {
    throw new SpecError('sinks', `give at least one sink, e.g. sinks: [storeSink(store)], [indexedDbSink()] or [httpSink({ url })], got ${quote(sinks)}`);
  }
  sinks.forEach((sink: Partial<TrackerSink>, index) => {
    if (typeof sink?.write !== 'function' || typeof sink.start !== 'function' || typeof sink.stop !== 'function') {
      throw new SpecError(`sinks[${index}]`, 'not a sink: make one with storeSink(), indexedDbSink() or httpSink()');
    }
  });
  if (sessionTimeoutMinutes !== undefined && !(typeof sessionTimeoutMinutes === 'number' && sessionTimeoutMinutes > 0 && Number.isFinite(sessionTimeoutMinutes))) {
    throw new SpecError('sessionTimeoutMinutes', `must be a number of minutes above 0, got ${quote(sessionTimeoutMinutes)}`);
  }
  if (storagePrefix !== undefined && (typeof storagePrefix !== 'string' || storagePrefix === '')) {
    throw new SpecError('storagePrefix', `must be a non-empty string, got ${quote(storagePrefix)}`);
  }
  if (onError !== undefined && typeof onError !== 'function') throw new SpecError('onError', 'must be a function (error) => void');
  if (now !== undefined && typeof now !== 'function') throw new SpecError('now', 'must be a function returning epoch ms');
}

/** The properties as recorded: a JSON copy (so later changes by the caller do not leak in), checked against the event format. */
function copyProperties(properties: unknown): Record<string, unknown> {
  if (properties === undefined || properties === null) return {};
  if (typeof properties !== 'object' || Array.isArray(properties)) {
    throw new SpecError('properties', `must be a plain object of JSON values, got ${Array.isArray(properties) ? 'an array' : quote(properties)}`);
  }
  const nesting = nestingProblem(properties);
  if (nesting === 'too deep') throw new SpecError('properties', `nested more than ${MAX_PROPERTY_DEPTH} levels deep (the event format's limit): record less`);
  if (nesting === 'circular') throw new SpecError('properties', 'circular (an object contains itself), so not JSON');
  let serialized: string;
  try {
    serialized = JSON.stringify(properties);
  } catch (error) {
    throw new SpecError('properties', `cannot be serialized as JSON (${(error as Error).message})`);
  }
  if (new TextEncoder().encode(serialized).length > MAX_PROPERTIES_BYTES) throw new SpecError('properties', 'larger than 32 KiB serialized: record less');
  return JSON.parse(serialized) as Record<string, unknown>;
}

class WebTracker implements Tracker {
  private state: ConsentState;
  private readonly keys: TrackerKeys;
  private readonly consentStore: ConsentStore;
  private readonly sessions: SessionClock;
  private readonly sinks: readonly TrackerSink[];
  private readonly autocapture: Required<AutocaptureOptions>;
  private readonly scrub: boolean;
  private readonly now: () => number;
  private readonly reportError: (error: Error) => void;
  private readonly context: SinkContext;
  private readonly listeners = new Set<(state: ConsentState) => void>();
  /** The id events carry while recording; null while not granted. */
  private currentUserId: string | null = null;
  /** The id given to `identify()`, remembered in memory before consent. */
  private identified: string | null = null;
  /** Every id this page recorded under: what "delete what was stored" looks for in a store. */
  private readonly usedUserIds = new Set<string>();
  private lastPageUrl: string | null = null;
  private stopAutocapture: (() => void) | null = null;
  private readonly stopWatching: () => void;
  private isShutDown = false;

  constructor(options: TrackerOptions) {
    checkOptions(options);
    const prefix = options.storagePrefix ?? 'footprint';
    this.keys = trackerKeys(prefix);
    this.consentStore = new ConsentStore(this.keys.consent, options.respectPrivacySignals !== false);
    this.sessions = new SessionClock(this.keys.session, (options.sessionTimeoutMinutes ?? DEFAULT_SESSION_TIMEOUT_MINUTES) * 60_000);
    this.sinks = [...options.sinks];
    this.autocapture = readAutocapture(options.autocapture);
    this.scrub = options.scrub !== false;
    this.now = options.now ?? Date.now;
    this.reportError = options.onError ?? ((error) => console.warn(error));
    this.context = { storagePrefix: prefix, onError: (error) => this.report(error) };
    this.state = this.consentStore.read();
    this.stopWatching = this.consentStore.watch((state) => void this.apply(state, false));
    if (this.state === 'granted') this.startRecording();
  }

  get consent(): ConsentState {
    return this.state;
  }

  get userId(): string | null {
    return this.state === 'granted' ? this.currentUserId : null;
  }

  get privacySignal(): PrivacySignal | null {
    return this.consentStore.signal;
  }

  track(event: string, properties?: Record<string, unknown>): TrackerEvent | null {
    if (typeof event !== 'string' || event === '' || event.length > MAX_NAME) {
      throw new SpecError('event', `must be a name of 1 to ${MAX_NAME} characters, got ${quote(event)}`);
    }
    const copy = copyProperties(properties);
    return this.record(event, copy);
  }

  identify(userId: string | number): void {
    const valid = (typeof userId === 'string' && userId !== '') || (typeof userId === 'number' && Number.isFinite(userId));
    if (!valid || String(userId).length > MAX_NAME) {
      throw new SpecError('userId', `must be a non-empty string (at most ${MAX_NAME} characters) or a number, got ${quote(userId)}`);
    }
    if (this.isShutDown) return;
    this.identified = String(userId);
    if (this.state === 'granted') this.useUserId(this.identified);
  }

  page(): TrackerEvent | null {
    if (!this.recording()) return null;
    const recorded = this.record('$pageview', pageviewProperties(this.lastPageUrl), true);
    if (recorded) this.lastPageUrl = pageUrl(location.href) ?? null;
    return recorded;
  }

  async flush(): Promise<void> {
    if (!this.recording()) return;
    await Promise.all(this.sinks.map((sink) => this.guard(sink, () => sink.flush())));
  }

  async shutdown(options: ShutdownOptions = {}): Promise<void> {
    if (this.isShutDown) return;
    if (options.flush !== false) await this.flush();
    const wasRecording = this.recording();
    this.isShutDown = true;
    this.stopWatching();
    this.listeners.clear();
    if (wasRecording) await this.stopRecording(false);
  }

  async setConsent(state: Exclude<ConsentState, 'pending'>, options: ConsentChangeOptions = {}): Promise<void> {
    if (state !== 'granted' && state !== 'denied') throw new SpecError('state', `must be 'granted' or 'denied', got ${quote(state)}`);
    if (this.isShutDown) throw new Error('setConsent: this tracker was shut down; create a new one with createTracker()');
    if (state === 'granted' && this.consentStore.signal) {
      const signal = this.consentStore.signal === 'gpc' ? 'Global Privacy Control' : 'Do Not Track';
      throw new Error(`this browser sends ${signal}, which keeps recording off (turn it off in the browser, or create the tracker with respectPrivacySignals: false where that is lawful)`);
    }
    let notSaved: Error | null = null;
    try {
      this.consentStore.write(state);
    } catch (error) {
      notSaved = error as Error;
    }
    await this.apply(state, options.deleteStored === true);
    if (notSaved) throw new Error(`consent is ${state} on this page only, the choice could not be saved: ${notSaved.message}`);
  }

  onConsentChange(listener: (state: ConsentState) => void): () => void {
    if (typeof listener !== 'function') throw new SpecError('listener', 'onConsentChange needs a function (state) => void');
    if (this.isShutDown) return () => undefined;
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /**
   * Moves to `state` (a choice on this page, or one another tab stored):
   * recording stops at once, synchronously, before anything is awaited, so
   * no event slips in after a revocation.
   */
  private async apply(state: ConsentState, deleteStored: boolean): Promise<void> {
    if (this.isShutDown) return;
    const previous = this.state;
    this.state = state;
    let stopping: Promise<void> | null = null;
    if (previous === 'granted' && state !== 'granted') stopping = this.stopRecording(true);
    if (state === 'granted' && previous !== 'granted') this.startRecording();
    if (state !== previous) this.notify(state);
    await stopping;
    if (state === 'denied' && deleteStored) await this.deleteStored();
  }

  private recording(): boolean {
    return this.state === 'granted' && !this.isShutDown;
  }

  /** Consent granted: the user id is made (or read), the sinks start, autocapture begins. */
  private startRecording(): void {
    this.useUserId(this.identified ?? readItem(webStorage('localStorage'), this.keys.userId) ?? newUuid());
    for (const sink of this.sinks) this.guard(sink, () => sink.start(this.context));
    const { pageviews, clicks, errors } = this.autocapture;
    if (pageviews || clicks || errors) {
      this.stopAutocapture = startAutocapture(this.autocapture, {
        page: () => void this.page(),
        capture: (event, properties) => void this.record(event, properties, true),
      });
    }
  }

  /** Stops capture and the sinks; `dropUnsent` (revoked) discards what was not yet written or sent. */
  private async stopRecording(dropUnsent: boolean): Promise<void> {
    this.stopAutocapture?.();
    this.stopAutocapture = null;
    this.currentUserId = null;
    this.lastPageUrl = null;
    await Promise.all(this.sinks.map((sink) => this.guard(sink, () => sink.stop({ dropUnsent }))));
  }

  /** Deletes what was stored on this device: each sink's data, the user id, the session. The consent choice stays. */
  private async deleteStored(): Promise<void> {
    const local = webStorage('localStorage');
    const storedId = readItem(local, this.keys.userId);
    const userIds = [...new Set([...this.usedUserIds, ...(storedId ? [storedId] : [])])];
    await Promise.all(this.sinks.map((sink) => this.guard(sink, () => sink.deleteStored({ storagePrefix: this.context.storagePrefix, userIds }))));
    removeItem(local, this.keys.userId);
    this.sessions.forget();
    this.usedUserIds.clear();
  }

  private useUserId(userId: string): void {
    this.currentUserId = userId;
    this.usedUserIds.add(userId);
    try {
      writeItem(webStorage('localStorage'), this.keys.userId, userId);
    } catch (error) {
      this.report(new Error(`the user id is kept for this page only: ${(error as Error).message}`));
    }
  }

  /**
   * Builds an event and hands it to every sink; null (and nothing done)
   * unless recording. `builtIn` events (page views, clicks, errors: text the
   * page shows, which the developer did not choose) are scrubbed whatever
   * the `scrub` option says. The event is frozen: sinks hold it as it is.
   */
  private record(event: string, properties: Record<string, unknown>, builtIn = false): TrackerEvent | null {
    if (!this.recording() || this.currentUserId === null) return null;
    const time = this.now();
    const recorded: TrackerEvent = Object.freeze({
      event,
      user_id: this.currentUserId,
      timestamp: new Date(time).toISOString(),
      session_id: this.sessions.idAt(time),
      uuid: newUuid(),
      properties: Object.freeze(this.scrub || builtIn ? scrubProperties(properties) : properties),
    });
    for (const sink of this.sinks) this.guard(sink, () => sink.write(recorded));
    return recorded;
  }

  private notify(state: ConsentState): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(state);
      } catch (error) {
        this.report(new Error(`an onConsentChange listener threw: ${(error as Error).message}`));
      }
    }
  }

  /** Runs a sink's method; what it throws or rejects with is reported, naming the sink, and never stops the others. */
  private guard<T>(sink: TrackerSink, run: () => T | Promise<T>): Promise<T | undefined> {
    const failed = (error: unknown): undefined => {
      this.report(new Error(`${sink.name} sink: ${(error as Error)?.message ?? String(error)}`));
      return undefined;
    };
    try {
      return Promise.resolve(run()).catch(failed);
    } catch (error) {
      return Promise.resolve(failed(error));
    }
  }

  private report(error: Error): void {
    try {
      this.reportError(error);
    } catch {
      // An onError that throws must not break recording (nor recurse).
    }
  }
}

/**
 * Creates the web tracker of a page. Until consent is granted (by
 * `setConsent('granted')`, or a choice stored by an earlier visit) it
 * records nothing and touches no storage beyond reading the stored choice.
 *
 * ```ts
 * const tracker = createTracker({ sinks: [storeSink(store), httpSink({ url: '/events' })] });
 * consentElement.tracker = tracker; // or: await tracker.setConsent('granted')
 * tracker.track('report_exported', { format: 'csv' });
 * ```
 */
export function createTracker(options: TrackerOptions): Tracker {
  return new WebTracker(options);
}
