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

describe('elementDocs on a hand-made manifest', () => {
  // The generator reads the element's file for an `@example`: this one has none.
  const dir = mkdtempSync(join(tmpdir(), 'footprint-docs-'));
  writeFileSync(join(dir, 'fp-x.ts'), '/** An element. */\n');
  const docs = (description: string, events: { name: string; description?: string }[] = []): string =>
    elementDocs({ modules: [{ path: 'fp-x.ts', declarations: [{ name: 'FpX', tagName: 'fp-x', description, events }] }] }, dir) as string;

  it('keeps an example written in the description as a fenced block of its own', () => {
    const text = docs('Shows a thing.\nIt waits.\n\nSecond paragraph.\n\n```html\n<fp-x a="1"></fp-x>\n<fp-y></fp-y>\n```');
    expect(text).to.contain('### `<fp-x>`\n\nShows a thing. It waits.\n\nSecond paragraph.\n\n```html\n<fp-x a="1"></fp-x>\n<fp-y></fp-y>\n```\n');
  });

  it("leaves out an event the analyzer named after a variable (`new CustomEvent(name)`), and writes {@link X} as code", () => {
    const text = docs('An element.', [{ name: 'name' }, { name: 'fp-done', description: 'finished; detail {@link Done}.' }]);
    expect(text).to.contain('| Event | Description |\n|---|---|\n| `fp-done` | finished; detail `Done`. |\n\n');
  });

  it('refuses an fp- event without a description, naming the file and the fix', () => {
    expect(() => docs('An element.', [{ name: 'fp-done' }])).to.throw('fp-x.ts: event fp-done of <fp-x> has no description; add `@event fp-done - what it means; detail ...` to the class JSDoc');
  });
});
