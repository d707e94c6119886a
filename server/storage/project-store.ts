import type { Query, ResultOf } from '../../shared/query/kinds.ts';
import type { PropertyFilter } from '../../shared/query/property-filter.ts';
import type { IngestReport } from '../../shared/store/store.ts';
import type { ProjectSettings } from '../options.ts';

/**
 * What the server asks of one project's events, whatever holds them: a
 * SQLite file (file-store.ts) or ClickHouse (server/clickhouse/).
 */
export interface ProjectStore {
  /** Stores groups of events at once, with a report for each group (see SqlStore.ingestGroups). */
  ingestGroups(groups: readonly (readonly unknown[])[]): Promise<IngestReport[]>;
  query<Q extends Query>(spec: Q): Promise<ResultOf<Q>>;
  /** Runs a spec with `lockedWhere` ANDed onto its own `where` (an embed token's lock). */
  queryLocked<Q extends Query>(spec: Q, lockedWhere: PropertyFilter | null): Promise<ResultOf<Q>>;
  /** The project as a SQLite file that `openStore({ data })` opens. */
  export(): Promise<Uint8Array>;
  /** Removes every event of a user; resolves to how many went. */
  deleteUser(userId: string | number): Promise<number>;
  /** Removes every event before an instant (epoch ms); resolves to how many went. */
  purgeBefore(before: number): Promise<number>;
  /** Writes out what is pending (a SQLite file's write-ahead log), before `close`. */
  checkpoint?(): Promise<void>;
  close(): Promise<void>;
}

/** Where the server keeps its projects: the SQLite files of the data folder, or ClickHouse. */
export interface ProjectStorage {
  /** Connects and makes (or checks) what the storage needs before the first request; `listen()` awaits it. */
  start?(): Promise<void>;
  /** Opens a project's store (creating it when new). */
  open(project: string, settings: ProjectSettings): Promise<ProjectStore>;
  /** The projects that may hold events (the hourly retention purge visits them). */
  names(): Promise<string[]>;
  /** Frees what the storage holds, once every store it opened is closed. */
  close(): Promise<void>;
}
