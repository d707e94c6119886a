// Every bundle Footprint ships, built by `npm run build` (or imported by
// scripts that need a fresh build, e.g. `npm start`):
//   dist/footprint.js     the core as one ES module for Node and browsers
//                         (package.json exports: `node` and `default`)
//   dist/footprint.browser.js  the same core without its Node-only path (no
//                         `node:` import), for browser bundlers (`browser`)
//   dist/sql-wasm.wasm    sql.js's engine, found beside the module at run time
//   dist/tracker.js       `footprint/tracker`: the web tracker alone, for bundlers
//   dist/footprint-tracker.js  the tracker for a script tag: `Footprint.createTracker`
//   dist/types/           type declarations of the core, the tracker and the widgets
//   dist/widgets/         `footprint/widgets` (index.js) and one module per element
//                         (fp-trend.js, ...) for bundlers, lit and chart.js left
//                         to the app's bundler, footprint-store.js and
//                         sql-wasm.wasm beside them
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
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
 * The core's browser build leaves out shared/store/node-wasm-file.ts, the
 * one module that imports Node built-ins (it reads the wasm file from disk):
 * browsers find the wasm by URL and never call it.
 */
function nodeOnlyLeftOut() {
  return {
    name: 'footprint-node-only-left-out',
    setup(build) {
      build.onLoad({ filter: /[\\/]shared[\\/]store[\\/]node-wasm-file\.ts$/ }, () => ({
        loader: 'js',
        contents: [
          '// Written by esbuild.config.mjs (nodeOnlyLeftOut): the browser build has no Node path.',
          'export async function readWasmInNode() {',
          "  throw new Error('footprint: this is the core built for browsers (exports condition browser), which reads no file; in Node, footprint resolves to its node build');",
          '}',
          '',
        ].join('\n'),
      }));
    },
  };
}

/** dist/footprint.js (Node and browsers), dist/footprint.browser.js (browser bundlers: no `node:` import) and the wasm beside them. */
export async function buildCore() {
  const entryPoints = [join(root, 'shared/index.ts')];
  await esbuild.build({ ...universal, entryPoints, outfile: join(dist, 'footprint.js') });
  await esbuild.build({ ...universal, platform: 'browser', external: [], entryPoints, outfile: join(dist, 'footprint.browser.js'), plugins: [nodeOnlyLeftOut()] });
  copyFileSync(sqlWasm, join(dist, 'sql-wasm.wasm'));
}

/** Bytes of a built file, and gzipped (level 9, as a server would send it). */
export function fileSizes(file) {
  const code = readFileSync(file);
  return { bytes: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

/**
 * The web tracker on its own: dist/tracker.js, the `footprint/tracker`
 * entry for bundlers, and dist/footprint-tracker.js for a script tag:
 * `window.Footprint.createTracker` and `httpSink`, what a site without a
 * bundler (and so without a store on the page) sends events with. Both
 * minified: a tracker is loaded by every page of a site.
 */
export async function buildTracker(outDir = dist) {
  const entryPoints = [join(root, 'shared/tracker/standalone.ts')];
  const module = join(outDir, 'tracker.js');
  const script = join(outDir, 'footprint-tracker.js');
  await esbuild.build({ ...browser, external: [], entryPoints, outfile: module, sourcemap: true, legalComments: 'linked' });
  const scriptTag = { contents: "export { createTracker, httpSink } from './standalone.ts';", resolveDir: join(root, 'shared/tracker'), sourcefile: 'footprint-tracker.js', loader: 'ts' };
  await esbuild.build({ ...browser, external: [], format: 'iife', globalName: 'Footprint', stdin: scriptTag, outfile: script, sourcemap: true, legalComments: 'linked' });
  return { module: { file: module, ...fileSizes(module) }, script: { file: script, ...fileSizes(script) } };
}

/** dist/types/: declarations of the core (dist/types/shared/), the tracker and the widgets (dist/types/widgets/). */
export function buildTypes() {
  rmSync(join(dist, 'types'), { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.types.json')], { stdio: 'inherit' });
}

/**
 * In the widgets' builds, widgets/fp-source/store-runtime.ts points at
 * footprint-store.js beside the bundle instead of the store's source file,
 * so the page's script carries no copy of the core. Written as
 * `new Worker(new URL('./footprint-store.js', import.meta.url))`, the form
 * Vite and webpack recognise in dist/widgets/: they bundle the worker and
 * give it its URL. A page on another origin than the files (a CDN) cannot
 * start a worker from their URL: a Blob-URL module that imports it (CORS
 * allowing) stands in.
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
            'export function createStoreWorker() {',
            '  try {',
            "    return new Worker(new URL('./footprint-store.js', import.meta.url), { type: 'module' });",
            '  } catch (error) {',
            "    if (error?.name !== 'SecurityError') throw error;",
            "    const url = new URL('./footprint-store.js', import.meta.url);",
            "    const shim = URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' }));",
            "    return new Worker(shim, { type: 'module' });",
            '  }',
            '}',
            'export function loadStoreModule() {',
            "  return import(/* @vite-ignore */ /* webpackIgnore: true */ new URL('./footprint-store.js', import.meta.url).href);",
            '}',
            '',
          ].join('\n'),
        };
      });
    },
  };
}

