import { BatchWriter } from './batch-writer.ts';
import type { SinkContext, TrackerEvent, TrackerSink } from './sink.ts';

/** Options of `indexedDbSink`. */
export interface IndexedDbSinkOptions {
  /** Name of the IndexedDB database; default `footprint-events`. Give each tracker of an origin its own. */
  databaseName?: string;
}

/** The IndexedDB sink: a {@link TrackerSink} that can also read back what it stored. */
export interface IndexedDbSink extends TrackerSink {
  /** The database's name. */
  readonly databaseName: string;
  /**
   * Every stored event, oldest first: what an in-app "your usage" view
   * shows (ingest them into a store for the widgets). Resolves to `[]` when
   * nothing was ever stored, without creating the database, so it may be
   * called before consent.
   */
  readEvents(): Promise<TrackerEvent[]>;
}

const STORE = 'events';
const VERSION = 1;

/** A request's result as a promise. */
function settled<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

/** A transaction's end as a promise. */
function completed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/**
 * Opens the database, creating it unless `createIfMissing` is false: then a
 * missing database resolves to null and is not created (the upgrade is
 * aborted before it commits).
 */
function openDatabase(name: string, createIfMissing: boolean): Promise<IDBDatabase | null> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, VERSION);
    let missing = false;
    request.onupgradeneeded = (event) => {
      if (event.oldVersion === 0 && !createIfMissing) {
        missing = true;
        request.transaction?.abort();
        return;
      }
      // Keyed by uuid: writing an event twice (a retried write) keeps one copy.
      request.result.createObjectStore(STORE, { keyPath: 'uuid' }).createIndex('timestamp', 'timestamp');
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab deleting the database (revoked with deleteStored) must not wait for this connection.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    request.onerror = () => (missing ? resolve(null) : reject(request.error ?? new Error(`cannot open IndexedDB database ${name}`)));
  });
}

/**
 * Keeps events in the page's IndexedDB, so an in-app "your usage" view
 * survives reloads (`readEvents()`). Nothing is opened or created before
 * consent: the database appears with the first event written. Revoking with
 * `deleteStored` deletes the whole database.
 */
export function indexedDbSink(options: IndexedDbSinkOptions = {}): IndexedDbSink {
  const databaseName = options.databaseName ?? 'footprint-events';
  if (typeof databaseName !== 'string' || databaseName === '') {
    throw new TypeError(`indexedDbSink({ databaseName }): must be a non-empty string, got ${JSON.stringify(databaseName)}`);
  }
  let context: SinkContext | null = null;
  let connection: Promise<IDBDatabase | null> | null = null;

  function database(): Promise<IDBDatabase | null> {
    connection ??= openDatabase(databaseName, true);
    return connection;
  }

  function close(): void {
    const open = connection;
    connection = null;
    void open?.then((db) => db?.close()).catch(() => undefined);
  }

  const batches = new BatchWriter(async (events, onError) => {
    try {
      const db = (await database())!;
      const transaction = db.transaction(STORE, 'readwrite');
      const store = transaction.objectStore(STORE);
      for (const event of events) store.put(event);
      await completed(transaction);
    } catch (error) {
      onError(new Error(`indexeddb sink: could not store ${events.length} events in ${databaseName}: ${(error as Error).message}`));
    }
  }, () => context);

  return {
    name: 'indexeddb',
    databaseName,
    start(given) {
      context = given;
    },
    write(event) {
      batches.add(event);
    },
    flush: () => batches.flush(),
    async stop({ dropUnsent }) {
      if (dropUnsent) batches.drop();
      await batches.flush();
      context = null;
      close();
    },
    async deleteStored() {
      await batches.writing;
      close();
      await new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase(databaseName);
        request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error ?? new Error(`cannot delete IndexedDB database ${databaseName}`));
      });
    },
    async readEvents() {
      await batches.writing;
      // Before consent (no connection yet) open only to read, and close again.
      const own = connection === null;
      const db = own ? await openDatabase(databaseName, false) : await connection;
      if (!db) return [];
      try {
        const transaction = db.transaction(STORE, 'readonly');
        return await settled(transaction.objectStore(STORE).index('timestamp').getAll() as IDBRequest<TrackerEvent[]>);
      } finally {
        if (own) db.close();
      }
    },
  };
}
