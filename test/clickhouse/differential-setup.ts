import { storeOpener } from '../shared/helpers.ts';
import { createSchema, openChdbSession, type ChdbSession } from './chdb.ts';
import { openDualStore } from './dual-store.ts';

/** The database the differential files create on chdb. */
export const DATABASE = 'footprint';

/**
 * Opens this process's chdb session with the schema, and makes every store
 * the core's test files open (through storeOpener) a dual store (dual-store.ts)
 * on it, so their queries of the kinds ClickHouse answers are compared on both
 * engines; the session is closed after the file's tests. Call once, at the top
 * of a differential file, before importing core test files.
 */
export async function differentialSetup(): Promise<ChdbSession> {
  const session = await openChdbSession();
  createSchema(session, DATABASE);
  storeOpener.open = (options) => openDualStore(session, DATABASE, options);
  storeOpener.timeScale = 5;
  after(() => session.cleanup());
  return session;
}
