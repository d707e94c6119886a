// An app outside the repo that depends on `footprint` as npm would install
// it (node_modules/footprint, a symlink to the repo), so every import goes
// through package.json's exports; and esbuild, bundling it as an app would.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export interface App {
  dir: string;
  /** Writes a file of the app (creating its folders). */
  write(path: string, text: string): string;
  /** Bundles `entry` of the app for browsers (`platform: 'browser'`, the `browser` condition) into out/. */
  bundle(entry: string, options?: esbuild.BuildOptions): Promise<esbuild.BuildResult & { metafile: esbuild.Metafile }>;
  remove(): void;
}

export function makeApp(): App {
  const dir = mkdtempSync(join(tmpdir(), 'footprint-app-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'footprint'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'an-app', private: true, type: 'module', dependencies: { footprint: '*' } }));
  return {
    dir,
    write(path, text) {
      const file = join(dir, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    bundle(entry, options = {}) {
      return esbuild.build({
        entryPoints: [join(dir, entry)],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        outdir: join(dir, 'out'),
        absWorkingDir: dir,
        metafile: true,
        logLevel: 'silent',
        ...options,
      }) as Promise<esbuild.BuildResult & { metafile: esbuild.Metafile }>;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Static imports or dynamic `import()` of a Node built-in in bundled code (sql.js's own `node:` object keys are not imports). */
export const NODE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']node:[\w/]+["']/;

/** The files a bundle read: the app's relative to the app (`app.js`), the repo's relative to the repo (`dist/tracker.js`, `node_modules/lit/index.js`). */
export function inputsOf(app: App, metafile: esbuild.Metafile): string[] {
  return Object.keys(metafile.inputs).map((path) => {
    const file = resolve(app.dir, path);
    return relative(file.startsWith(app.dir + sep) ? app.dir : root, file).split(sep).join('/');
  });
}
