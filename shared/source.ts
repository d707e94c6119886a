import type { Query, ResultOf } from './query/kinds.ts';

/**
 * The one interface widgets see. A store is a Source; so are a store in a
 * Web Worker, a bridge over postMessage (a VS Code webview to its extension
 * host) and an HTTP endpoint. Specs and results are plain JSON.
 */
export interface Source {
  query<Q extends Query>(spec: Q): Promise<ResultOf<Q>>;
}
