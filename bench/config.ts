/** What the benchmark runs on: fixed, so two runs measure the same work. */

/** The sample data ends here (epoch ms), so runs on different days generate the same events. */
export const DATA_END = Date.UTC(2025, 0, 1);
/** Days of history of the sample data. */
export const DATA_DAYS = 90;
/** Seed of the sample data (the generator's default). */
export const DATA_SEED = 42;

/** The demo dashboard's funnel, used by the funnel query too. */
export const FUNNEL_STEPS = ['signup', 'onboarding_completed', 'project_created', 'invite_sent'];

/**
 * A range inside the data, as days after its first day (both included):
 * DuckDB's answers over it are compared with ours too. The whole range
 * cannot tell whole sessions from sessions cut at the range's ends
 * (METRICS.md section 3), since no event lies outside it; at every size the
 * sample data has sessions across both of these ends (checked each run).
 */
export const CHECK_RANGE_DAYS = { first: 30, last: 57 };

/** Timed runs per measurement (after one untimed cold run); the median is reported. */
export const WARM_RUNS = 5;

/** Event counts of a normal run, of `--large` (adds 3M) and of `--smoke`. */
export const SIZES = [100_000, 1_000_000];
export const LARGE_SIZE = 3_000_000;
export const SMOKE_SIZE = 10_000;

/** The size the Chromium dashboard runs on (the issue asks for 1M events). */
export const DASHBOARD_SIZE = 1_000_000;

/** The targets. */
export const TARGETS = {
  /** The long-range goal for ingest, quoted beside its target: at least DuckDB's events/s in the same run. */
  ingestEventsPerSecond: 1_000_000,
  /** Each query kind under this many ms, over this many events (and no slower than DuckDB's answer to it in the same run). */
  queryMs: 300,
  queryTargetEvents: 1_000_000,
  /** The exported store file, at most this many bytes per event. */
  bytesPerEvent: 100,
  /** Peak memory growth of sql.js's ingest, at most this many MB at `queryTargetEvents` events. */
  ingestMemoryMb: 600,
  /** Every dashboard widget rendered within this long after the data is loaded... */
  dashboardMs: 2_000,
  /** ...and the first within this long. */
  firstWidgetMs: 300,
};

/**
 * `--server` (bench/server.ts): events sent to a Footprint server over HTTP,
 * and the same events given to its file store in-process; the batch size of
 * the tracker and the clients sending at once.
 */
export const SERVER_INGEST_EVENTS = 500_000;
export const SERVER_SMOKE_INGEST_EVENTS = 5_000;
export const SERVER_BATCH = 50;
export const SERVER_CLIENTS = 32;

/** The server's targets (issue 13, "Targets"). */
export const SERVER_TARGETS = {
  /** Events a second over HTTP, 32 keep-alive clients on loopback, batches of 50... */
  ingestEventsPerSecond: 100_000,
  /** ...with the 99th percentile of the request latency under this many ms. */
  ingestP99Ms: 100,
  /** HTTP's events/s at least this share of the file store's own ingest in the same run (HTTP costing under 30%). */
  ingestShareOfInProcess: 0.7,
  /** A dashboard query over HTTP without the answer cache at most this times the same query in-process. */
  coldShareOfInProcess: 1.1,
  /** A dashboard query over HTTP answered from the cache under this many ms. */
  warmMs: 100,
};

/**
 * `--vscode` (bench/vscode.ts): what footprint/vscode costs the extension
 * that adds it. Fresh processes timed for activation (the median and the
 * slowest are reported), events timed per recording run, and the stored
 * events and new journal of the compaction's memory; `--smoke` runs fewer.
 */
export const VSCODE_RUNS = { activations: 7, recordRounds: 3, recordEvents: 20_000, storedEvents: 100_000, journalEvents: 1_000 };
export const VSCODE_SMOKE_RUNS = { activations: 3, recordRounds: 1, recordEvents: 2_000, storedEvents: 5_000, journalEvents: 200 };

/** The library's targets (issue 14, "What it costs the extension that adds it"). */
export const VSCODE_TARGETS = {
  /** KB (1,000 bytes) the library adds to an author's minified bundle. */
  bundleKb: 150,
  /** ms activation adds: require of the library and createUsageRecorder, in a fresh process. */
  activationMs: 10,
  /** µs per recorded event on the extension host's thread. */
  recordUs: 50,
};

/**
 * `--clickhouse` (bench/clickhouse.ts): the ClickHouse backend on chdb next
 * to the other engines, at these sizes (`--smoke`: SMOKE_SIZE, one run).
 * The second size is sql.js's, native SQLite's and chdb's growth; it runs
 * LARGE_WARM_RUNS timed runs, not WARM_RUNS, so that the part ends within
 * the hour on two cores (a native ingest of 10M events takes minutes).
 */
export const CLICKHOUSE_SIZES = [1_000_000, 10_000_000];
export const CLICKHOUSE_LARGE_WARM_RUNS = 2;
/** Events per `ingestClickHouse` call: a large request's worth (ClickHouse wants few, large inserts). */
export const CLICKHOUSE_BATCH = 10_000;
/** The largest size whose whole ingest through the server's path is timed (above it, its repeated runs would take most of the run). */
export const CLICKHOUSE_INGEST_MAX = 1_000_000;
/** Events ingested through the server's path into a table holding all the others, timed at every size. */
export const CLICKHOUSE_TAIL = 100_000;
