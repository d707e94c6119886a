/**
 * The store side of the remote protocol: answers requests arriving on a
 * port with a store it opens on demand. In a Web Worker:
 *
 *   serveStore(self, openStore);
 */
import { detectFormat, TEXT_FORMATS } from '../ingest/text.ts';
import type { generateSampleEvents, SampleDataOptions } from '../sample-data.ts';
import type { Store, StoreOptions } from '../store/store.ts';
import {
  countTextRecords,
  isRemoteMessage,
  PROTOCOL_VERSION,
  REMOTE_METHODS,
  serializeError,
  type MessagePortLike,
  type RemoteMethod,
  type RequestMessage,
  type ResponseMessage,
  type StoreProgress,
} from './protocol.ts';

/** Opens a store from options that crossed the port (`openStore` itself fits). */
export type OpenStoreFunction = (options: StoreOptions) => Promise<Store>;

/** Options of `serveStore`. */
export interface ServeStoreOptions {
  /**
   * Answers `loadSample` (the widgets' worker passes `generateSampleEvents`).
   * A parameter rather than an import, so a server that never offers sample
   * data (the VS Code library's bridge) carries none of it.
   */
  generateSample?: typeof generateSampleEvents;
}

/** What `serveStore` returns. */
export interface StoreServer {
  /** Stops answering requests on the port. The store stays open; a client's `close` request closes it. */
  stop(): void;
}

/**
 * Answers the protocol's requests on `port`: `open` opens a store with
 * `openStoreFn` (closing one opened before), the others run on that store.
 * It first posts a `ready` message (so a client knows the worker's script
 * loaded). Requests run one after another in arrival order; each gets exactly one
 * response, with the result or the error (name, message and a SpecError's
 * field), and `ingest`, `ingestText` and `loadSample` first send a progress
 * notification with the number of events about to be ingested.
 */
export function serveStore(port: MessagePortLike, openStoreFn: OpenStoreFunction, options: ServeStoreOptions = {}): StoreServer {
  let store: Store | null = null;
  /** The end of the queue of requests; never rejects. */
  let tail: Promise<unknown> = Promise.resolve();

  const send = (message: ResponseMessage | { fp: typeof PROTOCOL_VERSION; type: 'progress'; client: string; id: number; progress: StoreProgress }, transfer: Transferable[] = []): void => {
    if (transfer.length > 0) {
      try {
        port.postMessage(message, transfer);
        return;
      } catch {
        // not transferable after all: send a copy
      }
    }
    port.postMessage(message);
  };

  const current = (): Store => {
    if (!store) throw new Error('the store is not open (send open first)');
    return store;
  };

  const execute = async (request: RequestMessage, progress: (p: StoreProgress) => void): Promise<unknown> => {
    const params = request.params as unknown[];
    switch (request.method as RemoteMethod) {
      case 'open': {
        const previous = store;
        store = null;
        if (previous) await previous.close().catch(() => undefined);
        const options = (params[0] ?? {}) as StoreOptions;
        store = await openStoreFn(options);
        return null;
      }
      case 'close': {
        const closing = store;
        store = null;
        if (closing) await closing.close();
        return null;
      }
      case 'ingest': {
        const target = current();
        const events = params[0] as unknown[];
        if (Array.isArray(events)) progress({ phase: 'ingest', events: events.length });
        return target.ingest(events);
      }
      case 'ingestText': {
        const target = current();
        const [text, format] = params as [string, (typeof TEXT_FORMATS)[number] | undefined];
        if (typeof text === 'string') {
          const known = format === undefined ? detectFormat(text) : TEXT_FORMATS.includes(format) ? format : undefined;
          const events = known === undefined ? undefined : countTextRecords(text, known);
          progress(events === undefined ? { phase: 'ingest' } : { phase: 'ingest', events });
        }
        return target.ingestText(text, format);
      }
      case 'loadSample': {
        const target = current();
        if (!options.generateSample) throw new Error('this store serves no sample data');
        const events = options.generateSample((params[0] ?? {}) as SampleDataOptions);
        progress({ phase: 'ingest', events: events.length });
        return target.ingest(events);
      }
      case 'query':
        return current().query(params[0] as Parameters<Store['query']>[0]);
      case 'export':
        return current().export();
      case 'deleteUser':
        return current().deleteUser(params[0] as string | number);
      case 'purgeBefore':
        return current().purgeBefore(params[0] as string | number | Date);
    }
  };

  const answer = async (request: RequestMessage): Promise<void> => {
    const { client, id } = request;
    const progress = (p: StoreProgress): void => send({ fp: PROTOCOL_VERSION, type: 'progress', client, id, progress: p });
    let result: unknown;
    try {
      if (!REMOTE_METHODS.includes(request.method)) throw new Error(`unknown request ${JSON.stringify(request.method)} (known: ${REMOTE_METHODS.join(', ')})`);
      if (!Array.isArray(request.params)) throw new Error(`${request.method}: params must be an array`);
      result = await execute(request, progress);
    } catch (error) {
      send({ fp: PROTOCOL_VERSION, type: 'response', client, id, ok: false, error: serializeError(error) });
      return;
    }
    // An exported file is a fresh array the store keeps no reference to: hand its memory over instead of copying it.
    const transfer = result instanceof Uint8Array && result.buffer instanceof ArrayBuffer && result.byteOffset === 0 && result.byteLength === result.buffer.byteLength ? [result.buffer] : [];
    try {
      send({ fp: PROTOCOL_VERSION, type: 'response', client, id, ok: true, result }, transfer);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      send({ fp: PROTOCOL_VERSION, type: 'response', client, id, ok: false, error: { name: 'Error', message: `${request.method}: the result could not be sent back (${why})` } });
    }
  };

  const listener = (event: MessageEvent): void => {
    const data: unknown = event.data;
    if (!isRemoteMessage(data) || data.type !== 'request') return;
    const run = tail.then(() => answer(data));
    tail = run.catch(() => undefined);
  };

  port.addEventListener('message', listener);
  port.start?.();
  port.postMessage({ fp: PROTOCOL_VERSION, type: 'ready' });
  return {
    stop() {
      port.removeEventListener?.('message', listener);
    },
  };
}
