// A small static file server for dist/ folders (the demo page; later test pages).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ndjson': 'application/x-ndjson',
  '.csv': 'text/csv; charset=utf-8',
  '.sqlite': 'application/vnd.sqlite3',
  '.txt': 'text/plain; charset=utf-8',
};

/** A request handler that serves the files of `folder` (index.html for a folder), and nothing outside it. */
export function fileHandler(folder) {
  return async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(folder, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(folder + sep) && file !== folder) {
      response.writeHead(403).end('forbidden');
      return;
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': info.size, 'cache-control': 'no-store' });
      createReadStream(file).pipe(response);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
    }
  };
}

/** Listens on 127.0.0.1, trying `port` and the next 19; resolves to the URL (http://localhost:PORT/). */
export async function listenOnFreePort(server, port = 8080) {
  for (let candidate = port; candidate < port + 20; candidate++) {
    const listening = await new Promise((resolve, reject) => {
      server.once('error', (error) => (error.code === 'EADDRINUSE' ? resolve(false) : reject(error)));
      server.listen(candidate, '127.0.0.1', () => resolve(true));
    });
    if (listening) return `http://localhost:${candidate}/`;
  }
  throw new Error(`no free port between ${port} and ${port + 19}; set PORT to another one`);
}

/** Serves `folder` on 127.0.0.1, trying `port` and the next 19; resolves to { server, url }. */
export async function serveFolder(folder, port = 8080) {
  const server = createServer(fileHandler(folder));
  return { server, url: await listenOnFreePort(server, port) };
}
