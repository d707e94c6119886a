import { randomUUID } from 'node:crypto';
import { KNOWN_FIELDS, validateEvent, type ValidEvent } from '../../shared/ingest/event.ts';
import { UnreadableRecord } from '../../shared/ingest/text.ts';
import type { IngestReport } from '../../shared/store/store.ts';
import type { ClickHouseExecutor } from './executor.ts';
import type { ClickHouseLayout } from './schema.ts';

/** One row of the events table, as inserted. */
export interface EventRow {
  project: string;
  uuid: string;
  event: string;
  user_id: string;
  session_id: string;
  ts: number;
  seq: number;
  properties: string;
}

let lastSeq = 0;

/**
 * The next number of the ingestion order (`seq`): microseconds since the
 * epoch, and at least one more than the last, so that the events of one
 * server process are numbered in the order they came, and those of servers
 * sharing a cluster roughly so (their clocks agree to far less than a
 * request). It decides only ties between one user's events of the same
 * millisecond (METRICS.md section 2), where the SQLite store uses its
 * rowid. 2^53 microseconds reach the year 2255, so it stays exact in a
 * double.
 */
export function ingestionOrder(): number {
  lastSeq = Math.max(lastSeq + 1, Date.now() * 1000);
  return lastSeq;
}

/**
 * The row of a valid event. An event sent without a uuid gets a random one
 * here (PostHog's capture does the same): the uuid is part of the sort key
 * that merges duplicates, so two such events of one user in the same
 * millisecond must not share it.
 */
export function eventRow(project: string, event: ValidEvent): EventRow {
  return {
    project,
    uuid: event.uuid ?? randomUUID(),
    event: event.event,
    user_id: event.userId,
    session_id: event.sessionId ?? '',
    ts: event.timestamp,
    seq: ingestionOrder(),
    properties: event.properties ?? '',
  };
}

/** A temporary table of the session that looks up stored events where the server binds no parameters. */
const LOOKUP_TABLE = 'footprint_batch_keys';

/**
 * Events whose keys one lookup asks for. Bound parameters travel in the
 * request's URL (`param_uuids=[...]`), which ClickHouse caps (1 MiB by
 * default): a thousand uuids, users and times stay far below.
 */
export const LOOKUP_CHUNK = 1_000;

/**
 * What makes two rows one event: the sort key after the project (user,
 * time, uuid), which ReplacingMergeTree merges and every query's
 * `final = 1` reads once. As a string, to be kept in a Set.
 */
function eventKey(userId: string, ts: number, uuid: string): string {
  return JSON.stringify([userId, ts, uuid]);
}

/**
 * The keys (eventKey) among `rows` that `project` holds already, asked in
 * one query per LOOKUP_CHUNK rows by the rows' exact keys: a condition on
 * the sort key's columns (project, user_id, ts, uuid), so that the primary
 * index reads only the granules that can hold them and the partitions of
 * their months (on chdb, a retry of the last 100 of 50,000 events over 90
 * days reads one granule of one part, where asking by user and uuid read a
 * granule of every part), however large the table grows.
 *
 * A uuid stored with another user or time is not found: the event sent
 * again with the same uuid but a different timestamp or user is a new
 * event, stored and counted once more, since ReplacingMergeTree does not
 * merge rows with different keys either. A retry resends the very same
 * event, key and all, so it is found.
 *
 * Where the engine binds no parameters (the 18.16 test cluster), the keys
 * go in as rows of a temporary table of a session of their own, and
 * `GLOBAL IN` sends that table to every shard: the same condition on the
 * same columns.
 */
async function storedKeys(executor: ClickHouseExecutor, layout: ClickHouseLayout, project: string, rows: readonly EventRow[]): Promise<Set<string>> {
  const stored = new Set<string>();
  for (let from = 0; from < rows.length; from += LOOKUP_CHUNK) {
    const chunk = rows.slice(from, from + LOOKUP_CHUNK);
    const found = executor.boundParams ? await lookUpBound(executor, layout, project, chunk) : await lookUpThroughTable(executor, layout, chunk);
    // Int64 comes back as a string in JSONEachRow.
    for (const { user_id, ts, uuid } of found) stored.add(eventKey(user_id, Number(ts), uuid));
  }
  return stored;
}

/** A stored event's key, as a lookup answers it. */
interface FoundKey {
  user_id: string;
  ts: string | number;
  uuid: string;
}

