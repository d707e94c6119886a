import type { ClickHouseExecutor } from './executor.ts';

/**
 * Where the events are, in one database (`footprint` by default) that holds
 * every project:
 * - one node: `events` is the ReplacingMergeTree table itself (a view over
 *   it would not do: ClickHouse 26.7 reads a view with `FINAL` without
 *   merging duplicates, silently);
 * - a cluster: `events_local` on each shard and `events`, a Distributed
 *   table over them sharded by `cityHash64(user_id)`, so that each user's
 *   events sit on one shard.
 * Queries always read `events`; deletions (mutations) go to `local`.
 */
export interface ClickHouseLayout {
  /** The database, checked by `checkDatabaseName`. */
  database: string;
  /** The `remote_servers` cluster the Distributed table spans; absent on one node. */
  cluster?: string;
  /** `database`.`events`, quoted: what queries and inserts name. */
  events: string;
  /** The table that holds rows: `events` on one node, each shard's `events_local` on a cluster. */
  local: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks a database or cluster name: it is written into statements as an identifier, never bound. */
function checkIdentifier(name: unknown, field: string): string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new Error(`${field}: must be letters, digits and _ (not starting with a digit), got ${JSON.stringify(name)}`);
  }
  return name;
}

/** The layout of a database, on one node or over a cluster. */
export function clickHouseLayout(database: unknown, cluster?: unknown): ClickHouseLayout {
  const db = checkIdentifier(database, 'clickhouse.database');
  if (cluster === undefined) return { database: db, events: `\`${db}\`.events`, local: `\`${db}\`.events` };
  return { database: db, cluster: checkIdentifier(cluster, 'clickhouse.cluster'), events: `\`${db}\`.events`, local: `\`${db}\`.events_local` };
}

/**
 * The columns of the table that holds events. `ts` is epoch milliseconds
 * (Int64, as 18.16 lacks DateTime64); `session_id` and `properties` are ''
 * when the event has none; `properties` is the JSON text the SQLite store
 * keeps (validated and scrubbed). `seq` is the ingestion order that breaks
 * ties between a user's events of one millisecond (METRICS.md section 2;
 * the SQLite store's `events.seq`), see `ingestionOrder`. The sort key makes a retried event (same
 * project, user, time and uuid) a duplicate that merges away; ingest gives
 * every event a uuid, so two distinct events never share it.
 */
export const EVENT_COLUMNS = `(
  project LowCardinality(String),
  uuid String,
  event String,
  user_id String,
  session_id String DEFAULT '',
  ts Int64,
  seq Int64,
  properties String,
  inserted_at DateTime DEFAULT now()
)`;

export const EVENT_ENGINE = 'ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(toDateTime(intDiv(ts, 1000))) ORDER BY (project, user_id, ts, uuid)';

/**
 * Makes the schema when missing. One node: the database and `events`. A
 * cluster: with `createOnCluster`, the same `ON CLUSTER` (which needs the
 * cluster's distributed DDL, ClickHouse Keeper or ZooKeeper); without it,
 * checks that `events` exists and says how to make it when not.
 */
export async function ensureSchema(executor: ClickHouseExecutor, layout: ClickHouseLayout, createOnCluster = false): Promise<void> {
  const { database, cluster } = layout;
  if (cluster !== undefined && !createOnCluster) {
    // Its one column is named `result`, whatever the version: read by place.
    const [row] = await executor.query<Record<string, number | string>>(`EXISTS TABLE ${layout.events}`);
    if (Number(Object.values(row ?? {})[0]) !== 1) {
      throw new Error(
        `clickhouse: ${database}.events is missing on cluster ${cluster}: create ${database}.events_local on each shard and ${database}.events over them (README "Scaling out with ClickHouse"; scripts/clickhouse-cluster.sh schema does it for the test cluster)`,
      );
    }
    return;
  }
  const on = cluster === undefined ? '' : ` ON CLUSTER \`${cluster}\``;
  await executor.command(`CREATE DATABASE IF NOT EXISTS \`${database}\`${on}`);
  await executor.command(`CREATE TABLE IF NOT EXISTS ${layout.local}${on} ${EVENT_COLUMNS} ${EVENT_ENGINE}`);
  if (cluster !== undefined) {
    await executor.command(`CREATE TABLE IF NOT EXISTS ${layout.events}${on} AS ${layout.local} ENGINE = Distributed(\`${cluster}\`, \`${database}\`, events_local, cityHash64(user_id))`);
  }
}
