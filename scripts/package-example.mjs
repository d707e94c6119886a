#!/usr/bin/env node
// `npm run package:example`: builds the example extension examples/vscode-word-count
// as an outside author would, from the built package, and packs it as a .vsix:
//   1. builds the library (dist/vscode/) and packs the package with `npm pack`,
//      as it would be published, into examples/vscode-word-count/footprint.tgz
//      (the example's package.json depends on `file:footprint.tgz`);
//   2. `npm install` in the example (lifecycle scripts off: the example needs none
//      of the package's native parts, which only the server uses);
//   3. the example's type check (tsc) against the package's declarations;
//   4. `vsce package` there, which runs the example's own build (esbuild, then the
//      library's footprint-media/ copied beside the bundle) and writes
//      examples/vscode-word-count/word-count-<version>.vsix. Prints its path last.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildVscodeLibrary } from '../esbuild.config.mjs';
import { binOfTool, ensureNpmTool, run, TOOLS } from './tools.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const example = join(root, 'examples', 'vscode-word-count');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

try {
  await buildVscodeLibrary();
  const packed = join(root, '.cache', 'example-pack');
  rmSync(packed, { recursive: true, force: true });
  // npm pack writes into the folder but does not make it (npm 11: ENOENT).
  mkdirSync(packed, { recursive: true });
  await run(npm, ['pack', '--silent', '--pack-destination', packed], { cwd: root });
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  copyFileSync(join(packed, `footprint-${version}.tgz`), join(example, 'footprint.tgz'));
  // A fresh copy of the package each time: npm keeps a file: dependency it installed before.
  rmSync(join(example, 'node_modules', 'footprint'), { recursive: true, force: true });
  await run(npm, ['install', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: example });
  // The author's type check, against the declarations the package ships.
  await run(process.execPath, [join(example, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', example], { cwd: example });
  const vsce = binOfTool(await ensureNpmTool('vsce', TOOLS.vsce), '@vscode/vsce', 'vsce');
  await run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license'], { cwd: example });
  const manifest = JSON.parse(readFileSync(join(example, 'package.json'), 'utf8'));
  console.log(join(example, `${manifest.name}-${manifest.version}.vsix`));
} catch (error) {
  console.error(`npm run package:example: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
