#!/usr/bin/env node
// The `footprint` command (package.json "bin"): server/cli/main.ts, built into dist/server/cli.js.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/server/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('footprint: dist/server/cli.js is missing; in a clone of the repository, run `npm run build` first\n');
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
