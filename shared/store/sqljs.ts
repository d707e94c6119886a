import initSqlJs from 'sql.js/dist/sql-wasm-browser.js';
import type { SqlJsStatic } from 'sql.js';

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

/**
 * Reads the wasm file in Node: beside this module first (the published
 * `dist/` layout), then from the installed `sql.js` package (running from
 * source). sql.js's own `locateFile` path misbehaves where Node has a global
 * fetch, so Node always gets the bytes.
 */
async function readWasmInNode(): Promise<ArrayBuffer> {
  const fs = await import('node:fs/promises');
  const { fileURLToPath } = await import('node:url');
  const { createRequire } = await import('node:module');
  const candidates: string[] = [];
  if (import.meta.url.startsWith('file:')) candidates.push(fileURLToPath(new URL(`./${WASM_FILE}`, import.meta.url)));
  try {
    candidates.push(createRequire(import.meta.url).resolve(`sql.js/dist/${WASM_FILE}`));
  } catch {
    // sql.js is not installed next to this module: only the file beside it can serve.
  }
  for (const path of candidates) {
    try {
      return toArrayBuffer(await fs.readFile(path));
    } catch {
      // try the next place
    }
  }
  throw new Error(`sql.js wasm not found (looked in: ${candidates.join(', ')}); pass the wasmBinary or wasmUrl option`);
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
      ? readWasmInNode().then((wasmBinary) => initSqlJs({ wasmBinary }))
      : initSqlJs({ locateFile: () => new URL(`./${WASM_FILE}`, import.meta.url).href })
    ).catch((error: unknown) => {
      defaultEngine = undefined;
      throw error;
    });
  }
  return defaultEngine;
}
