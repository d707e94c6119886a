/**
 * What footprint/vscode adds to an author's bundle: a minimal extension
 * (one command) bundled as README "For extension authors" has authors
 * bundle (esbuild `--bundle --minify --format=cjs --platform=node
 * --target=node18 --external:vscode`), once without the library and once
 * with `createUsageRecorder`, `footprint/vscode` resolving to the built
 * library, as the package's exports do.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

/** The minimal extension, without the library. */
export const EXTENSION_WITHOUT = `import * as vscode from 'vscode';
export function activate(context) {
  context.subscriptions.push(vscode.commands.registerCommand('wordCount.countWords', () => vscode.window.showInformationMessage('1 word')));
}
export function deactivate() {}
`;

/** The same extension with the README's five lines. */
export const EXTENSION_WITH = `import * as vscode from 'vscode';
import { createUsageRecorder } from 'footprint/vscode';
let usage;
export function activate(context) {
  usage = createUsageRecorder(context);
  context.subscriptions.push(vscode.commands.registerCommand('wordCount.countWords', () => vscode.window.showInformationMessage('1 word')));
}
export function deactivate() {
  return usage?.dispose();
}
`;

/**
 * Text that only sql.js's script holds (a function of SQLite's C API it
 * binds), and the start of a wasm file (`\0asm`) as base64, the form a
 * bundler inlines it in.
 */
export const SQL_JS_MARKERS: readonly { what: string; text: string }[] = [
  { what: 'sql.js', text: 'sqlite3_prepare_v2' },
  { what: 'the wasm', text: 'AGFzbQ' },
];

/** Which of sql.js and its wasm a bundle's text holds (by SQL_JS_MARKERS). */
export function sqlJsInside(bundle: string): string[] {
  return SQL_JS_MARKERS.filter((marker) => bundle.includes(marker.text)).map((marker) => marker.what);
}

/** A bundle's size in bytes and gzipped (level 9, as esbuild.config.mjs's fileSizes). */
export interface BundleSize {
  file: string;
  bytes: number;
  gzipped: number;
  sqlJsInside: string[];
}

/** Bundles `source` (an extension's entry) as the README's build line does, `footprint/vscode` being `library`, into `outDir/<name>.cjs`. */
export async function bundleExtension(source: string, name: string, outDir: string, library: string): Promise<BundleSize> {
  mkdirSync(outDir, { recursive: true });
  const entry = join(outDir, `${name}.entry.js`);
  writeFileSync(entry, source);
  // .cjs: the output is CommonJS, and the folder is inside this "type": "module" package (an author's is usually not).
  const file = join(outDir, `${name}.cjs`);
  await esbuild.build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    minify: true,
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    external: ['vscode'],
    logLevel: 'warning',
    plugins: [{ name: 'footprint-vscode-built', setup: (build) => build.onResolve({ filter: /^footprint\/vscode$/ }, () => ({ path: library })) }],
  });
  const code = readFileSync(file);
  return { file, bytes: code.length, gzipped: gzipSync(code, { level: 9 }).length, sqlJsInside: sqlJsInside(code.toString('latin1')) };
}
