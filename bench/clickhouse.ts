/**
 * `npm run bench -- --clickhouse`: the server's ClickHouse backend on chdb
 * (issue 15, "Benchmark") next to the other engines, side by side in one run.
 *
 * 1. The benchmark's 1M sample events: sql.js, native SQLite (the server's
 *    engine), DuckDB and ClickHouse, every query of bench/queries.ts.
 * 2. 10M events: sql.js (if its 32-bit wasm heap holds them: otherwise the
 *    reason, as measured), native SQLite and ClickHouse, the same queries;
 *    then how each engine's cost grew.
 *
 * Every ClickHouse answer is checked deep-equal to native SQLite's over the
 * same events before it is timed. `--smoke`: 10k events, one run each.
 */
import { cpus, totalmem } from 'node:os';
import { CHECK_RANGE_DAYS, CLICKHOUSE_BATCH, CLICKHOUSE_LARGE_WARM_RUNS, CLICKHOUSE_SIZES, SMOKE_SIZE, WARM_RUNS } from './config.ts';
import type { ClickHouseFigures } from './clickhouse-report.ts';
import { benchChdb, chdbVersion } from './engines/chdb.ts';
import { benchDuckDb, duckDbVersion } from './engines/duckdb.ts';
import { engineVersion } from './engines/native.ts';
import { benchSqlite, nativeAnswers, nativeStoreFile } from './engines/sqlite.ts';
import { benchSqlJs } from './engines/sqljs.ts';
// @ts-expect-error: a plain .mjs script without types.
import { readJson, TOOLS_DIR } from '../scripts/tools.mjs';
import { benchQueries, utcDay } from './queries.ts';
import type { ResultRow } from './result.ts';
import { dayRange, sampleEvents } from './sample.ts';

const DAY_MS = 86_400_000;

/** Options of `benchClickHouse`. */
export interface ClickHouseBenchOptions {
  smoke: boolean;
  log: (message: string) => void;
  /** Called after each size with everything measured so far, so that a long run leaves its first sizes' figures even if a later one fails. */
  measured?: (figures: ClickHouseFigures) => void;
}

/** A package's version from its package.json, 'unknown' when it cannot be read. */
const versionOf = (file: string | URL): string => (readJson(file) as { version?: string } | undefined)?.version ?? 'unknown';

/** The sql.js rows of a size, or a row saying why sql.js could not hold it, with its store file and answers if it could. */
async function sqlJsPart(events: Parameters<typeof benchSqlJs>[0], queries: Parameters<typeof benchSqlJs>[1], warm: number, log: ClickHouseBenchOptions['log']) {
  try {
    const ours = await benchSqlJs(events, queries, [], warm);
    return { rows: ours.rows, file: ours.file, answers: ours.answers };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log(`sql.js could not hold ${events.length.toLocaleString('en-US')} events: ${reason}`);
    const row: ResultRow = { engine: 'sqljs', events: events.length, task: 'ingest', ms: null, note: `could not hold the events: ${reason.split('\n')[0]!.slice(0, 300)}` };
    return { rows: [row], file: undefined, answers: undefined };
  }
}

/** Runs the part; resolves to its rows and a description of the run. */
export async function benchClickHouse({ smoke, log, measured }: ClickHouseBenchOptions): Promise<ClickHouseFigures> {
  const sizes = smoke ? [SMOKE_SIZE] : CLICKHOUSE_SIZES;
  const figures: ClickHouseFigures = {
    run: {
      date: new Date().toISOString(),
      cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
      cores: cpus().length,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.versions.node,
      chdb: versionOf(`${TOOLS_DIR as string}/chdb/node_modules/chdb/package.json`),
      clickhouse: await chdbVersion(),
      sqljs: versionOf(new URL('../node_modules/sql.js/package.json', import.meta.url)),
      betterSqlite3: engineVersion('better-sqlite3'),
      duckdb: await duckDbVersion(),
      batch: CLICKHOUSE_BATCH,
      warmRuns: smoke ? 0 : WARM_RUNS,
      largeWarmRuns: smoke ? 0 : CLICKHOUSE_LARGE_WARM_RUNS,
    },
    rows: [],
  };
  for (const [index, target] of sizes.entries()) {
    const large = index > 0;
    const warm = smoke ? 0 : large ? CLICKHOUSE_LARGE_WARM_RUNS : WARM_RUNS;
    const { events, from, to } = sampleEvents(target, log);
    const n = events.length;
    const queries = benchQueries(from, to);
    log(`${n.toLocaleString('en-US')} events, ${from} to ${to}: sql.js`);
    const ours = await sqlJsPart(events, queries, warm, log);
    figures.rows.push(...ours.rows);
    let { file, answers } = ours;
    if (!file || !answers) {
      log('native SQLite fills the store file itself (the data of the other engines), and its answers are the reference');
      file = await nativeStoreFile(events);
      answers = nativeAnswers(file, queries);
    }
    log('native SQLite (better-sqlite3)');
    figures.rows.push(...(await benchSqlite(events, file, queries, answers, warm)));
    file = undefined;
    if (!large) {
      log('DuckDB, answers checked against sql.js');
      const range = dayRange(from, to);
      const check = dayRange(utcDay(range.fromMs + CHECK_RANGE_DAYS.first * DAY_MS), utcDay(range.fromMs + CHECK_RANGE_DAYS.last * DAY_MS));
      figures.rows.push(...(await benchDuckDb(events, queries, answers, range, { range: check, queries: [], answers: new Map(), skip: new Set() }, warm)));
    }
    log(`ClickHouse (chdb): the server's ingest and query side, answers checked against native SQLite`);
    figures.rows.push(...(await benchChdb(events, queries, answers, warm)));
    measured?.(figures);
  }
  return figures;
}
