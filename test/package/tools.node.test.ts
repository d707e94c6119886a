// What only the benchmark, the extension's packaging or the VS Code suite
// needs is installed on first use (scripts/tools.mjs), not by `npm install`.
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './package-helpers.ts';

interface Tools {
  TOOLS: Record<string, string[]>;
  TOOLS_DIR: string;
  ensureNpmTool(name: string, packages: string[]): Promise<string>;
  importFromTool(dir: string, name: string): Promise<{ answer: number }>;
}

describe('tools installed on first use (scripts/tools.mjs)', function () {
  this.timeout(120_000);
  let work: string;
  let tools: Tools;
  let previous: string | undefined;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'footprint-tools-'));
    previous = process.env.FOOTPRINT_TOOLS;
    process.env.FOOTPRINT_TOOLS = join(work, 'tools');
    // A module of its own (the query string), reading FOOTPRINT_TOOLS as it loads.
    tools = (await import(`${pathToFileURL(join(root, 'scripts/tools.mjs')).href}?test`)) as Tools;
  });

  after(() => {
    if (previous === undefined) delete process.env.FOOTPRINT_TOOLS;
    else process.env.FOOTPRINT_TOOLS = previous;
    rmSync(work, { recursive: true, force: true });
  });

  it('leaves the benchmark engines, vsce, playwright-core and chdb out of package.json, and nothing npm test runs imports them', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: object; devDependencies: object };
    const installed = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.devDependencies)];
    const onFirstUse = Object.values(tools.TOOLS).flat().map((spec) => spec.replace(/(?<=.)@[^@]+$/, ''));
    expect(onFirstUse).to.deep.equal(['@duckdb/node-api', '@vscode/vsce', 'playwright-core', 'chdb']);
    expect(installed.filter((name) => onFirstUse.includes(name))).to.deep.equal([]);
    const sources = ['shared', 'widgets', 'test', 'scripts', 'extension/src', 'extension/webview'].flatMap((folder) =>
      readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
        .filter((file) => /\.(ts|mjs|js)$/.test(file) && !file.startsWith('e2e'))
        .map((file) => join(folder, file)),
    );
    const importing = sources.filter((file) => onFirstUse.some((name) => readFileSync(join(root, file), 'utf8').includes(`from '${name}'`) || readFileSync(join(root, file), 'utf8').includes(`import('${name}')`)));
    expect(importing).to.deep.equal([]);
  });

  it('installs a set into its folder once, reuses it, and redoes a folder holding other packages', async () => {
    const pkg = join(work, 'answer');
    mkdirSync(pkg);
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'answer', version: '1.0.0', type: 'module', main: 'index.js' }));
    writeFileSync(join(pkg, 'index.js'), 'export const answer = 42;\n');
    expect(tools.TOOLS_DIR).to.equal(join(work, 'tools'));
    const dir = await tools.ensureNpmTool('answer', [pkg]);
    expect(dir).to.equal(join(work, 'tools', 'answer'));
    expect((await tools.importFromTool(dir, 'answer')).answer).to.equal(42);
    const marker = join(dir, '.footprint-installed.json');
    const installedAt = statSync(marker).mtimeMs;
    expect(await tools.ensureNpmTool('answer', [pkg])).to.equal(dir);
    expect(statSync(marker).mtimeMs).to.equal(installedAt);
    // Another set under the same name: removed and installed again.
    writeFileSync(join(dir, 'stale.txt'), 'from the first install');
    await tools.ensureNpmTool('answer', [`answer@file:${pkg}`]);
    expect(existsSync(join(dir, 'stale.txt'))).to.equal(false);
    expect((JSON.parse(readFileSync(marker, 'utf8')) as { packages: string[] }).packages).to.deep.equal([`answer@file:${pkg}`]);
  });
});
