/**
 * Starts the store worker of `fp-source` from its source file (served by the
 * dev server, or bundled by a tool that understands `new URL(..., import.meta.url)`).
 * esbuild.config.mjs replaces this module in the widgets bundle by one that
 * inlines the bundled worker and starts it from a Blob URL, so that a single
 * script tag is enough.
 */
export function createStoreWorker(): Worker {
  return new Worker(new URL('./store-worker.ts', import.meta.url), { type: 'module' });
}