/** footprint-store.js (the store fp-source runs in a worker, sql.js and the core inside) and sql-wasm.wasm, into `outDir`. */
async function buildStore(outDir) {
  const storeFile = join(outDir, 'footprint-store.js');
  await esbuild.build({ ...browser, entryPoints: [join(root, 'widgets/fp-source/store-worker.ts')], outfile: storeFile, sourcemap: true, legalComments: 'linked' });
  copyFileSync(sqlWasm, join(outDir, 'sql-wasm.wasm'));
  return storeFile;
}

/**
 * dist/footprint-widgets.js: every element of widgets/index.ts in one
 * minified ES module for a `<script type="module">` tag, with
 * footprint-store.js and sql-wasm.wasm beside it. `outDir` defaults to
 * dist/. Resolves to the files and their sizes (bytes, gzipped).
 */
export async function buildWidgets(outDir = dist) {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'footprint-widgets.js');
  await esbuild.build({ ...browser, entryPoints: [join(root, 'widgets/index.ts')], outfile, sourcemap: true, legalComments: 'linked', plugins: [storeBesideBundle()] });
  const storeFile = await buildStore(outDir);
  return { file: outfile, storeFile, ...fileSizes(outfile), store: fileSizes(storeFile) };
}

/** The elements, one per widgets/fp-NAME/ folder holding fp-NAME.ts: their tags, sorted. */
export function elementTags() {
  const folder = join(root, 'widgets');
  return readdirSync(folder)
    .filter((name) => name.startsWith('fp-') && existsSync(join(folder, name, `${name}.ts`)))
    .sort();
}

/**
 * dist/widgets/: the elements as ES modules for an app's bundler:
 * index.js (`footprint/widgets`, every element) and one module per element
 * (`footprint/widgets/fp-trend`), found from the widgets/fp-NAME/ folders,
 * with shared code in chunks beside them. Lit and Chart.js stay imports
 * (package dependencies), so an app bundles one copy of each. The store
 * worker and the wasm sit beside the modules, where
 * `new URL('./x', import.meta.url)` points.
 */
export async function buildWidgetModules(outDir = join(dist, 'widgets')) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const entryPoints = Object.fromEntries([['index', join(root, 'widgets/index.ts')], ...elementTags().map((tag) => [tag, join(root, 'widgets', tag, `${tag}.ts`)])]);
  await esbuild.build({
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    packages: 'external',
    splitting: true,
    entryPoints,
    outdir: outDir,
    // Flat, beside the entries: `new URL('./footprint-store.js', import.meta.url)` in a chunk must point at the store.
    chunkNames: 'chunk-[hash]',
    sourcemap: true,
    legalComments: 'linked',
    logLevel: 'warning',
    plugins: [storeBesideBundle()],
  });
  await buildStore(outDir);
  return { outDir, entries: Object.keys(entryPoints) };
}

