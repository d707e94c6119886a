import initSqlJs from 'sql.js/dist/sql-wasm-browser.js';
import type { SqlJsStatic } from 'sql.js';

import { readWasmInNode } from './node-wasm-file.ts';
import type { WasmOptions } from './wasm-options.ts';

const WASM_FILE = 'sql-wasm.wasm';

function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === 'string' && typeof (globalThis as { window?: unknown }).window === 'undefined';
}

function toArrayBuffer(bytes: ArrayBuffer | Uint8Array): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

let defaultEngine: Promise<SqlJsStatic> | undefined;

/**
 * Loads sql.js once per set of options. With no options the engine is shared
 * by every store of the page or process.
 */
export function loadSqlJs(options: WasmOptions = {}): Promise<SqlJsStatic> {
  if (options.wasmBinary) return initSqlJs({ wasmBinary: toArrayBuffer(options.wasmBinary) });
  if (options.wasmUrl) {
    const url = options.wasmUrl;
    return initSqlJs({ locateFile: () => url });
  }
  if (!defaultEngine) {
    defaultEngine = (isNode()
      ? readWasmInNode().then((bytes) => initSqlJs({ wasmBinary: toArrayBuffer(bytes) }))
      : initSqlJs({ locateFile: () => new URL(`./${WASM_FILE}`, import.meta.url).href })
    ).catch((error: unknown) => {
      defaultEngine = undefined;
      throw error;
    });
  }
  return defaultEngine;
}
