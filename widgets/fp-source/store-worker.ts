/**
 * The Web Worker in which `fp-source` keeps its store, so that reading and
 * querying a million events never blocks the page. It answers the remote
 * protocol of shared/remote/ (see `connectStore`). The page always sends the
 * absolute URL of `sql-wasm.wasm` with `open`: the built bundle starts this
 * worker from a Blob URL, against which no relative URL resolves.
 */
import { openStore } from '../../shared/store/store.ts';
import type { MessagePortLike } from '../../shared/remote/protocol.ts';
import { serveStore } from '../../shared/remote/serve.ts';

// The type checker sees the page's `self` (lib "DOM"); in a worker, `self` is the worker's global scope, which is a port.
serveStore(self as unknown as MessagePortLike, openStore);
