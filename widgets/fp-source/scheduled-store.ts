/** A store handed out by `fp-source`: its queries go through a ScheduledSource, and changing its data drops the kept results. */
import type { Query, QueryOptions, Store } from '../../shared/index.ts';
import type { ScheduledSource } from './scheduled-source.ts';

/**
 * `store` with its queries answered by `scheduler` (which must be in front of
 * `store`). Every change (ingest, delete, purge, close) forgets the kept
 * results as it is asked for: a query asked afterwards reaches the store
 * after the change (a store answers in order), so it sees the new data.
 */
export function scheduledStore(store: Store, scheduler: ScheduledSource): Store {
  const changing =
    <A extends unknown[], R>(change: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      scheduler.invalidate();
      return change.apply(store, args);
    };
  return {
    query: <Q extends Query>(spec: Q, options?: QueryOptions) => scheduler.query(spec, options),
    ingest: changing(store.ingest),
    ingestText: changing(store.ingestText),
    deleteUser: changing(store.deleteUser),
    purgeBefore: changing(store.purgeBefore),
    close: changing(store.close),
    export: () => store.export(),
  };
}
