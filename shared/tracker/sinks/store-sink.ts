import type { IngestReport, Store } from '../../store/store.ts';
import { BatchWriter } from './batch-writer.ts';
import type { SinkContext, TrackerEvent, TrackerSink } from './sink.ts';

/** What the store sink needs of a store: `ingest`, and `deleteUser` to honour "delete what was stored". */
export type TrackerStore = Pick<Store, 'ingest'> & Partial<Pick<Store, 'deleteUser'>>;

/**
 * Ingests events into a Footprint store on the page (an `openStore()`
 * result, a store in a worker from `connectStore()`, an `fp-source`'s
 * `store`), so the page's widgets show the usage as it happens. Events of
 * one task go in one `ingest` call. With consent revoked and `deleteStored`,
 * the user's events are removed with `deleteUser` (given the raw id, which a
 * pseudonymizing store hashes as it did at ingest).
 */
export function storeSink(store: TrackerStore): TrackerSink {
  if (typeof store !== 'object' || store === null || typeof store.ingest !== 'function') {
    throw new TypeError('storeSink(store): store must have an ingest() method (give the result of openStore() or connectStore())');
  }
  let context: SinkContext | null = null;
  const batches = new BatchWriter(async (events, onError) => {
    try {
      report(await store.ingest(events), events, onError);
    } catch (error) {
      onError(new Error(`store sink: ingest of ${events.length} events failed: ${(error as Error).message}`));
    }
  }, () => context);

  return {
    name: 'store',
    start(given) {
      context = given;
    },
    write(event) {
      batches.add(event);
    },
    flush: () => batches.flush(),
    async stop({ dropUnsent }) {
      if (dropUnsent) batches.drop();
      await batches.flush();
      context = null;
    },
    async deleteStored({ userIds }) {
      if (typeof store.deleteUser !== 'function') return;
      for (const userId of userIds) await store.deleteUser(userId);
    },
  };
}

/** Reports the events a store refused: a tracker's events should all be accepted, so a refusal is a defect to see. */
function report(result: IngestReport, events: readonly TrackerEvent[], onError: (error: Error) => void): void {
  for (const { index, reason } of result.rejected) {
    onError(new Error(`store sink: the store refused event '${events[index]?.event}' (${reason})`));
  }
}
