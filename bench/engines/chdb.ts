/**
 * ClickHouse (chdb: ClickHouse 26.7 in-process, from the tools folder as
 * the ClickHouse suite loads it) through the server's own code: events go
 * in through `ingestClickHouse` (validation, exactly-once lookups, one
 * insert per batch) into the table of `ensureSchema`, and every query
 * through `answerClickHouse`, the ClickHouse SQL the server runs.
 */
import { isDeepStrictEqual } from 'node:util';
import { eventRow, ingestClickHouse } from '../../server/clickhouse/ingest.ts';
import { answerClickHouse } from '../../server/clickhouse/query/index.ts';
import type { ClickHouseQueryContext } from '../../server/clickhouse/query/index.ts';
import { clickHouseLayout, ensureSchema, type ClickHouseLayout } from '../../server/clickhouse/schema.ts';
import { validateEvent } from '../../shared/ingest/event.ts';
import type { SampleEvent } from '../../shared/sample-data.ts';
import { openChdb, type Chdb } from '../../test/clickhouse/chdb.ts';
import { CLICKHOUSE_BATCH, CLICKHOUSE_INGEST_MAX, CLICKHOUSE_TAIL, DATA_END, WARM_RUNS } from '../config.ts';
import type { BenchQuery } from '../queries.ts';
import { roundMs, type ResultRow } from '../result.ts';
import { measure, rssGrowthMb, startPeak } from '../timing.ts';

const PROJECT = 'bench';
const LAYOUT: ClickHouseLayout = clickHouseLayout('footprint_bench');

/** The context the other engines query under (bench/engines/sqlite.ts): UTC, Monday weeks, now at the data's end, no suppression. */
const CONTEXT: ClickHouseQueryContext = { calendar: { timezone: 'UTC', weekStart: 'monday' }, now: DATA_END, minGroupSize: 1, lockedWhere: null };


/** A fresh, empty events table: the database dropped and made again by the server's `ensureSchema`. */
async function emptyTable(chdb: Chdb): Promise<void> {
  await chdb.command(`DROP DATABASE IF EXISTS \`${LAYOUT.database}\``);
  await ensureSchema(chdb, LAYOUT);
}

/** The server's ingest, a request's worth of events (CLICKHOUSE_BATCH) at a time; throws unless every event is accepted. */
async function ingest(chdb: Chdb, events: readonly SampleEvent[]): Promise<void> {
  let accepted = 0;
  for (let from = 0; from < events.length; from += CLICKHOUSE_BATCH) {
    const [report] = await ingestClickHouse(chdb, LAYOUT, PROJECT, [events.slice(from, from + CLICKHOUSE_BATCH)], 'UTC');
    accepted += report!.accepted;
  }
  if (accepted !== events.length) throw new Error(`ClickHouse ingest accepted ${accepted} of ${events.length} events`);
}

/**
 * The insert alone: each event validated and made the row ingest makes
 * (`eventRow`), inserted CLICKHOUSE_BATCH at a time, without ingest's
 * exactly-once lookups of stored uuids.
 */
async function insert(chdb: Chdb, events: readonly SampleEvent[]): Promise<void> {
  for (let from = 0; from < events.length; from += CLICKHOUSE_BATCH) {
    const rows = events.slice(from, from + CLICKHOUSE_BATCH).map((raw) => {
      const event = validateEvent(raw, 'UTC', true);
      if ('reason' in event) throw new Error(`ClickHouse insert: ${event.reason}`);
      return eventRow(PROJECT, event) as unknown as Record<string, unknown>;
    });
    await chdb.insert(LAYOUT.events, rows);
  }
}

const number = (value: number): string => value.toLocaleString('en-US');

/**
 * Timed from an empty table each run: the insert alone, and, up to
 * CLICKHOUSE_INGEST_MAX events, the server's ingest (above it, one cold
 * and the warm runs of a whole ingest would take most of the run). Then,
 * once, at every size, the server's ingest of the last CLICKHOUSE_TAIL
 * events into the table holding all the others (inserted): what ingest
 * costs at that size. On that table, merged into one part per partition
 * (OPTIMIZE FINAL: what background merges reach on a settled table), its
 * storage and each query: answered, checked deep-equal to `answers`
 * (native SQLite's over the same events) and only then timed.
 */
