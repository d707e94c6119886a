#!/usr/bin/env node
// `npm run package`: packs extension/ into extension/footprint-<version>.vsix
// with vsce, which is installed on first use into .cache/tools/vsce
// (scripts/tools.mjs) rather than by `npm install`. vsce runs the
// extension's `vscode:prepublish` script, which builds extension/dist/.
// Arguments after `--` go to `vsce package`.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binOfTool, ensureNpmTool, TOOLS } from './tools.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
let vsce;
try {
  vsce = binOfTool(await ensureNpmTool('vsce', TOOLS.vsce), '@vscode/vsce', 'vsce');
} catch (error) {
  console.error(`npm run package: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', ...process.argv.slice(2)], { cwd: join(root, 'extension'), stdio: 'inherit' });
process.exit(result.status ?? 1);
