/** Where an `fp-source` keeps the store it opens itself: a Web Worker (the default) or the page. */
import type { IngestReport, RemoteStore, RemoteStoreOptions, SampleDataOptions, Store } from '../../shared/index.ts';
import { connectStore } from '../../shared/remote/client.ts';
import { createStoreWorker, loadStoreModule } from './store-runtime.ts';

/** A store the element opened itself, in a worker or in the page; released when other data replaces it. */
export interface Backend {
  open(options: RemoteStoreOptions, transfer?: Transferable[]): Promise<Store>;
  loadSample(options: SampleDataOptions): Promise<IngestReport>;
  release(): void;
}

export class WorkerBackend implements Backend {
  private readonly worker: Worker;
  private readonly remote: RemoteStore;

  constructor(onEvents: (events: number | undefined) => void) {
    this.worker = createStoreWorker();
    this.remote = connectStore(this.worker, { name: 'the store worker', onProgress: (progress) => onEvents(progress.events) });
  }

  async open(options: RemoteStoreOptions, transfer?: Transferable[]): Promise<Store> {
    await this.remote.open(options, transfer);
    return this.remote;
  }

  loadSample(options: SampleDataOptions): Promise<IngestReport> {
    return this.remote.loadSample(options);
  }

  /** True when `error` says the worker itself failed (its script did not load), rather than a request. */
  isWorkerFailure(error: Error): boolean {
    const reason = this.remote.closedReason;
    return reason !== undefined && error.message.startsWith(reason);
  }

  release(): void {
    this.remote.disconnect('the store worker was stopped (other data replaced it)');
    this.worker.terminate();
  }
}

export class PageBackend implements Backend {
  private store: Store | undefined;
  private released = false;

  constructor(private readonly onEvents: (events: number | undefined) => void) {}

  async open(options: RemoteStoreOptions): Promise<Store> {
    const { openStore } = await loadStoreModule();
    const store = await openStore(options);
    if (this.released) void store.close();
    this.store = store;
    return store;
  }

  async loadSample(options: SampleDataOptions): Promise<IngestReport> {
    const { generateSampleEvents } = await loadStoreModule();
    const events = generateSampleEvents(options);
    this.onEvents(events.length);
    return this.store!.ingest(events);
  }

  release(): void {
    this.released = true;
    void this.store?.close().catch(() => undefined);
  }
}