/** dist/demo/ (or `out`: the benchmark times the page in a folder of its own): the admin panel of `npm start` and its shop page, built as a user would use the widgets: their script tag and files beside it. */
export async function buildDemo(out = join(dist, 'demo')) {
  await buildWidgets(out);
  await esbuild.build({ ...browser, entryPoints: [join(root, 'widgets/demo/demo.ts')], outfile: join(out, 'demo.js') });
  await esbuild.build({ ...browser, entryPoints: [join(root, 'widgets/demo/shop.ts')], outfile: join(out, 'shop.js') });
  copyFileSync(join(root, 'widgets/demo/index.html'), join(out, 'index.html'));
  copyFileSync(join(root, 'widgets/demo/shop.html'), join(out, 'shop.html'));
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
 * The VS Code library's SQLite side (extension/src/store-side.ts: compaction,
 * the store, the dashboard's bridge) is a file of its own in the media folder,
 * footprint-media/store.cjs, required on first use: the library's loader
 * (store-side-loader.ts) becomes this require. So an author's bundle carries
 * none of it, and activation compiles none of it.
 */
function storeSideFromMedia() {
  return {
    name: 'footprint-store-side-from-media',
    setup(build) {
      build.onLoad({ filter: /[\\/]extension[\\/]src[\\/]store-side-loader\.ts$/ }, () => ({
        resolveDir: join(root, 'extension/src'),
        loader: 'ts',
        contents: [
          '// Written by esbuild.config.mjs (storeSideFromMedia).',
          "import { join } from 'node:path';",
          "import { mediaFolder } from './media.ts';",
          "import type { StoreSide } from './store-side-loader.ts';",
          'let side: StoreSide | undefined;',
          'export async function loadStoreSide(): Promise<StoreSide> {',
          "  side ??= require(join(mediaFolder(), 'store.cjs')) as StoreSide;",
          '  return side;',
          '}',
          '',
        ].join('\n'),
      }));
    },
  };
}

/**
 * In store.cjs, sql.js is not bundled either: the core's import of it becomes
 * a function that requires sql-wasm.cjs beside store.cjs the first time a
 * store opens (a .cjs file, so that an author's package of type "module"
 * cannot make Node read it as an ES module).
 */
function sqlJsBeside() {
  return {
    name: 'footprint-sqljs-beside',
    setup(build) {
      build.onResolve({ filter: /^sql\.js\/dist\/sql-wasm-browser\.js$/ }, () => ({ path: 'sql.js', namespace: 'footprint-sqljs-beside' }));
      build.onLoad({ filter: /.*/, namespace: 'footprint-sqljs-beside' }, () => ({
        loader: 'js',
        contents: [
          '// Written by esbuild.config.mjs (sqlJsBeside).',
          'export default function initSqlJs(config) {',
          "  return require(require('node:path').join(__dirname, 'sql-wasm.cjs'))(config);",
          '}',
          '',
        ].join('\n'),
      }));
    },
  };
}

/** The library's code for Node (CommonJS, as VS Code loads extensions; `vscode` is VS Code's). */
const vscodeHost = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node18',
  external: ['vscode'],
  // The core's `import.meta.url` lookups are never reached (the library passes the wasm bytes), but CommonJS has no import.meta.
  define: { 'import.meta.url': '__footprintModuleUrl' },
  banner: { js: "const __footprintModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [storeSideFromMedia(), sqlJsBeside()],
  // The `require`s of computed paths are storeSideFromMedia's and sqlJsBeside's, on purpose.
  logOverride: { 'unsupported-require-call': 'silent' },
  logLevel: 'warning',
};

/** `footprint-media/` in `outDir`: the SQLite side (store.cjs) with sql.js and its wasm, and the dashboard's webview bundle, loaded from there on demand. */
async function buildVscodeMedia(outDir) {
  const media = join(outDir, 'footprint-media');
  rmSync(media, { recursive: true, force: true });
  mkdirSync(media, { recursive: true });
  // No source map: the folder ships inside each author's .vsix.
  await esbuild.build({ ...vscodeHost, entryPoints: [join(root, 'extension/src/store-side.ts')], outfile: join(media, 'store.cjs') });
  await esbuild.build({ ...browser, entryPoints: [join(root, 'extension/webview/main.ts')], outfile: join(media, 'webview.js'), legalComments: 'linked' });
  copyFileSync(require.resolve('sql.js/dist/sql-wasm.js'), join(media, 'sql-wasm.cjs'));
  copyFileSync(sqlWasm, join(media, 'sql-wasm.wasm'));
  return media;
}

/**
 * dist/vscode/: `footprint/vscode`, the library any extension adds
 * (index.cjs, not minified: the author's bundler minifies), with
 * footprint-media/ beside it, where the library looks for it unless told.
 */
export async function buildVscodeLibrary(outDir = join(dist, 'vscode')) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await esbuild.build({ ...vscodeHost, entryPoints: [join(root, 'extension/src/index.ts')], outfile: join(outDir, 'index.cjs'), sourcemap: true });
  await buildVscodeMedia(outDir);
  // Declarations under a folder whose package.json says CommonJS: extensions are CommonJS, and TypeScript
  // refuses to let a CommonJS file import declarations it reads as ECMAScript modules (the package's type).
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.vscode-types.json')], { stdio: 'inherit' });
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
  return outDir;
}

