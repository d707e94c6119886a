/** The rows of bench/results.json. */

/**
 * `server` is a Footprint server over loopback HTTP, `file-store` its store
 * (server/storage/file-store.ts) called in-process on the same kind of
 * file: the rows of `--server` (bench/server.ts). `clickhouse` is the
 * server's ClickHouse backend on chdb (`--clickhouse`, bench/clickhouse.ts).
 */
export type Engine = 'sqljs' | 'sqlite' | 'duckdb' | 'chromium' | 'server' | 'file-store' | 'clickhouse';

export interface ResultRow {
  engine: Engine;
  /** Events in the store the task ran on. */
  events: number;
  /** `ingest`, `export`, `reopen`, `dashboard`, `load` or a query (its kind, trend with its math). */
  task: string;
  /** Median of the warm runs in ms; null when the engine does not run this task (`note` says why) or the row measures no time (`file size`, `ingest memory`). */
  ms: number | null;
  /** For ingest: events stored per second at the median time. */
  eventsPerSecond?: number;
  /**
   * Growth of resident memory (MB). On an `ingest` row: of the benchmark's
   * process over the engine's whole run (the peak, since wasm and native
   * heaps do not shrink). On `ingest memory`: of a process that only
   * ingests, from the events loaded to the peak (bench/ingest-memory.ts).
   */
  peakMemoryMB?: number;
  /** On `file size`: bytes of the exported store file per event; on ClickHouse's `storage`: bytes on disk per event. */
  bytesPerEvent?: number;
  /** On the server's ingest: the median and 99th percentile of the request latency, in ms. */
  p50Ms?: number;
  p99Ms?: number;
  /** On the server's queries: `cold` is the first ask after a data change (no cached answer), `warm` the same ask again (cached). */
  cache?: 'cold' | 'warm';
  /** Why a task is not measured, or what the number means. */
  note?: string;
}

/** Rounds a time for the report: 0.1 ms below 10 ms, else whole ms. */
export function roundMs(ms: number): number {
  return ms < 10 ? Math.round(ms * 10) / 10 : Math.round(ms);
}
