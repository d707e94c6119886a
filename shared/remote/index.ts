/** The store over a message port (a Web Worker, a MessagePort, a webview bridge): see protocol.ts. */
export { connectStore, type ConnectOptions, type RemoteStore } from './client.ts';
export { serveStore, type OpenStoreFunction, type StoreServer } from './serve.ts';
export type { MessagePortLike, RemoteStoreOptions, StoreProgress } from './protocol.ts';
