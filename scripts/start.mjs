// `npm start`: the demo. Builds the widgets, the demo pages and the server, then starts a Footprint
// server on a data folder seeded with the built-in sample data and serves, on the same port, the demo
// admin panel (it reads the server through fp-source's endpoint) and a small shop page (it records its
// visitors, once they allow it, and sends to the same server). The data folder is made again at each
// start (.cache/demo-data), so the sample data ends today.
import { mkdirSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildCore, buildDemo, buildServer } from '../esbuild.config.mjs';
import { fileHandler, listenOnFreePort } from './serve.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const PROJECT = 'demo';
/** How long the admin panel's embed tokens live; fp-source asks /demo/token for a new one when one expires. */
const TOKEN_SECONDS = 15 * 60;

await Promise.all([buildCore(), buildServer(), buildDemo()]);
const { createServer, createEmbedToken, KeyRing, readServerSecret, openFileStore } = await import(pathToFileURL(join(root, 'dist/server/index.js')).href);
const { generateSampleEvents } = await import(pathToFileURL(join(root, 'dist/footprint.js')).href);

const data = join(root, '.cache', 'demo-data');
rmSync(data, { recursive: true, force: true });
mkdirSync(join(data, 'projects'), { recursive: true });
const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const seeded = await openFileStore(join(data, 'projects', `${PROJECT}.sqlite`), { timezone });
const report = await seeded.ingest(generateSampleEvents());
await seeded.close();
const writeKey = KeyRing.open(data).create(PROJECT, 'write', 'demo shop').key;
const secret = readServerSecret(data);

const files = fileHandler(join(root, 'dist', 'demo'));
let footprint;
/** The demo's own backend: what an admin page's server does for its widgets (mint a token) and a site's config. */
function demoRoute(path, response) {
  const send = (body) => response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  if (path === '/demo/config') return send({ endpoint: '/v1', writeKey }), true;
  if (path === '/demo/token') {
    createEmbedToken({ secret, project: PROJECT, ttlSeconds: TOKEN_SECONDS }).then(
      (token) => send({ token, expiresAt: new Date(Date.now() + TOKEN_SECONDS * 1000).toISOString() }),
      (error) => response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: error.message })),
    );
    return true;
  }
  return false;
}
const http = createHttpServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path.startsWith('/v1/')) return void footprint.handle(request, response);
  if (demoRoute(path, response)) return;
  void files(request, response);
});
const url = await listenOnFreePort(http, Number(process.env.PORT) || 8080);
const origin = new URL(url).origin;
footprint = createServer({
  data,
  projects: { [PROJECT]: { origins: [origin, origin.replace('localhost', '127.0.0.1')], timezone } },
  // The demo prints only what went wrong; `footprint serve` logs every request.
  log: (line) => {
    if (JSON.parse(line).level !== 'info') console.error(line);
  },
});
console.log(`Footprint demo: ${url}  (admin panel; the shop that records to it: ${url}shop.html)`);
console.log(`A Footprint server answers under ${url}v1 with ${report.accepted.toLocaleString('en-US')} sample events in ${join('.cache', 'demo-data')}, made again at each start. Ctrl+C to stop.`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    http.close();
    http.closeIdleConnections();
    void footprint.close().then(() => process.exit(0));
  });
}