function lookUpBound(executor: ClickHouseExecutor, layout: ClickHouseLayout, project: string, rows: readonly EventRow[]): Promise<FoundKey[]> {
  // Three parallel arrays zipped in SQL: an Array(Tuple(...)) parameter has no
  // JSON-array form that both @clickhouse/client and chdb write as tuples.
  return executor.query<FoundKey>(
    `SELECT DISTINCT user_id, ts, uuid FROM ${layout.events} WHERE project = {project:String} AND (user_id, ts, uuid) IN arrayZip({users:Array(String)}, {times:Array(Int64)}, {uuids:Array(String)})`,
    { project, users: rows.map((row) => row.user_id), times: rows.map((row) => row.ts), uuids: rows.map((row) => row.uuid) },
  );
}

async function lookUpThroughTable(executor: ClickHouseExecutor, layout: ClickHouseLayout, rows: readonly EventRow[]): Promise<FoundKey[]> {
  const session = `footprint-ingest-${randomUUID()}`;
  await executor.command(`CREATE TEMPORARY TABLE ${LOOKUP_TABLE} (project String, user_id String, ts Int64, uuid String)`, undefined, { session });
  try {
    await executor.insert(LOOKUP_TABLE, rows.map(({ project, user_id, ts, uuid }) => ({ project, user_id, ts, uuid })), { session });
    return await executor.query<FoundKey>(
      `SELECT DISTINCT user_id, ts, uuid FROM ${layout.events} WHERE (project, user_id, ts, uuid) GLOBAL IN (SELECT project, user_id, ts, uuid FROM ${LOOKUP_TABLE})`,
      undefined,
      { session },
    );
  } finally {
    await executor.command(`DROP TEMPORARY TABLE IF EXISTS ${LOOKUP_TABLE}`, undefined, { session }).catch(() => undefined);
  }
}

/**
 * Validates, scrubs and stores groups of events of one project in one
 * insert, with a report for each group as if it had been ingested alone,
 * right after the groups before it: the SQLite store's `ingestGroups`
 * (validation and scrubbing are the core's, `validateEvent`). Exactly once
 * by the sort key: an event whose user, timestamp and uuid the project
 * holds already, or that came earlier in the call, is a duplicate and is
 * not inserted (storedKeys). Unlike SQLite, where a uuid is stored once
 * whatever comes with it, a uuid sent again with another timestamp or user
 * is a new event: it is stored, and every query counts it once more, as
 * ReplacingMergeTree keeps both rows. Two requests racing with the same
 * event may both miss each other here; the reads then count that event
 * once all the same, since every query reads `events` deduplicated
 * (FINAL), and ReplacingMergeTree merges the copies.
 *
 * On a cluster the insert is synchronous (`insert_distributed_sync`): the
 * batch is acknowledged once it is on its shards, so a retry that follows
 * finds it.
 */
export async function ingestClickHouse(
  executor: ClickHouseExecutor,
  layout: ClickHouseLayout,
  project: string,
  groups: readonly (readonly unknown[])[],
  timeZone: string,
): Promise<IngestReport[]> {
  const reports: IngestReport[] = [];
  /** Each valid event's row and the report it counts in. */
  const candidates: { row: EventRow; given: boolean; report: IngestReport }[] = [];
  for (const group of groups) {
    const report: IngestReport = { accepted: 0, duplicates: 0, rejected: [], ignoredFields: [] };
    const ignored = new Set<string>();
    group.forEach((record, index) => {
      // A line of the body that was no JSON (or an SDK's item that maps to no event) comes with its reason.
      const outcome = record instanceof UnreadableRecord ? { reason: record.reason } : validateEvent(record, timeZone, true);
      if ('reason' in outcome) {
        report.rejected.push({ index, reason: outcome.reason });
        return;
      }
      for (const key of Object.keys(record as object)) if (!KNOWN_FIELDS.has(key)) ignored.add(key);
      candidates.push({ row: eventRow(project, outcome), given: outcome.uuid !== null, report });
    });
    report.ignoredFields = [...ignored].sort();
    reports.push(report);
  }
  const stored = await storedKeys(executor, layout, project, candidates.filter((c) => c.given).map((c) => c.row));
  const rows: EventRow[] = [];
  for (const { row, given, report } of candidates) {
    const key = eventKey(row.user_id, row.ts, row.uuid);
    if (given && stored.has(key)) {
      report.duplicates++;
      continue;
    }
    if (given) stored.add(key);
    report.accepted++;
    rows.push(row);
  }
  await executor.insert(layout.events, rows as unknown as Record<string, unknown>[], layout.cluster === undefined ? {} : { settings: { insert_distributed_sync: 1 } });
  return reports;
}
