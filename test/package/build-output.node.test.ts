// `npm run build`: its summary says each size once, and it writes every file
// package.json's exports point at (the per-element pattern expanded for each
// widgets/fp-NAME/ folder).
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './package-helpers.ts';

type Target = string | Record<string, string>;

describe('npm run build', function () {
  this.timeout(300_000);
  let output: string;

  before(() => {
    output = execFileSync(process.execPath, [join(root, 'esbuild.config.mjs')], { cwd: root, encoding: 'utf8' });
  });

  it('prints each size line once', () => {
    const lines = output.trim().split('\n');
    expect(lines.filter((line) => line.startsWith('footprint-widgets.js:')).length).to.equal(1);
    expect(lines.filter((line) => line.startsWith('footprint-tracker.js')).length).to.equal(1);
    expect(lines.at(-1)).to.match(/^built dist\/ in \d+ ms$/);
  });

  it('writes every file package.json exports', async () => {
    const { elementTags } = (await import(pathToFileURL(join(root, 'esbuild.config.mjs')).href)) as { elementTags: () => string[] };
    const { exports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, Target> };
    const files = Object.entries(exports).flatMap(([key, target]) => {
      const paths = typeof target === 'string' ? [target] : Object.values(target);
      return key.includes('*') ? elementTags().flatMap((tag) => paths.map((path) => path.replaceAll('fp-*', tag))) : paths;
    });
    expect(files.length).to.be.greaterThan(elementTags().length * 2);
    expect(files.filter((file) => !existsSync(join(root, file)))).to.deep.equal([]);
  });
});
