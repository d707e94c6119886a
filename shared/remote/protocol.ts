/**
 * The messages between a store and its remote users: a small typed
 * request/response protocol over any message port (a Worker, a MessagePort,
 * a VS Code webview bridge). Every message is plain structured-cloneable
 * data, tagged so that a port carrying other traffic can share the channel.
 *
 *   client                                  store side (serveStore)
 *                      <-  { fp, type: 'ready' }   (once, when it starts listening)
 *   { fp, type: 'request', client, id, method, params }  ->
 *                      <-  { fp, type: 'progress', client, id, progress }   (zero or more)
 *                      <-  { fp, type: 'response', client, id, ok: true, result }
 *                          | { fp, type: 'response', client, id, ok: false, error }
 */
import { DataError, SpecError } from '../errors.ts';
import type { TextFormat } from '../ingest/text.ts';
import type { Query } from '../query/kinds.ts';
import type { SampleDataOptions } from '../sample-data.ts';
import type { IngestReport, StoreOptions } from '../store/store.ts';

/** The tag and version every message of the protocol carries (`fp: 1`); other messages are ignored. */
export const PROTOCOL_VERSION = 1;

/** What a port needs: a Worker, a MessagePort, a worker's `self`, a webview bridge all fit. */
export interface MessagePortLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener?(type: 'message', listener: (event: MessageEvent) => void): void;
  /** MessagePorts must be started to receive messages; called when present. */
  start?(): void;
}

/** `openStore`'s options that can cross a port: everything but the `now` function. */
export type RemoteStoreOptions = Omit<StoreOptions, 'now'>;

/** Each request: its parameters and what it resolves to. */
export interface RemoteRequests {
  /** Opens the store (closing one opened before on this port). */
  open: { params: [options: RemoteStoreOptions]; result: null };
  ingest: { params: [events: readonly unknown[]]; result: IngestReport };
  ingestText: { params: [text: string, format?: TextFormat]; result: IngestReport };
  /** Generates the built-in sample data on the store side and ingests it. */
  loadSample: { params: [options?: SampleDataOptions]; result: IngestReport };
  query: { params: [spec: Query]; result: unknown };
  export: { params: []; result: Uint8Array };
  deleteUser: { params: [userId: string | number]; result: number };
  purgeBefore: { params: [date: string | number | Date]; result: number };
  close: { params: []; result: null };
}

export type RemoteMethod = keyof RemoteRequests;

export const REMOTE_METHODS: readonly RemoteMethod[] = ['open', 'ingest', 'ingestText', 'loadSample', 'query', 'export', 'deleteUser', 'purgeBefore', 'close'];

/** Sent by the store side while a request runs: how many events are being ingested. */
export interface StoreProgress {
  phase: 'ingest';
  /** Events (records of a text, counted before reading it; exact for NDJSON) being ingested. */
  events?: number;
}

export interface RequestMessage<M extends RemoteMethod = RemoteMethod> {
  fp: typeof PROTOCOL_VERSION;
  type: 'request';
  /** Tells apart several clients sharing one port. */
  client: string;
  id: number;
  method: M;
  params: RemoteRequests[M]['params'];
}

export interface ProgressMessage {
  fp: typeof PROTOCOL_VERSION;
  type: 'progress';
  client: string;
  id: number;
  progress: StoreProgress;
}

export type ResponseMessage =
  | { fp: typeof PROTOCOL_VERSION; type: 'response'; client: string; id: number; ok: true; result: unknown }
  | { fp: typeof PROTOCOL_VERSION; type: 'response'; client: string; id: number; ok: false; error: SerializedError };

/** Sent once by the store side when it starts listening: the worker's script has loaded. */
export interface ReadyMessage {
  fp: typeof PROTOCOL_VERSION;
  type: 'ready';
}

export type RemoteMessage = ReadyMessage | RequestMessage | ProgressMessage | ResponseMessage;

/** An error as it crosses a port. */
export interface SerializedError {
  name: string;
  message: string;
  /** A SpecError's field. */
  field?: string;
  /** The stack on the side that threw, for debugging. */
  stack?: string;
}

/** Whether a message belongs to this protocol. */
export function isRemoteMessage(data: unknown): data is RemoteMessage {
  return typeof data === 'object' && data !== null && (data as { fp?: unknown }).fp === PROTOCOL_VERSION && typeof (data as { type?: unknown }).type === 'string';
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const out: SerializedError = { name: error.name, message: error.message };
    if (error instanceof SpecError || (error.name === 'SpecError' && typeof (error as { field?: unknown }).field === 'string')) {
      out.field = (error as SpecError).field;
    }
    if (typeof error.stack === 'string') out.stack = error.stack;
    return out;
  }
  return { name: 'Error', message: typeof error === 'string' ? error : String(error) };
}

/**
 * Re-creates an error that crossed a port: a SpecError (with its `field`),
 * a DataError, or an Error carrying the original `name`. The message is the
 * original one, word for word.
 */
export function deserializeError(data: SerializedError): Error {
  let error: Error;
  if (data.name === 'SpecError' && typeof data.field === 'string') {
    error = new SpecError(data.field, '');
    error.message = data.message;
  } else if (data.name === 'DataError') {
    error = new DataError(data.message);
  } else {
    error = new Error(data.message);
    if (data.name && data.name !== 'Error') Object.defineProperty(error, 'name', { value: data.name, configurable: true, writable: true });
  }
  if (data.stack) Object.defineProperty(error, 'remoteStack', { value: data.stack, configurable: true });
  return error;
}

/**
 * Counts the records of a text cheaply, before it is read, for progress: the
 * non-blank lines (after CSV's header row). Exact for NDJSON; for CSV, exact
 * unless a line holds only spaces; undefined when lines do not tell (a JSON
 * array, CSV with quotes, whose fields may span lines).
 */
export function countTextRecords(text: string, format: TextFormat): number | undefined {
  if (format === 'json') return undefined;
  if (format === 'csv' && text.includes('"')) return undefined;
  let count = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      // any character other than space, tab, CR or a BOM makes the line count
      if (c !== 32 && c !== 9 && c !== 13 && c !== 0xfeff) {
        count++;
        break;
      }
    }
    start = end + 1;
  }
  return format === 'csv' ? Math.max(0, count - 1) : count;
}
