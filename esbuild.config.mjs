// Every bundle Footprint ships, built by `npm run build` (or imported by
// scripts that need a fresh build, e.g. `npm start`):
//   dist/footprint.js     the core as one ES module for Node 20+ and browsers
//   dist/sql-wasm.wasm    sql.js's engine, found beside the module at run time
//   dist/types/           the core's type declarations (package.json "types")
//   dist/demo/            the demo page served by `npm start`
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);
const sqlWasm = require.resolve('sql.js/dist/sql-wasm.wasm');

/** Options shared by the bundles that must run both in Node and in browsers. */
const universal = {
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  mainFields: ['module', 'main'],
  // Node built-ins are only reached through dynamic imports on the Node path.
  external: ['node:*'],
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
};

export async function buildCore() {
  await esbuild.build({ ...universal, entryPoints: [join(root, 'shared/index.ts')], outfile: join(dist, 'footprint.js') });
  copyFileSync(sqlWasm, join(dist, 'sql-wasm.wasm'));
}

export function buildTypes() {
  rmSync(join(dist, 'types'), { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.types.json')], { stdio: 'inherit' });
}

export async function buildDemo() {
  const out = join(dist, 'demo');
  mkdirSync(out, { recursive: true });
  await esbuild.build({ ...universal, entryPoints: [join(root, 'widgets/demo/demo.ts')], outfile: join(out, 'demo.js'), minify: true });
  copyFileSync(join(root, 'widgets/demo/index.html'), join(out, 'index.html'));
  copyFileSync(sqlWasm, join(out, 'sql-wasm.wasm'));
}

export async function buildAll() {
  mkdirSync(dist, { recursive: true });
  await buildCore();
  buildTypes();
  await buildDemo();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  await buildAll();
  console.log(`built dist/ in ${Math.round(performance.now() - started)} ms`);
}
