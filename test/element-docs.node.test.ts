import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
// @ts-expect-error: a plain ES module script without type declarations
import { elementDocs, END, START } from '../scripts/element-docs.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('README widget reference', function () {
  this.timeout(60_000);

  it('matches the elements as their JSDoc describes them (run `npm run docs` after changing one)', () => {
    // The project's analyzer config, writing into a folder of the test's own (the analyzer takes outdir relative to the working folder).
    const out = mkdtempSync(join(tmpdir(), 'footprint-cem-'));
    const config = join(out, 'config.mjs');
    writeFileSync(config, `import base from ${JSON.stringify(pathToFileURL(join(root, 'custom-elements-manifest.config.mjs')).href)};\nexport default { ...base, outdir: ${JSON.stringify(relative(root, out))} };\n`);
    execFileSync(process.execPath, [join(root, 'node_modules/@custom-elements-manifest/analyzer/cem.js'), 'analyze', '--config', config, '--quiet'], { cwd: root });
    const manifest = JSON.parse(readFileSync(join(out, 'custom-elements.json'), 'utf8')) as unknown;
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf(START), readme.indexOf(END) + (END as string).length);
    expect(section).to.equal(elementDocs(manifest, root));
  });
});
