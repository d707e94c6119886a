// The differential test of the query side on ClickHouse (chdb, ClickHouse
// 26.7): every test table of each kind ClickHouse answers, from the core's own
// test files, run on a store that answers each query on SQLite and on chdb
// and expects deep equality (dual-store.ts), then the random logs of the
// core's differential test. Run by `npm run test:clickhouse`, not `npm test`.
import { storeOpener } from '../shared/helpers.ts';
import { createSchema, openChdb } from './chdb.ts';
import { openDualStore } from './dual-store.ts';

const DATABASE = 'footprint';
const session = await openChdb();
createSchema(session, DATABASE);
storeOpener.open = (options) => openDualStore(session, DATABASE, options);
after(() => session.cleanup());

// Each core test file registers its tests on import; every store they open through storeWith is a dual store.
await import('../shared/events.test.ts');
await import('../shared/trend.test.ts');
await import('../shared/stickiness.test.ts');
await import('../shared/lifecycle.test.ts');
await import('../shared/where.test.ts');
await import('../shared/incomplete.test.ts');