/**
 * extension/dist/: the Footprint extension (extension.js, the library's
 * first user, bundled from source as an author's bundler would) and the
 * library's footprint-media/ beside it.
 */
export async function buildExtension() {
  const out = join(root, 'extension/dist');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await esbuild.build({ ...vscodeHost, entryPoints: [join(root, 'extension/src/extension.ts')], outfile: join(out, 'extension.js'), sourcemap: true });
  await buildVscodeMedia(out);
  return out;
}

/**
 * dist/server/: the server for Node, `footprint/server` (index.js) and the
 * `footprint` command (cli.js, run by bin/footprint.mjs), with their shared
 * code in chunks beside them. Dependencies (better-sqlite3, jose, bowser,
 * isbot) stay imports, resolved from node_modules at run time.
 */
export async function buildServer(outDir = join(dist, 'server')) {
  rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    splitting: true,
    entryPoints: { index: join(root, 'server/index.ts'), cli: join(root, 'server/cli/main.ts') },
    outdir: outDir,
    chunkNames: 'chunk-[hash]',
    sourcemap: true,
    logLevel: 'warning',
  });
  return outDir;
}

/** Everything `npm run build` writes; resolves to the sizes its summary prints. */
export async function buildAll() {
  mkdirSync(dist, { recursive: true });
  await buildCore();
  const tracker = await buildTracker();
  buildTypes();
  buildManifest();
  const widgets = await buildWidgets();
  await buildWidgetModules();
  await buildDemo();
  await buildExamples();
  await buildExtension();
  await buildVscodeLibrary();
  await buildServer();
  return { widgets, tracker };
}

/** The build's summary of what a page downloads: one line per file a page loads. */
export function sizeLines({ widgets, tracker }) {
  const size = ({ bytes, gzipped }) => `${kB(bytes)}, ${kB(gzipped)} gzipped`;
  return [
    `footprint-widgets.js: ${size(widgets)}; footprint-store.js (loaded by fp-source): ${size(widgets.store)}; sql-wasm.wasm beside them`,
    `footprint-tracker.js (script tag): ${size(tracker.script)}; tracker.js (footprint/tracker): ${size(tracker.module)}`,
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  // `node esbuild.config.mjs extension`: only the VS Code extension (npm run package).
  if (process.argv[2] === 'extension') await buildExtension();
  else for (const line of sizeLines(await buildAll())) console.log(line);
  console.log(`built ${process.argv[2] === 'extension' ? 'extension/dist/' : 'dist/'} in ${Math.round(performance.now() - started)} ms`);
}
