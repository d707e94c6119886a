// `npm start`: builds the core and the demo page, then serves the demo on localhost.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCore, buildDemo } from '../esbuild.config.mjs';
import { serveFolder } from './serve.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
await buildCore();
await buildDemo();
const { url } = await serveFolder(join(root, 'dist', 'demo'), Number(process.env.PORT) || 8080);
console.log(`Footprint demo: ${url}  (sample data, computed in your browser; Ctrl+C to stop)`);
