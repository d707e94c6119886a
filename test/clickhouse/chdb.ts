// chdb (ClickHouse 26.7 in-process) for the ClickHouse suite: installed on
// first use into the tools folder (scripts/tools.mjs, set `chdb`), never a
// dependency of the package, and loaded from there.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClickHouseExecutor } from '../../server/clickhouse/query/executor.ts';

/** The part of chdb's Session the suite uses. */
export interface ChdbSession {
  queryBind(query: string, args: object, format?: string): string;
  queryBindAsync(query: string, params: object, opts?: { format?: string }): Promise<{ text(): string }>;
  insert(params: { table: string; values: ReadonlyArray<Record<string, unknown>> }): Promise<unknown>;
  cleanup(): void;
}

interface Tools {
  ensureNpmTool(name: string, packages: string[]): Promise<string>;
  importFromTool(dir: string, name: string): Promise<{ Session: new (path?: string) => ChdbSession }>;
  TOOLS: Record<string, string[]>;
}

/** A new chdb session in a temporary folder, installing chdb first if needed (about 20 s, 550 MB). */
export async function openChdb(): Promise<ChdbSession> {
  const tools = (await import(pathToFileURL(resolve(import.meta.dirname, '../../scripts/tools.mjs')).href)) as Tools;
  const dir = await tools.ensureNpmTool('chdb', tools.TOOLS.chdb!);
  const { Session } = await tools.importFromTool(dir, 'chdb');
  return new Session();
}

/**
 * An executor over a chdb session. chdb binds `{name:Type}` parameters
 * itself (queryBind), as a server does `query_params`: no value is spliced
 * into the SQL here either.
 */
export function chdbExecutor(session: ChdbSession): ClickHouseExecutor {
  return {
    async rows(sql, params) {
      const text = (await session.queryBindAsync(sql, params, { format: 'JSONCompactEachRow' })).text();
      return text.split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line) as unknown[]);
    },
  };
}

/**
 * The one-node schema of the design: `events_local` holds every project's
 * events, deduplicated by ReplacingMergeTree, and `events`, what queries
 * read, is a view of it (on a cluster, a Distributed table).
 */
export function createSchema(session: ChdbSession, database: string): void {
  const db = '`' + database + '`';
  session.queryBind(`CREATE DATABASE IF NOT EXISTS ${db}`, {});
  session.queryBind(
    `CREATE TABLE IF NOT EXISTS ${db}.events_local (
  project LowCardinality(String), uuid String, event String, user_id String, session_id String DEFAULT '',
  ts Int64, properties String, inserted_at DateTime DEFAULT now()
) ENGINE = ReplacingMergeTree ORDER BY (project, user_id, ts, uuid) PARTITION BY toYYYYMM(toDateTime(intDiv(ts, 1000)))`,
    {},
  );
  session.queryBind(`CREATE VIEW IF NOT EXISTS ${db}.events AS SELECT * FROM ${db}.events_local`, {});
}

