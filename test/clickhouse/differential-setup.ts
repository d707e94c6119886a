import type { Query } from '../../shared/index.ts';
import { storeOpener } from '../shared/helpers.ts';
import { createSchema, openChdbSession, type ChdbSession } from './chdb.ts';
import { openDualStore } from './dual-store.ts';

/** The database of the differential files' schema. */
export const DATABASE = 'footprint';

/**
 * The start of a differential test file: a chdb session with the schema
 * (closed after the file's tests), and `storeWith` opening dual stores
 * (dual-store.ts), so that the core's test files imported next run on both
 * engines. `compared` as openDualStore takes it.
 */
export async function differentialSetup(compared?: (spec: Query) => boolean): Promise<ChdbSession> {
  const session = await openChdbSession();
  createSchema(session, DATABASE);
  storeOpener.open = (options) => openDualStore(session, DATABASE, options, compared);
  storeOpener.timeScale = 5;
  after(() => session.cleanup());
  return session;
}
