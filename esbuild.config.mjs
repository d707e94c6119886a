// Every bundle Footprint ships, built by `npm run build` (or imported by
// scripts that need a fresh build, e.g. `npm start`):
//   dist/footprint.js     the core as one ES module for Node 20+ and browsers
//   dist/sql-wasm.wasm    sql.js's engine, found beside the module at run time
//   dist/types/           the core's type declarations (package.json "types")
//   dist/demo/            the demo admin panel served by `npm start`
//   dist/examples/        examples/index.html with the widget files beside it
//   dist/custom-elements.json  the widgets' API, from their JSDoc
//   dist/footprint-widgets.js  the web components for a script tag, with
//                         footprint-store.js (the store fp-source runs in a
//                         worker) and sql-wasm.wasm beside it
//   extension/dist/       the VS Code extension: extension.js (the host, one
//                         CommonJS file, `vscode` external), webview.js (the
//                         dashboard page) and sql-wasm.wasm; ignored by git
//                         (`dist/`), packed by `vsce package` (`npm run package`)
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
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

/**
 * dist/demo/ (or `out`: the benchmark times the page in a folder of its own): the admin panel of
 * `npm start`, built as a user would use the widgets: their script tag and files beside it.
 */
export async function buildDemo(out = join(dist, 'demo')) {
  await buildWidgets(out);
  await esbuild.build({ ...browser, entryPoints: [join(root, 'widgets/demo/demo.ts')], outfile: join(out, 'demo.js') });
  copyFileSync(join(root, 'widgets/demo/index.html'), join(out, 'index.html'));
}

/** Options of the bundles that run only in browsers (the widgets and their store worker). */
const browser = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  // The core reaches Node built-ins only through dynamic imports on its Node path, never taken in a browser.
  external: ['node:*'],
  minify: true,
  logLevel: 'warning',
};

/**
 * In the widgets bundle, widgets/fp-source/store-runtime.ts points at
 * footprint-store.js beside the bundle instead of the store's source file,
 * so the page's script carries no copy of the core. A page on another
 * origin than the files (a CDN) cannot start a worker from their URL: a
 * Blob-URL module that imports it (CORS allowing) stands in.
 */
function storeBesideBundle() {
  const runtime = join(root, 'widgets/fp-source/store-runtime.ts');
  return {
    name: 'footprint-store-beside-bundle',
    setup(build) {
      build.onLoad({ filter: /[\\/]store-runtime\.ts$/ }, (args) => {
        if (args.path !== runtime) return undefined;
        return {
          loader: 'js',
          contents: [
            '// Written by esbuild.config.mjs (storeBesideBundle).',
            "const url = new URL('./footprint-store.js', import.meta.url);",
            'export function createStoreWorker() {',
            '  try {',
            "    return new Worker(url, { type: 'module' });",
            '  } catch (error) {',
            "    if (error?.name !== 'SecurityError') throw error;",
            "    const shim = URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' }));",
            "    return new Worker(shim, { type: 'module' });",
            '  }',
            '}',
            'export function loadStoreModule() {',
            '  return import(url.href);',
            '}',
            '',
          ].join('\n'),
        };
      });
    },
  };
}

/**
 * dist/footprint-widgets.js: every element of widgets/index.ts in one
 * minified ES module for a `<script type="module">` tag, with sql-wasm.wasm
 * beside it. Prints its size, gzipped. `outDir` defaults to dist/.
 */
export async function buildWidgets(outDir = dist) {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'footprint-widgets.js');
  const storeFile = join(outDir, 'footprint-store.js');
  await esbuild.build({ ...browser, entryPoints: [join(root, 'widgets/index.ts')], outfile, sourcemap: true, legalComments: 'linked', plugins: [storeBesideBundle()] });
  await esbuild.build({ ...browser, entryPoints: [join(root, 'widgets/fp-source/store-worker.ts')], outfile: storeFile, sourcemap: true, legalComments: 'linked' });
  copyFileSync(sqlWasm, join(outDir, 'sql-wasm.wasm'));
  const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
  const sizes = (file) => {
    const code = readFileSync(file);
    return { bytes: code.length, gzipped: gzipSync(code, { level: 9 }).length };
  };
  const widgets = sizes(outfile);
  const store = sizes(storeFile);
  console.log(`footprint-widgets.js: ${kB(widgets.bytes)}, ${kB(widgets.gzipped)} gzipped; footprint-store.js (loaded by fp-source): ${kB(store.bytes)}, ${kB(store.gzipped)} gzipped; sql-wasm.wasm beside them`);
  return { file: outfile, storeFile, ...widgets };
}

/** dist/examples/: a plain admin page that uses nothing but the widgets' script tag, with the files it needs beside it. */
export async function buildExamples() {
  const out = join(dist, 'examples');
  await buildWidgets(out);
  copyFileSync(join(root, 'examples/index.html'), join(out, 'index.html'));
}

/** dist/custom-elements.json: the elements' attributes, properties, events and CSS API, from their JSDoc. */
export function buildManifest() {
  execFileSync(process.execPath, [require.resolve('@custom-elements-manifest/analyzer/cem.js'), 'analyze', '--config', join(root, 'custom-elements-manifest.config.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
}

/**
 * extension/dist/: the VS Code extension's host (CommonJS, as VS Code loads
 * it; `vscode` is provided by VS Code) and its webview bundle. The host
 * passes sql.js the wasm bytes itself (dist/sql-wasm.wasm), so the core's
 * `import.meta.url` lookups, which CommonJS lacks, only need a stand-in.
 */
export async function buildExtension() {
  const out = join(root, 'extension/dist');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await esbuild.build({
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    entryPoints: [join(root, 'extension/src/extension.ts')],
    outfile: join(out, 'extension.js'),
    external: ['vscode'],
    define: { 'import.meta.url': '__footprintModuleUrl' },
    banner: { js: "const __footprintModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    sourcemap: true,
    logLevel: 'warning',
  });
  await esbuild.build({ ...browser, entryPoints: [join(root, 'extension/webview/main.ts')], outfile: join(out, 'webview.js'), sourcemap: true, legalComments: 'linked' });
  copyFileSync(sqlWasm, join(out, 'sql-wasm.wasm'));
  return out;
}

export async function buildAll() {
  mkdirSync(dist, { recursive: true });
  await buildCore();
  buildTypes();
  buildManifest();
  await buildWidgets();
  await buildDemo();
  await buildExamples();
  await buildExtension();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  // `node esbuild.config.mjs extension`: only the VS Code extension (npm run package).
  if (process.argv[2] === 'extension') await buildExtension();
  else await buildAll();
  console.log(`built ${process.argv[2] === 'extension' ? 'extension/dist/' : 'dist/'} in ${Math.round(performance.now() - started)} ms`);
}
