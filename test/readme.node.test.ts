import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openStore, type Query } from '../shared/index.ts';

/** The README's "Query kinds by example": every printed result is what the store answers. */
const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');

/** The JSON blocks that follow a marker comment (one block, or a spec block and its result block). */
function blocksAfter(marker: string, count: number): unknown[][] {
  const found: unknown[][] = [];
  for (const part of readme.split(marker).slice(1)) {
    const blocks = [...part.matchAll(/```json\n([\s\S]*?)\n```/g)].slice(0, count).map((m) => JSON.parse(m[1]!) as unknown);
    found.push(blocks);
  }
  return found;
}

describe('README examples', () => {
  const [[events]] = blocksAfter('<!-- example-events -->', 1) as [[unknown[]]];
  const examples = blocksAfter('<!-- example -->', 2) as [Query, unknown][];

  it('shows one example per query kind', async () => {
    const { QUERY_KINDS } = await import('../shared/index.ts');
    expect(examples.map(([spec]) => spec.kind).sort()).to.deep.equal([...QUERY_KINDS].sort());
  });

  for (const [spec, result] of examples) {
    it(`prints what the store answers for ${spec.kind}`, async () => {
      const store = await openStore({ now: () => Date.UTC(2026, 10, 28, 12) });
      expect((await store.ingest(events)).accepted).to.equal(events.length);
      expect(await store.query(spec)).to.deep.equal(result);
    });
  }
});

describe('README event format', () => {
  it('lists every field with the aliases ingest accepts (shared/ingest/event.ts FIELD_ALIASES)', async () => {
    const { FIELD_ALIASES } = await import('../shared/ingest/event.ts');
    const section = readme.slice(readme.indexOf('## The event format'), readme.indexOf('## ', readme.indexOf('## The event format') + 3));
    const rows = [...section.matchAll(/^\| `(\w+)` \|.*\| *(.*?) *\|$/gm)].map(([, field, aliases]) => [field, [...aliases!.matchAll(/`([^`]+)`/g)].map((m) => m[1])]);
    expect(rows).to.deep.equal(Object.entries(FIELD_ALIASES).map(([field, names]) => [field, names.slice(1)]));
  });
});
