// `npm start`: the demo. Builds the widgets, the demo pages and the server, then starts a Footprint
// server on a data folder seeded with the built-in sample data and serves, on the same port, the demo
// admin panel (it reads the server through fp-source's endpoint) and a small shop page (it records its
// visitors, once they allow it, and sends to the same server). A second project, `word-count`, holds
// the users of a made-up VS Code extension, as footprint/vscode records them: the panel's "Extension
// authors" view. The data folder is made again at each start (.cache/demo-data), so the sample data
// ends today.
import { mkdirSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildCore, buildDemo, buildServer } from '../esbuild.config.mjs';
import { fileHandler, listenOnFreePort } from './serve.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const PROJECT = 'demo';
/** The extension's project: what its author's Footprint server holds. */
const EXTENSION_PROJECT = 'word-count';
/** How long the admin panel's embed tokens live; fp-source asks /demo/token for a new one when one expires. */
const TOKEN_SECONDS = 15 * 60;

await Promise.all([buildCore(), buildServer(), buildDemo()]);
const { createServer, createEmbedToken, KeyRing, readServerSecret, openFileStore } = await import(pathToFileURL(join(root, 'dist/server/index.js')).href);
const { generateSampleEvents, generateExtensionSampleEvents } = await import(pathToFileURL(join(root, 'dist/footprint.js')).href);

const data = join(root, '.cache', 'demo-data');
rmSync(data, { recursive: true, force: true });
mkdirSync(join(data, 'projects'), { recursive: true });
const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
/** Makes a project's store holding `events`; resolves to the ingest's report. */
async function seed(project, events) {
  const store = await openFileStore(join(data, 'projects', `${project}.sqlite`), { timezone });
  const report = await store.ingest(events);
  await store.close();
  return report;
}
/** Where both sample data sets end: now, so they end today. */
const sampleEnd = Date.now();
const report = await seed(PROJECT, generateSampleEvents({ end: sampleEnd }));
const extensionReport = await seed(EXTENSION_PROJECT, generateExtensionSampleEvents({ end: sampleEnd }));
const writeKey = KeyRing.open(data).create(PROJECT, 'write', 'demo shop').key;
const secret = readServerSecret(data);

const files = fileHandler(join(root, 'dist', 'demo'));
let footprint;
/** The demo's own backend: what an admin page's server does for its widgets (mint a token) and a site's config. */
function demoRoute(path, query, response) {
  const send = (body) => response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  // sampleEnd: the same options generate the same events again (the demo's test checks the panel's numbers with them).
  if (path === '/demo/config') return send({ endpoint: '/v1', writeKey, sampleEnd }), true;
  if (path === '/demo/token') {
    // The panel asks for either demo project; a real admin page's backend would check who asks, and for what.
    const project = query.get('project') ?? PROJECT;
    if (project !== PROJECT && project !== EXTENSION_PROJECT) {
      response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `project: must be '${PROJECT}' or '${EXTENSION_PROJECT}', got '${project}'` }));
      return true;
    }
    createEmbedToken({ secret, project, ttlSeconds: TOKEN_SECONDS }).then(
      (token) => send({ token, expiresAt: new Date(Date.now() + TOKEN_SECONDS * 1000).toISOString() }),
      (error) => response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: error.message })),
    );
    return true;
  }
  return false;
}
const http = createHttpServer((request, response) => {
  const { pathname: path, searchParams } = new URL(request.url ?? '/', 'http://localhost');
  if (path.startsWith('/v1/')) return void footprint.handle(request, response);
  if (demoRoute(path, searchParams, response)) return;
  void files(request, response);
});
const url = await listenOnFreePort(http, Number(process.env.PORT) || 8080);
const origin = new URL(url).origin;
footprint = createServer({
  data,
  // The panel, on this origin, reads both projects.
  projects: Object.fromEntries([PROJECT, EXTENSION_PROJECT].map((project) => [project, { origins: [origin, origin.replace('localhost', '127.0.0.1')], timezone }])),
  // The demo prints only what went wrong; `footprint serve` logs every request.
  log: (line) => {
    if (JSON.parse(line).level !== 'info') console.error(line);
  },
});
console.log(`Footprint demo: ${url}  (admin panel; the shop that records to it: ${url}shop.html)`);
console.log(
  `A Footprint server answers under ${url}v1 with ${report.accepted.toLocaleString('en-US')} sample events in project ${PROJECT} and ${extensionReport.accepted.toLocaleString('en-US')} of an extension's users in ${EXTENSION_PROJECT} (${url}#extension), in ${join('.cache', 'demo-data')}, made again at each start. Ctrl+C to stop.`,
);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    http.close();
    http.closeIdleConnections();
    void footprint.close().then(() => process.exit(0));
  });
}
