/** The web tracker: createTracker, its sinks, and the consent state it shares with `fp-consent`. */
export { createTracker, type Tracker, type TrackerOptions, type ShutdownOptions } from './tracker.ts';
export type { AutocaptureOptions } from './autocapture.ts';
export type { PrivacySignal } from './consent-store.ts';
export type { TrackerEvent, TrackerSink, SinkContext, StoredData } from './sinks/sink.ts';
export { storeSink, type TrackerStore } from './sinks/store-sink.ts';
export { indexedDbSink, type IndexedDbSink, type IndexedDbSinkOptions } from './sinks/indexeddb-sink.ts';
export { httpSink, type HttpSinkOptions } from './sinks/http-sink.ts';
export type { ConsentState, ConsentTarget, ConsentChangeOptions } from './consent.ts';
