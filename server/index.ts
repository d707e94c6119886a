/**
 * `footprint/server`: the Footprint server for Node programs (Node only).
 * `footprint serve` runs the same thing from the command line.
 */
export { createServer, type FootprintServer } from './server.ts';
export type { ServerOptions, ProjectSettings, ClickHouseOptions } from './options.ts';
export { createEmbedToken } from './auth/embed-token.ts';
export { KeyRing } from './auth/keys.ts';
export { readServerSecret } from './auth/secret.ts';
export { openFileStore, type FileStore, type FileStoreOptions } from './storage/file-store.ts';
