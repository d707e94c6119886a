/**
 * The user side of the remote protocol: a `Store` (and so a `Source`) whose
 * methods post requests over a port and resolve with the answers.
 *
 *   const worker = new Worker(new URL('./store-worker.ts', import.meta.url), { type: 'module' });
 *   const store = connectStore(worker);
 *   await store.open({ timezone: 'Europe/Berlin', wasmUrl });
 *   await store.ingestText(text);
 *   await store.query({ kind: 'trend', math: 'users' });
 */
import type { TextFormat } from '../ingest/text.ts';
import type { Query, ResultOf } from '../query/kinds.ts';
import type { SampleDataOptions } from '../sample-data.ts';
import type { IngestReport, Store } from '../store/store.ts';
import {
  deserializeError,
  isRemoteMessage,
  PROTOCOL_VERSION,
  type MessagePortLike,
  type RemoteMethod,
  type RemoteRequests,
  type RemoteStoreOptions,
  type RequestMessage,
  type StoreProgress,
} from './protocol.ts';

/** Options of `connectStore`. */
export interface ConnectOptions {
  /** Called with each progress notification of a request (events about to be ingested). */
  onProgress?: (progress: StoreProgress, method: RemoteMethod) => void;
  /** What the other side is called in error messages; default `the remote store`. */
  name?: string;
}

/** A store on the other side of a port. */
export interface RemoteStore extends Store {
  /**
   * Opens the store on the other side (closing one it had open). Must come
   * before any other request. `transfer` hands over buffers, e.g. the
   * `data` of a SQLite file, instead of copying them (they become unusable here).
   */
  open(options?: RemoteStoreOptions, transfer?: Transferable[]): Promise<void>;
  /** Generates the built-in sample data on the other side and ingests it there. */
  loadSample(options?: SampleDataOptions): Promise<IngestReport>;
  /**
   * Stops at once, without asking the other side: every pending request
   * rejects with `reason` (default: `<name> was disconnected`), later calls
   * reject too, and the port is no longer listened to. Call it when
   * terminating the worker.
   */
  disconnect(reason?: string): void;
  /** Why the store cannot be used any more (after `close`, `disconnect`, a closed port or a failed worker), or undefined. */
  readonly closedReason: string | undefined;
}

interface Pending {
  method: RemoteMethod;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

function randomId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

class RemoteStoreClient implements RemoteStore {
  private readonly client = randomId();
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private reason: string | undefined;
  /** True once anything came from the store side: its script runs. */
  private alive = false;
  private readonly name: string;
  private readonly onProgress: ConnectOptions['onProgress'];

  constructor(
    private readonly port: MessagePortLike,
    options: ConnectOptions,
  ) {
    this.name = options.name ?? 'the remote store';
    this.onProgress = options.onProgress;
    port.addEventListener('message', this.onMessage);
    const target = port as Partial<EventTarget>;
    // A Worker whose script failed to load, or a port whose other end closed (Node), answers nothing more.
    target.addEventListener?.('error', this.onError);
    target.addEventListener?.('close', this.onClose);
    port.start?.();
  }

  get closedReason(): string | undefined {
    return this.reason;
  }

  private readonly onMessage = (event: MessageEvent): void => {
    const data: unknown = event.data;
    if (!isRemoteMessage(data) || data.type === 'request') return;
    this.alive = true;
    if (data.type === 'ready' || data.client !== this.client) return;
    const pending = this.pending.get(data.id);
    if (!pending) return;
    if (data.type === 'progress') {
      try {
        this.onProgress?.(data.progress, pending.method);
      } catch (error) {
        // A failing progress listener must not lose the answer.
        queueMicrotask(() => {
          throw error;
        });
      }
      return;
    }
    this.pending.delete(data.id);
    if (data.ok) pending.resolve(data.result);
    else pending.reject(deserializeError(data.error));
    if (this.reason !== undefined && this.pending.size === 0) this.stopListening();
  };

  /**
   * A Worker's `error` event before anything came from it means its script
   * did not load (not found, a syntax error, a blocked Blob URL): it will
   * never answer. Later ones are uncaught errors in a worker that keeps
   * running (and answering), so they are left to the console.
   */
  private readonly onError = (event: Event): void => {
    if (this.alive) return;
    const message = (event as Partial<ErrorEvent>).message;
    this.disconnect(`${this.name} failed to start${message ? ` (${message})` : ''}`);
  };

  private readonly onClose = (): void => {
    this.disconnect(`${this.name} was closed`);
  };

  private stopListening(): void {
    this.port.removeEventListener?.('message', this.onMessage);
    const target = this.port as Partial<EventTarget>;
    target.removeEventListener?.('error', this.onError);
    target.removeEventListener?.('close', this.onClose);
  }

  disconnect(reason = `${this.name} was disconnected`): void {
    this.reason ??= reason;
    const pending = [...this.pending.values()];
    this.pending.clear();
    this.stopListening();
    for (const { method, reject } of pending) reject(new Error(`${reason}: ${method} got no answer`));
  }

  private request<M extends RemoteMethod>(method: M, params: RemoteRequests[M]['params'], transfer: Transferable[] = []): Promise<RemoteRequests[M]['result']> {
    if (this.reason !== undefined) return Promise.reject(new Error(`${this.reason}: cannot ${method}`));
    const id = ++this.nextId;
    const message: RequestMessage<M> = { fp: PROTOCOL_VERSION, type: 'request', client: this.client, id, method, params };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject });
      try {
        if (transfer.length > 0) this.port.postMessage(message, transfer);
        else this.port.postMessage(message);
      } catch (error) {
        this.pending.delete(id);
        const why = error instanceof Error ? error.message : String(error);
        reject(new Error(`${method}: could not be sent to ${this.name} (${why})`));
      }
    });
  }

  async open(options: RemoteStoreOptions = {}, transfer?: Transferable[]): Promise<void> {
    await this.request('open', [options], transfer);
  }

  ingest(events: readonly unknown[]): Promise<IngestReport> {
    return this.request('ingest', [events]);
  }

  ingestText(text: string, format?: TextFormat): Promise<IngestReport> {
    return this.request('ingestText', format === undefined ? [text] : [text, format]);
  }

  loadSample(options: SampleDataOptions = {}): Promise<IngestReport> {
    return this.request('loadSample', [options]);
  }

  query<Q extends Query>(spec: Q): Promise<ResultOf<Q>> {
    return this.request('query', [spec]) as Promise<ResultOf<Q>>;
  }

  export(): Promise<Uint8Array> {
    return this.request('export', []);
  }

  deleteUser(userId: string | number): Promise<number> {
    return this.request('deleteUser', [userId]);
  }

  purgeBefore(date: string | number | Date): Promise<number> {
    return this.request('purgeBefore', [date]);
  }

  async close(): Promise<void> {
    if (this.reason !== undefined) return;
    const closing = this.request('close', []);
    this.reason = 'the store is closed';
    try {
      await closing;
    } finally {
      if (this.pending.size === 0) this.stopListening();
    }
  }
}

/**
 * Connects to a store served by `serveStore` on the other end of `port` (a
 * Worker, a MessagePort, a webview bridge). Requests are matched to their
 * answers by id; errors arrive re-created as SpecError (with `field`),
 * DataError or Error, with the original message. When the port closes or the
 * worker fails, every pending request rejects saying so.
 */
export function connectStore(port: MessagePortLike, options: ConnectOptions = {}): RemoteStore {
  return new RemoteStoreClient(port, options);
}
