import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type Store } from '../../shared/store/store.ts';
import { compact, DATABASE_FILE, loadDatabase } from '../../extension/src/compaction.ts';
import { allEvents, deleteCommand, DELETE, exportBytes } from '../../extension/src/export-delete.ts';
import { journalFolder, listSealed } from '../../extension/src/journal.ts';
import { UsageStorage } from '../../extension/src/storage.ts';

const here = dirname(fileURLToPath(import.meta.url));
const DAY = 86_400_000;

function tempFolder(): string {
  return mkdtempSync(join(tmpdir(), 'footprint-ext-'));
}

/** Runs journal-writer.ts as its own process (a VS Code window); resolves with its exit signal. */
function writer(folder: string, name: string, count: number, every: number, mode = ''): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'journal-writer.ts'), folder, name, String(count), String(every), mode], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

async function storedUuids(folder: string): Promise<string[]> {
  const { store } = await loadDatabase({ folder, warn: () => undefined });
  try {
    return (await allEvents(store)).map((e) => e.uuid!);
  } finally {
    await store.close();
  }
}

function event(uuid: string, timestamp: number, name = 'footprint.showDashboard') {
  return { event: name, user_id: 'machine-1', timestamp, session_id: 's1', uuid, properties: { command: name } };
}

describe('extension storage: journals and compaction', function () {
  this.timeout(120_000);
  let folder: string;
  const warnings: string[] = [];
  beforeEach(() => {
    folder = tempFolder();
    warnings.length = 0;
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('two windows (processes) appending and compacting at the same time: nothing lost, nothing doubled', async () => {
    const [a, b] = await Promise.all([writer(folder, 'a', 400, 50), writer(folder, 'b', 400, 70)]);
    expect([a.code, b.code, a.stderr, b.stderr]).to.deep.equal([0, 0, '', '']);
    // One more compaction, as the next window to start would do.
    await new UsageStorage({ folder, warn: (m) => warnings.push(m), compactAfterMs: 0 }).compact();
    const uuids = await storedUuids(folder);
    const expected = [...Array.from({ length: 400 }, (_, i) => `a-${i}`), ...Array.from({ length: 400 }, (_, i) => `b-${i}`)].sort();
    expect(uuids.length).to.equal(800);
    expect([...uuids].sort()).to.deep.equal(expected);
    expect(readdirSync(journalFolder(folder))).to.deep.equal([]);
    expect(readdirSync(folder).filter((f) => f.includes('lock') || f.includes('.tmp-'))).to.deep.equal([]);
    expect(warnings).to.deep.equal([]);
  });

  it('a window killed between journal write and compaction: its journal is compacted by the next start, once', async () => {
    const crashed = await writer(folder, 'c', 30, 0, 'crash');
    expect(crashed.signal).to.equal('SIGKILL');
    const left = readdirSync(journalFolder(folder));
    expect(left).to.have.length(1);
    expect(left[0]).to.match(/^\d+-[\da-f]{8}\.ndjson$/);
    expect(existsSync(join(folder, DATABASE_FILE))).to.equal(false);

    const next = new UsageStorage({ folder, warn: (m) => warnings.push(m), compactAfterMs: 0 });
    const report = await next.compact();
    expect(report).to.deep.include({ journals: 1, ingested: 30, duplicates: 0 });
    expect((await storedUuids(folder)).length).to.equal(30);
    expect(warnings).to.deep.equal([]);
  });

  it('a crash after the database was written but before the journals were deleted: the journals count nothing twice', async () => {
    const storage = new UsageStorage({ folder, warn: (m) => warnings.push(m), compactAfterMs: 0 });
    const now = Date.now();
    for (let i = 0; i < 5; i++) storage.record(event(`e-${i}`, now - i * 1000));
    storage.journal.seal();
    const sealed = listSealed(folder);
    const copy = readFileSync(sealed[0]!);
    await compact({ folder, warn: (m) => warnings.push(m) });
    // Put the journal back, as if the process died before deleting it.
    writeFileSync(sealed[0]!, copy);
    const report = await storage.compact();
    expect(report).to.deep.include({ journals: 1, ingested: 0, duplicates: 5 });
    expect((await storedUuids(folder)).sort()).to.deep.equal(['e-0', 'e-1', 'e-2', 'e-3', 'e-4']);
  });

  it('a line cut short by a crash is kept aside and reported, the others are stored', async () => {
    const storage = new UsageStorage({ folder, warn: (m) => warnings.push(m), compactAfterMs: 0 });
    storage.record(event('ok-1', Date.now()));
    writeFileSync(storage.journal.path, readFileSync(storage.journal.path, 'utf8') + '{"event":"footprint.sho');
    const report = await storage.compact();
    expect(report).to.deep.include({ ingested: 1, rejected: 1 });
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('unreadable-journal-lines.ndjson');
    expect(readFileSync(join(folder, 'unreadable-journal-lines.ndjson'), 'utf8')).to.contain('{\\"event\\":\\"footprint.sho');
  });

  it('a damaged database file is moved aside, the warning names where, and recording continues', async () => {
    writeFileSync(join(folder, DATABASE_FILE), 'this is not a SQLite file, just text that got here somehow');
    const storage = new UsageStorage({ folder, warn: (m) => warnings.push(m), compactAfterMs: 0 });
    storage.record(event('after-damage', Date.now()));
    const report = await storage.compact();
    const aside = readdirSync(folder).filter((f) => f.startsWith(`${DATABASE_FILE}.damaged-`));
    expect(aside).to.have.length(1);
    expect(report.movedAside).to.equal(join(folder, aside[0]!));
    expect(readFileSync(join(folder, aside[0]!), 'utf8')).to.equal('this is not a SQLite file, just text that got here somehow');
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain(`It was moved to ${join(folder, aside[0]!)}`);
    expect(await storedUuids(folder)).to.deep.equal(['after-damage']);
    storage.record(event('later', Date.now()));
    await storage.compact();
    expect((await storedUuids(folder)).sort()).to.deep.equal(['after-damage', 'later']);
    expect(warnings).to.have.length(1);
  });

  it('events older than retentionDays are purged at compaction', async () => {
    const now = Date.UTC(2026, 10, 28, 12);
    const storage = new UsageStorage({ folder, warn: (m) => warnings.push(m), compactAfterMs: 0, retentionDays: 30, now: () => now });
    storage.record(event('old-31d', now - 31 * DAY));
    storage.record(event('edge-30d', now - 30 * DAY));
    storage.record(event('new-1d', now - DAY));
    const report = await storage.compact();
    expect(report).to.deep.include({ ingested: 3, purged: 1 });
    expect(await storedUuids(folder)).to.deep.equal(['edge-30d', 'new-1d']);
    storage.retentionDays = 7;
    expect((await storage.compact()).purged).to.equal(1);
    expect(await storedUuids(folder)).to.deep.equal(['new-1d']);
  });
});

describe('extension storage: export and delete', function () {
  this.timeout(60_000);
  let folder: string;
  let storage: UsageStorage;
  const now = Date.now();
  beforeEach(() => {
    folder = tempFolder();
    storage = new UsageStorage({ folder, warn: () => undefined, compactAfterMs: 0 });
    storage.record(event('u1', now - 3 * DAY, 'footprint.showDashboard'));
    storage.record({ event: 'dashboard.widget', user_id: 'machine-1', timestamp: now - 2 * DAY, session_id: 's2', uuid: 'u2', properties: { widget: 'fp-trend', note: 'a "quoted", comma' } });
    storage.record({ event: 'session.start', user_id: 'machine-1', timestamp: now - DAY, uuid: 'u3' } as never);
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  async function reimport(bytes: Uint8Array, format: 'ndjson' | 'csv' | 'sqlite'): Promise<Store> {
    if (format === 'sqlite') return openStore({ data: bytes });
    const store = await openStore();
    const report = await store.ingestText(new TextDecoder().decode(bytes), format);
    expect(report.rejected).to.deep.equal([]);
    return store;
  }

  for (const format of ['ndjson', 'csv', 'sqlite'] as const) {
    it(`${format}: export then re-import gives the same events`, async () => {
      const store = await storage.snapshot();
      const original = await allEvents(store);
      expect(original.map((e) => e.uuid)).to.deep.equal(['u1', 'u2', 'u3']);
      const again = await reimport(await exportBytes(store, format), format);
      expect(await allEvents(again)).to.deep.equal(original);
      await Promise.all([store.close(), again.close()]);
    });
  }

  it('delete asks first, deletes every event (stored and journaled), reports the count, and later compactions do not bring them back', async () => {
    await storage.compact();
    storage.record(event('u4', now - 1000));
    const other = new UsageStorage({ folder, warn: () => undefined, compactAfterMs: 0 });
    other.record(event('other-window', now - 500));
    const shown: string[] = [];
    const ui = {
      showQuickPick: async () => undefined,
      showSaveDialog: async () => undefined,
      showWarningMessage: async (message: string, options: { modal: boolean }, ...items: string[]) => {
        shown.push(`${options.modal ? 'modal' : 'toast'}: ${message} [${items.join(', ')}]`);
        return answer;
      },
      showInformationMessage: async (message: string) => void shown.push(message),
      writeFile: async () => undefined,
    };
    let answer: string | undefined;
    expect(await deleteCommand(ui, storage, 'Word Count')).to.equal(undefined);
    expect((await storedUuids(folder)).length).to.equal(3);
    answer = DELETE;
    expect(await deleteCommand(ui, storage, 'Word Count')).to.equal(4);
    // In the extension's name, which its users know, not the library's.
    expect(shown.at(-1)).to.equal('Word Count: 4 events deleted.');
    expect(shown[0]).to.equal('modal: Delete all usage data Word Count recorded on this machine? [Delete]');
    // The other window compacts its journal later: its event predates the deletion, so it stays deleted.
    await other.compact();
    expect(await storedUuids(folder)).to.deep.equal([]);
    storage.record(event('after', Date.now() + 10));
    await storage.compact();
    expect(await storedUuids(folder)).to.deep.equal(['after']);
  });
});

describe('extension storage: compaction at most once a minute', function () {
  let folder: string;
  beforeEach(() => (folder = tempFolder()));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  /** The storage with its compactions counted instead of run. */
  function counted(options: { compactAfterMs?: number }): { storage: UsageStorage; compactions: () => number } {
    const storage = new UsageStorage({ folder, warn: () => undefined, ...options });
    let compactions = 0;
    storage.compact = async () => {
      compactions++;
      return { journals: 0, ingested: 0, duplicates: 0, rejected: 0, purged: 0 };
    };
    return { storage, compactions: () => compactions };
  }

  it('by default, 1,000 events schedule one compaction, 60,000 ms after the first', () => {
    const scheduled: (number | undefined)[] = [];
    const realSetTimeout = globalThis.setTimeout;
    globalThis.setTimeout = ((callback: () => void, ms?: number) => {
      scheduled.push(ms);
      return realSetTimeout(callback, 1e9);
    }) as typeof setTimeout;
    const { storage } = counted({});
    try {
      for (let i = 0; i < 1_000; i++) storage.record(event(`e-${i}`, Date.now()));
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    expect(scheduled).to.deep.equal([60_000]);
    return storage.dispose();
  });

  it('events within the delay share one compaction; the first event after it schedules the next', async () => {
    const { storage, compactions } = counted({ compactAfterMs: 40 });
    for (let i = 0; i < 200; i++) storage.record(event(`a-${i}`, Date.now()));
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(compactions()).to.equal(1);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(compactions()).to.equal(1);
    for (let i = 0; i < 200; i++) storage.record(event(`b-${i}`, Date.now()));
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(compactions()).to.equal(2);
    expect(readFileSync(storage.journal.path, 'utf8').split('\n').filter(Boolean)).to.have.length(400);
  });
});
