/**
 * Where `fp-source` gets its store code. From source (the dev server), the
 * worker starts from store-worker.ts and page mode imports that module; in
 * the widgets bundle, esbuild.config.mjs swaps this module for one pointing
 * at footprint-store.js beside the bundle. Either way the core (sql.js and
 * every metric) is not part of the page's own script.
 */

/** The store module: `openStore` and the sample data, for page mode. */
export type StoreModule = typeof import('./store-worker.ts');

export function createStoreWorker(): Worker {
  return new Worker(new URL('./store-worker.ts', import.meta.url), { type: 'module' });
}

export function loadStoreModule(): Promise<StoreModule> {
  return import('./store-worker.ts');
}
