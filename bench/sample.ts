/** The benchmark's data set and its range, shared by the full run (run.ts) and `--clickhouse` (clickhouse.ts). */
import { generateSampleEvents } from '../shared/index.ts';
import { DATA_DAYS, DATA_END, DATA_SEED } from './config.ts';
import type { Range } from './engines/duckdb-sql.ts';
import { utcDay } from './queries.ts';

const DAY_MS = 86_400_000;

/** Events of the benchmark's data set for `target`, with its first and last day. */
export function sampleEvents(target: number, log: (message: string) => void): { events: ReturnType<typeof generateSampleEvents>; from: string; to: string } {
  log(`generating about ${target.toLocaleString('en-US')} sample events`);
  const events = generateSampleEvents({ events: target, seed: DATA_SEED, days: DATA_DAYS, end: DATA_END });
  return { events, from: utcDay(events[0]!.timestamp), to: utcDay(events[events.length - 1]!.timestamp) };
}

/** Whole UTC days from `from` to `to`, as the DuckDB queries bind them. */
export function dayRange(from: string, to: string): Range {
  const fromMs = Date.parse(from);
  return { fromMs, toMs: Date.parse(to) + DAY_MS - 1, days: (Date.parse(to) - fromMs) / DAY_MS + 1 };
}
