// The retention purge (server.ts): at listen() and every hour, each
// project's events older than its retentionDays go; projects without it
// keep theirs.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileStore } from '../../server/storage/file-store.ts';
import { startServer } from './harness.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 15, 12);

describe('the retention purge', () => {
  let data: string;
  beforeEach(() => {
    data = mkdtempSync(join(tmpdir(), 'fp-retention-'));
    mkdirSync(join(data, 'projects'));
  });
  afterEach(() => rmSync(data, { recursive: true, force: true }));

  /** The events a project's file holds. */
  const stored = async (project: string): Promise<string[]> => {
    const store = await openFileStore(join(data, 'projects', `${project}.sqlite`));
    const { events } = await store.query({ kind: 'events', from: '2000-01-01', to: '2026-06-15' });
    await store.close();
    return events.map((e) => e.uuid!).sort();
  };

  it("removes at listen() the events older than a project's retentionDays, in that project only", async () => {
    for (const project of ['shop', 'blog']) {
      const store = await openFileStore(join(data, 'projects', `${project}.sqlite`));
      await store.ingest([40, 20, 1].map((days) => ({ uuid: `${days}d`, event: 'open', user_id: 'u', timestamp: NOW - days * DAY })));
      await store.close();
    }
    const logs: Record<string, unknown>[] = [];
    const server = await startServer({ data, now: () => NOW, projects: { shop: { retentionDays: 30 } }, log: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) });
    await server.server.close();
    const purges = logs.filter((line) => line.message === 'retention purge').map(({ project, removed, retentionDays }) => ({ project, removed, retentionDays }));
    expect(purges).to.deep.equal([{ project: 'shop', removed: 1, retentionDays: 30 }]);
    expect(await stored('shop')).to.deep.equal(['1d', '20d']);
    expect(await stored('blog')).to.deep.equal(['1d', '20d', '40d']);
  });

  it('keeps everything when no project has a retention', async () => {
    const store = await openFileStore(join(data, 'projects', 'shop.sqlite'));
    await store.ingest([{ uuid: 'old', event: 'open', user_id: 'u', timestamp: NOW - 4000 * DAY }]);
    await store.close();
    const server = await startServer({ data, now: () => NOW });
    await server.server.close();
    expect(await stored('shop')).to.deep.equal(['old']);
  });
});
