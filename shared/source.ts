import type { Query, ResultOf } from './query/kinds.ts';

/** What a caller may add to a query; every Source may ignore it. */
export interface QueryOptions {
  /**
   * Aborted when the caller no longer wants the answer (a newer spec replaced
   * it). A Source that queues queries drops a queued one whose every caller
   * aborted, and rejects the aborted caller with the signal's reason (an
   * `AbortError` DOMException by default).
   */
  signal?: AbortSignal;
}

/**
 * The one interface widgets see. A store is a Source; so are a store in a
 * Web Worker, a bridge over postMessage (a VS Code webview to its extension
 * host) and an HTTP endpoint. Specs and results are plain JSON.
 */
export interface Source {
  query<Q extends Query>(spec: Q, options?: QueryOptions): Promise<ResultOf<Q>>;
}
