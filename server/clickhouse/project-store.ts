import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quote, SpecError } from '../../shared/errors.ts';
import { idText } from '../../shared/ingest/event.ts';
import type { Query, ResultOf } from '../../shared/query/kinds.ts';
import type { PropertyFilter } from '../../shared/query/property-filter.ts';
import type { ProjectSettings } from '../options.ts';
import { openFileStore } from '../storage/file-store.ts';
import type { ProjectStore } from '../storage/project-store.ts';
import type { ClickHouseExecutor } from './executor.ts';
import { ingestClickHouse } from './ingest.ts';
import { answerClickHouse } from './query/index.ts';
import type { ClickHouseLayout } from './schema.ts';

/** Events per group when an export writes a SQLite file. */
const EXPORT_GROUP = 50_000;

/**
 * Settings of a deletion: on 23.8 and later wait until the mutation is done
 * on every replica, so that an erasure answered is an erasure made (18.16
 * lacks the setting: no deletion runs there).
 */
const DELETE_SETTINGS = { mutations_sync: 2 };

/** One project's events in ClickHouse, as the server uses a project's store. */
export function clickHouseProjectStore(
  executor: ClickHouseExecutor,
  layout: ClickHouseLayout,
  project: string,
  settings: ProjectSettings,
  now: () => number,
): ProjectStore {
  const calendar = { timezone: settings.timezone ?? 'UTC', weekStart: settings.weekStart ?? 'monday' } as const;
  const onCluster = layout.cluster === undefined ? '' : ` ON CLUSTER \`${layout.cluster}\``;

  /** Counts the events `where` matches (deduplicated), then deletes them from every shard's table. */
  const remove = async (where: string, params: Record<string, unknown>): Promise<number> => {
    const [row] = await executor.query<{ n: string | number }>(`SELECT count() AS n FROM ${layout.events} FINAL WHERE project = {project:String} AND ${where}`, { project, ...params });
    const count = Number(row?.n ?? 0);
    if (count === 0) return 0;
    await executor.command(`ALTER TABLE ${layout.local}${onCluster} DELETE WHERE project = {project:String} AND ${where}`, { project, ...params }, { settings: DELETE_SETTINGS });
    return count;
  };

  // The query side reads rows only; a spec's own timezone / weekStart override the project's there.
  const reader = { rows: (sql: string, params?: Record<string, unknown>) => executor.rows(sql, params) };
  const queryLocked = <Q extends Query>(spec: Q, lockedWhere: PropertyFilter | null): Promise<ResultOf<Q>> =>
    answerClickHouse(reader, { database: layout.database, project }, spec, { calendar, now: now(), minGroupSize: settings.minGroupSize ?? 1, lockedWhere });

  return {
    ingestGroups: (groups) => ingestClickHouse(executor, layout, project, groups, calendar.timezone),
    query: (spec) => queryLocked(spec, null),
    queryLocked,
    deleteUser(userId) {
      const id = idText(userId);
      if (id === null || id === '') return Promise.reject(new SpecError('userId', `must be a non-empty string or a number, got ${quote(userId)}`));
      return remove('user_id = {user:String}', { user: id });
    },
    purgeBefore(before) {
      if (!Number.isFinite(before)) return Promise.reject(new SpecError('before', `must be epoch milliseconds, got ${quote(before)}`));
      return remove('ts < {before:Int64}', { before: Math.floor(before) });
    },
    /**
     * The project as the SQLite file the SQLite backend would export: its
     * events read deduplicated, written into a fresh file store (properties
     * as stored: already scrubbed), then read out.
     */
    async export() {
      const rows = await executor.query<{ uuid: string; event: string; user_id: string; session_id: string; ts: string | number; properties: string }>(
        `SELECT uuid, event, user_id, session_id, ts, properties FROM ${layout.events} FINAL WHERE project = {project:String} ORDER BY ts, uuid`,
        { project },
      );
      const folder = mkdtempSync(join(tmpdir(), 'footprint-export-'));
      try {
        const store = await openFileStore(join(folder, `${project}.sqlite`), { ...calendar, minGroupSize: settings.minGroupSize, scrub: false, now });
        try {
          for (let from = 0; from < rows.length; from += EXPORT_GROUP) {
            const records = rows.slice(from, from + EXPORT_GROUP).map((row) => ({
              uuid: row.uuid,
              event: row.event,
              user_id: row.user_id,
              timestamp: Number(row.ts),
              ...(row.session_id === '' ? {} : { session_id: row.session_id }),
              ...(row.properties === '' ? {} : { properties: JSON.parse(row.properties) as unknown }),
            }));
            await store.ingestGroups([records]);
          }
          return await store.export();
        } finally {
          await store.close();
        }
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
    async close() {},
  };
}
