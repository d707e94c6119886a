/**
 * The library's SQLite side: compaction into the store, and the dashboard's
 * bridge to it. The rest of the library loads it on first use
 * (store-side-loader.ts); in the built library it is a file of its own,
 * footprint-media/store.cjs, with sql.js beside it, so an author's bundle
 * carries none of it and activation compiles none of it.
 */
export { compact, loadDatabase, DELETED_BEFORE_FILE, type CompactionReport, type StorageOptions } from './compaction.ts';
export { serveWebview } from './bridge.ts';
