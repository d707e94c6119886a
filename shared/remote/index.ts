/** The store over a message port (a Web Worker, a MessagePort, a webview bridge): see protocol.ts. */
export { connectStore, type ConnectOptions, type RemoteStore } from './client.ts';
export { serveStore, type OpenStoreFunction, type StoreServer } from './serve.ts';
export type { MessagePortLike, RemoteStoreOptions, StoreProgress } from './protocol.ts';
/** A Footprint server as a Source, over HTTP: see http-source.ts. */
export { connectServer, type ServerSource, type ServerSourceOptions } from './http-source.ts';
export { LIVE_BACKOFF, type LiveChange, type LiveOptions } from './live-subscription.ts';
export { ServerError, ServerSpecError, type ServerAnswerError } from './server-error.ts';
/** An extension installation's secret and the user id derived from it: see installation-id.ts. */
export { installationIdOf, isInstallationSecret, newInstallationSecret, INSTALLATION_SECRET_LENGTH } from './installation-id.ts';