export async function benchChdb(events: readonly SampleEvent[], queries: readonly BenchQuery[], answers: ReadonlyMap<string, unknown>, warm = WARM_RUNS): Promise<ResultRow[]> {
  const n = events.length;
  const rows: ResultRow[] = [];
  const baseline = startPeak();
  const chdb = await openChdb();
  try {
    const inserted = await measure(warm, () => insert(chdb, events), () => emptyTable(chdb));
    rows.push({ engine: 'clickhouse', events: n, task: 'insert', ms: roundMs(inserted.median), eventsPerSecond: Math.round(n / (inserted.median / 1000)), note: `validateEvent and eventRow, then inserts of ${number(CLICKHOUSE_BATCH)} rows, without ingest's lookups of stored uuids` });
    if (n <= CLICKHOUSE_INGEST_MAX) {
      const timing = await measure(warm, () => ingest(chdb, events), () => emptyTable(chdb));
      rows.push({ engine: 'clickhouse', events: n, task: 'ingest', ms: roundMs(timing.median), eventsPerSecond: Math.round(n / (timing.median / 1000)), note: `ingestClickHouse, ${number(CLICKHOUSE_BATCH)} events a call` });
    } else {
      rows.push({ engine: 'clickhouse', events: n, task: 'ingest', ms: null, note: `not timed whole above ${number(CLICKHOUSE_INGEST_MAX)} events (one cold and the warm runs of it would take most of the run); see \`ingest last ${number(CLICKHOUSE_TAIL)}\`, the server's ingest into a table holding the others` });
    }
    const tail = Math.min(CLICKHOUSE_TAIL, n);
    await emptyTable(chdb);
    await insert(chdb, events.slice(0, n - tail));
    const last = await measure(0, () => ingest(chdb, events.slice(n - tail)));
    rows.push({ engine: 'clickhouse', events: n, task: `ingest last ${number(CLICKHOUSE_TAIL)}`, ms: roundMs(last.median), eventsPerSecond: Math.round(tail / (last.median / 1000)), note: `ingestClickHouse of the last ${number(tail)} events into the table holding the ${number(n - tail)} others; one run` });
    const [stored] = await chdb.query<{ n: string }>(`SELECT count() AS n FROM ${LAYOUT.events} FINAL WHERE project = {project:String}`, { project: PROJECT });
    if (Number(stored?.n) !== n) throw new Error(`ClickHouse stored ${stored?.n} of ${n} events`);
    await chdb.command(`OPTIMIZE TABLE ${LAYOUT.local} FINAL`);
    const [parts] = await chdb.query<{ bytes: string; parts: string }>(
      `SELECT sum(bytes_on_disk) AS bytes, count() AS parts FROM system.parts WHERE database = {db:String} AND table = 'events' AND active`,
      { db: LAYOUT.database },
    );
    const bytes = Number(parts?.bytes);
    rows.push({ engine: 'clickhouse', events: n, task: 'storage', ms: null, bytesPerEvent: Math.round((bytes / n) * 10) / 10, note: `${(bytes / 1e6).toFixed(1)} MB on disk in ${parts?.parts} parts after OPTIMIZE FINAL` });

    const ask = (query: BenchQuery): Promise<unknown> => answerClickHouse(chdb, { database: LAYOUT.database, project: PROJECT }, query.spec, CONTEXT);
    for (const query of queries) {
      const answer = await ask(query);
      if (!isDeepStrictEqual(answer, answers.get(query.task))) {
        throw new Error(`ClickHouse answers ${query.task} differently from native SQLite:\n${JSON.stringify(answer).slice(0, 600)}\nvs\n${JSON.stringify(answers.get(query.task)).slice(0, 600)}`);
      }
      const timed = await measure(warm, () => ask(query));
      rows.push({ engine: 'clickhouse', events: n, task: query.task, ms: roundMs(timed.median) });
    }
  } finally {
    await chdb.close();
  }
  rows[0]!.peakMemoryMB = rssGrowthMb(baseline);
  return rows;
}

/** The ClickHouse version chdb embeds, e.g. 26.7.2.1. */
export async function chdbVersion(): Promise<string> {
  const chdb = await openChdb();
  try {
    const [row] = await chdb.query<{ v: string }>('SELECT version() AS v');
    return String(row?.v);
  } finally {
    await chdb.close();
  }
}
