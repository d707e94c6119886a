/**
 * The store of `fp-source`: in a Web Worker (the default) it answers the
 * remote protocol of shared/remote/ (see `connectStore`), so that reading and
 * querying a million events never blocks the page; with `worker="off"` the
 * page imports it and opens the store itself. The page always sends the
 * absolute URL of `sql-wasm.wasm` with `open`.
 */
import type { MessagePortLike } from '../../shared/remote/protocol.ts';
import { serveStore } from '../../shared/remote/serve.ts';
import { openStore } from '../../shared/store/store.ts';
import { generateSampleEvents } from '../../shared/sample-data.ts';

export { openStore } from '../../shared/store/store.ts';
export { generateSampleEvents } from '../../shared/sample-data.ts';

// Only a worker serves: the page imports this module for its exports alone.
if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'function') {
  // The type checker sees the page's `self` (lib "DOM"); in a worker, `self` is the worker's global scope, which is a port.
  serveStore(self as unknown as MessagePortLike, openStore, { generateSample: generateSampleEvents });
}
