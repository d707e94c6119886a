/**
 * Node's way to sql.js's engine: the wasm file read from disk. Its own
 * module so that the core's browser build (package.json `browser`
 * condition) can leave it out: esbuild.config.mjs swaps it for a stub
 * there, and no `node:` import reaches a browser bundle.
 */

const WASM_FILE = 'sql-wasm.wasm';

/**
 * Reads the wasm file in Node: beside this module first (the published
 * `dist/` layout), then from the installed `sql.js` package (running from
 * source). sql.js's own `locateFile` path misbehaves where Node has a global
 * fetch, so Node always gets the bytes.
 */
export async function readWasmInNode(): Promise<Uint8Array> {
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
      return await fs.readFile(path);
    } catch {
      // try the next place
    }
  }
  throw new Error(`sql.js wasm not found (looked in: ${candidates.join(', ')}); pass the wasmBinary or wasmUrl option`);
}
