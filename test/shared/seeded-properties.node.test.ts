// Reads the test files from disk, so it runs in Node only (properties.test.ts runs in Chromium too).
import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';

describe('property tests reproduce', () => {
  it('every fast-check run in test/ is given a seed beside its numRuns, so its inputs are the same on every run', async () => {
    const root = new URL('../', import.meta.url);
    const files = (await readdir(root, { recursive: true })).filter((file) => file.endsWith('.ts'));
    const unseeded: string[] = [];
    for (const file of files) {
      const lines = (await readFile(new URL(file, root), 'utf8')).split('\n');
      lines.forEach((line, i) => {
        if (/\bnumRuns\s*:/.test(line) && !/\bseed\b/.test(line)) unseeded.push(`test/${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(unseeded).to.deep.equal([]);
  });
});
