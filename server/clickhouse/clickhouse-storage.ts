import type { ClickHouseOptions, ProjectSettings } from '../options.ts';
import type { ProjectStorage } from '../storage/project-store.ts';
import type { ClickHouseExecutor } from './executor.ts';
import { openHttpExecutor, type LogEntryWriter } from './http-executor.ts';
import { clickHouseProjectStore } from './project-store.ts';
import { clickHouseLayout, ensureSchema, type ClickHouseLayout } from './schema.ts';

/**
 * The server's storage in ClickHouse: every project in one table. Options
 * are checked at once (a wrong one throws from `createServer`); the server
 * is reached, and the schema made or checked, by `start` (`listen()`), or
 * by the first request.
 */
export function clickHouseStorage(options: ClickHouseOptions, { now, log }: { now: () => number; log: LogEntryWriter }): ProjectStorage {
  if (typeof options !== 'object' || options === null) throw new Error('clickhouse: give { url, database?, cluster? }');
  if (typeof options.url !== 'string' || options.url === '') throw new Error('clickhouse.url: give the HTTP interface of a ClickHouse server, e.g. http://localhost:8123');
  const layout = clickHouseLayout(options.database ?? 'footprint', options.cluster);
  let ready: Promise<ClickHouseExecutor> | null = null;
  const start = (): Promise<ClickHouseExecutor> => {
    ready ??= (async () => {
      const executor = await openHttpExecutor(options, log);
      try {
        await ensureSchema(executor, layout, options.createOnCluster ?? false);
      } catch (error) {
        await executor.close();
        throw error;
      }
      return executor;
    })();
    // A failed start is not kept: the next request tries again and gets the error again.
    ready.catch(() => (ready = null));
    return ready;
  };
  return clickHouseStorageOn(start, layout, now, async () => {
    if (ready) await (await ready.catch(() => null))?.close();
  });
}

/**
 * The storage over an executor `connect` resolves to (the server's, or chdb
 * in the tests): what `clickHouseStorage` builds on.
 */
export function clickHouseStorageOn(
  connect: () => Promise<ClickHouseExecutor>,
  layout: ClickHouseLayout,
  now: () => number,
  close: () => Promise<void> = async () => {},
): ProjectStorage {
  return {
    async start() {
      await connect();
    },
    async open(project: string, settings: ProjectSettings) {
      return clickHouseProjectStore(await connect(), layout, project, settings, now);
    },
    async names() {
      const rows = await (await connect()).query<{ project: string }>(`SELECT DISTINCT project FROM ${layout.events}`);
      return rows.map((row) => row.project);
    },
    close,
  };
}
