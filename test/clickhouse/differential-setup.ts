import type { Query, StoreOptions } from '../../shared/index.ts';
import { storeOpener } from '../shared/helpers.ts';
import { createSchema, openChdbSession, type ChdbSession } from './chdb.ts';
import { openDualStore } from './dual-store.ts';

/** The database every differential file of the ClickHouse suite keeps its projects in. */
export const DATABASE = 'footprint';

/**
 * Starts a differential file of the ClickHouse suite: a chdb session with
 * the schema, and every store the core's test files open (`storeWith`) a
 * dual store (dual-store.ts), so each of their queries of a kind ClickHouse
 * answers is also answered there and compared. The session is cleaned up
 * after the file's tests. Import the core's test files after this.
 */
export async function dualStoreSuite(): Promise<ChdbSession> {
  const session = await openChdbSession();
  createSchema(session, DATABASE);
  storeOpener.open = (options) => openDualStore(session, DATABASE, options);
  // Every query runs on both engines, and the random-log tests compare all twelve kinds: ten times the time limit.
  storeOpener.timeScale = 10;
  after(() => session.cleanup());
  return session;
}

/**
 * One random log on a dual store of `session`: ingests `raw` (none may be
 * refused) and runs each spec, which the dual store answers on both engines
 * and compares; a difference is thrown with `shown` (the log's calendar and
 * events as a table), so that a failing log can be read.
 */
export async function compareOnLog(session: ChdbSession, options: StoreOptions, raw: readonly unknown[], specs: readonly Query[], shown: () => string): Promise<void> {
  const store = await openDualStore(session, DATABASE, options);
  try {
    const { rejected } = await store.ingest(raw);
    if (rejected.length > 0) throw new Error(`the log's events were refused: ${JSON.stringify(rejected)}`);
    for (const spec of specs) {
      try {
        await store.query(spec);
      } catch (error) {
        throw new Error(`${String(error)}\nwith ${shown()}`);
      }
    }
  } finally {
    await store.close();
  }
}
