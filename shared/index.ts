/**
 * Footprint's core: a store of usage events over sql.js and the metrics
 * computed from it. Runs unchanged in Node 20+ and in browsers.
 */
export { openStore, type Store, type StoreOptions, type IngestReport } from './store/store.ts';
export type { WasmOptions } from './store/wasm-options.ts';
export type { QueryOptions, Source } from './source.ts';
export { QUERY_KINDS, type Query, type QueryKind, type QueryKinds, type ResultOf } from './query/kinds.ts';
export { SpecError, DataError } from './errors.ts';
export type { RawEvent } from './ingest/event.ts';
export { scrubProperties, scrubText } from './privacy/scrub.ts';
export type { PseudonymizeOptions } from './privacy/pseudonymize.ts';
export { TEXT_FORMATS, type TextFormat } from './ingest/text.ts';
export { formatCsv, parseCsv } from './ingest/csv.ts';
export type { Interval, WeekStart } from './time/periods.ts';
export type { EventsQuery, EventsResult, StoredEvent } from './metrics/events.ts';
export type { PathsQuery, PathsResult, PathTransition, PathDropOff } from './metrics/paths.ts';
export type { SessionsQuery, SessionsResult, DurationStats } from './metrics/sessions.ts';
export type { SessionOptions } from './sessions/session-options.ts';
export { TREND_MATHS, type TrendQuery, type TrendResult, type TrendMath, type TrendPoint } from './metrics/trend.ts';
export type { StickinessQuery, StickinessResult } from './metrics/stickiness.ts';
export type { RetentionQuery, RetentionResult, RetentionCohortRow, RetentionCohort, RetentionCriterion, RetentionBasis } from './metrics/retention.ts';
export type { LifecycleQuery, LifecycleResult, LifecyclePoint } from './metrics/lifecycle.ts';
export type { AdoptionQuery, AdoptionResult, FeatureAdoption } from './metrics/adoption.ts';
export type { FunnelQuery, FunnelResult, FunnelStepResult, FunnelStepSpec, FunnelOrder, FunnelExclusion, FunnelWindow, FunnelWindowSpec, WindowUnit, PropertyFilter } from './metrics/funnel.ts';
export type { ErrorsQuery, ErrorsResult, ErrorGroup } from './metrics/errors.ts';
export type { FrictionQuery, FrictionResult } from './metrics/friction.ts';
export type { FrictionOptions, RageClickRule, RepeatedErrorRule, ThrashingRule } from './metrics/friction-signals.ts';
export type { SegmentsQuery, SegmentsResult, Segment, SegmentLabel, SegmentRules } from './metrics/segments.ts';
export { generateSampleEvents, SAMPLE_FEATURES, type SampleDataOptions, type SampleEvent } from './sample-data.ts';
export { generateExtensionSampleEvents, WORD_COUNT_COMMANDS, WORD_COUNT_VERSIONS, EXTENSION_COMMON_PROPERTIES, type ExtensionSampleOptions, type ExtensionSampleEvent } from './sample-extension-data.ts';
export { connectStore, serveStore, type ConnectOptions, type RemoteStore, type OpenStoreFunction, type StoreServer, type MessagePortLike, type RemoteStoreOptions, type StoreProgress } from './remote/index.ts';
export { connectServer, ServerError, ServerSpecError, LIVE_BACKOFF, type ServerSource, type ServerSourceOptions, type ServerAnswerError, type LiveChange, type LiveOptions } from './remote/index.ts';
export { installationIdOf, isInstallationSecret, newInstallationSecret, INSTALLATION_SECRET_LENGTH } from './remote/index.ts';
export { createTracker, storeSink, indexedDbSink, httpSink, type Tracker, type TrackerOptions, type ShutdownOptions, type AutocaptureOptions, type PrivacySignal, type TrackerEvent, type TrackerSink, type SinkContext, type StoredData, type TrackerStore, type IndexedDbSink, type IndexedDbSinkOptions, type HttpSinkOptions } from './tracker/index.ts';
export type { ConsentState, ConsentTarget, ConsentChangeOptions } from './tracker/index.ts';
