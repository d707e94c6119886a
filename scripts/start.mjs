// `npm start`: builds the demo admin panel (the widgets and the store beside them), then serves it on localhost.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDemo } from '../esbuild.config.mjs';
import { serveFolder } from './serve.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
await buildDemo();
const { url } = await serveFolder(join(root, 'dist', 'demo'), Number(process.env.PORT) || 8080);
console.log(`Footprint demo: ${url}  (sample data, computed in your browser; Ctrl+C to stop)`);
