/** Where sql.js's WebAssembly binary comes from; both fields are optional. */
export interface WasmOptions {
  /** URL of `sql-wasm.wasm`; default: the file beside this module. */
  wasmUrl?: string;
  /** The wasm bytes themselves; wins over `wasmUrl`. */
  wasmBinary?: ArrayBuffer | Uint8Array;
}
