import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { DataError } from '../../shared/errors.ts';
import { openSqlStore, readOptions, type SqlStore } from '../../shared/store/sql-store.ts';
import type { Query, ResultOf } from '../../shared/query/kinds.ts';
import type { PropertyFilter } from '../../shared/query/property-filter.ts';
import type { IngestReport, Store, StoreOptions } from '../../shared/store/store.ts';
import { NativeDatabase } from './native-database.ts';

/** `openStore`'s options that apply to a file on disk (no wasm, no `data`). */
export type FileStoreOptions = Omit<StoreOptions, 'data' | 'wasmBinary' | 'wasmUrl'>;

/** A store on a SQLite file on disk. */
export interface FileStore extends Store {
  /** Stores groups of events in one transaction, with a report for each group (see SqlStore.ingestGroups). */
  ingestGroups(groups: readonly (readonly unknown[])[]): Promise<IngestReport[]>;
  /** Runs a spec with `lockedWhere` ANDed onto its own `where` (an embed token's lock); see SqlStore.queryLocked. */
  queryLocked<Q extends Query>(spec: Q, lockedWhere: PropertyFilter | null): Promise<ResultOf<Q>>;
  /** The file it is kept in. */
  readonly file: string;
  /** Copies what the write-ahead log holds into the file and empties the log. */
  checkpoint(): Promise<void>;
}

/**
 * Bytes 18 and 19 of a SQLite file say which journal it is written with: 2
 * for a write-ahead log, 1 for the rollback journal. An export is one
 * self-contained file, read by sql.js, which has no shared memory for a WAL:
 * it says 1 (https://www.sqlite.org/fileformat2.html#file_format_version_numbers).
 */
function asRollbackJournalFile(bytes: Buffer): Uint8Array {
  const copy = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (copy.length >= 20) {
    copy[18] = 1;
    copy[19] = 1;
  }
  return copy;
}

/**
 * Opens (or creates) a store in a SQLite file on disk, with native SQLite:
 * the same schema and metric SQL as `openStore`, which reopens what
 * `export()` gives.
 *
 * Durability: the file is in WAL mode with `synchronous = NORMAL`, so a
 * write that resolved survives the process being killed (the log is in the
 * operating system's hands once the commit returns); a power cut may lose
 * the last writes before a checkpoint. `synchronous: 'full'` syncs each commit.
 */
export async function openFileStore(file: string, options: FileStoreOptions & { synchronous?: 'normal' | 'full' } = {}): Promise<FileStore> {
  readOptions(options);
  const existed = existsSync(file);
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (error) {
    throw new DataError(`${file}: cannot open (${(error as Error).message})`);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    // Waits for another connection's write (an export, a second process) instead of failing at once.
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -65536');
  } catch (error) {
    db.close();
    throw new DataError(`${file}: not a readable SQLite file (${(error as Error).message})`);
  }
  const fresh = !existed || (db.prepare('SELECT COUNT(*) AS n FROM sqlite_schema').get() as { n: number }).n === 0;
  let store: SqlStore;
  try {
    store = await openSqlStore(
      { db: new NativeDatabase(db), export: () => asRollbackJournalFile(db.serialize()), close: () => db.close() },
      options,
      fresh,
    );
  } catch (error) {
    if (error instanceof DataError) throw new DataError(`${file}: ${error.message}`);
    throw error;
  }
  return Object.assign(store, {
    file,
    checkpoint: async (): Promise<void> => {
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
  });
}
