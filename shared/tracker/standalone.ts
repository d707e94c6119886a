/**
 * `footprint/tracker` (dist/tracker.js): the web tracker for a site's pages
 * without the store, at most 8 KiB gzipped. It sends events to a server
 * (`httpSink`) or into a store the page already has (`storeSink`, e.g. an
 * `fp-source`'s). `indexedDbSink`, for an in-app view of one's own usage
 * read back into a store, comes with the core from `footprint`. The
 * script-tag build (dist/footprint-tracker.js, `window.Footprint`) has
 * `createTracker` and `httpSink`.
 */
export { createTracker, type Tracker, type TrackerOptions, type ShutdownOptions } from './tracker.ts';
export type { AutocaptureOptions } from './autocapture.ts';
export type { PrivacySignal } from './consent-store.ts';
export type { TrackerEvent, TrackerSink, SinkContext, StoredData } from './sinks/sink.ts';
export { storeSink, type TrackerStore } from './sinks/store-sink.ts';
export { httpSink, type HttpSinkOptions } from './sinks/http-sink.ts';
export type { ConsentState, ConsentTarget, ConsentChangeOptions } from './consent.ts';
