import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSampleEvents, openStore, type Query, type Store } from '../../shared/index.ts';
import { openFileStore, type FileStore } from '../../server/storage/file-store.ts';

/**
 * The server's store (native SQLite on disk) against the browser's (sql.js):
 * the same schema and metric SQL must give the same answers, so every kind,
 * with and without `where`, in two time zones, runs on both over the same
 * sample data and the results are compared whole.
 */

const END = Date.UTC(2026, 10, 28, 15);
const DAY = 86_400_000;

function specs(): Query[] {
  const range = { from: '2026-10-01', to: '2026-11-28' };
  const steps = [{ event: 'signup' }, { event: 'onboarding_complete' }, { event: 'first_export' }];
  const base: Query[] = [
    { kind: 'trend', ...range },
    { kind: 'trend', math: 'users', interval: 'week', ...range },
    { kind: 'trend', math: 'wau', ...range },
    { kind: 'trend', math: 'mau', ...range, breakdown: 'plan' },
    { kind: 'trend', math: 'stickiness_ratio', ...range },
    { kind: 'trend', interval: 'hour', from: '2026-11-27', to: '2026-11-28' },
    { kind: 'stickiness', ...range },
    { kind: 'sessions', ...range },
    { kind: 'retention', ...range, interval: 'week' },
    { kind: 'lifecycle', ...range, interval: 'week' },
    { kind: 'funnel', steps, ...range },
    { kind: 'paths', ...range },
    { kind: 'adoption', features: 'all', ...range },
    { kind: 'errors', ...range },
    { kind: 'friction', ...range },
    { kind: 'segments', ...range },
    { kind: 'events', ...range, limit: 50 },
  ] as Query[];
  const where = base.map((spec) => ({ ...spec, where: { plan: 'pro' } }) as Query);
  const berlin = base.map((spec) => ({ ...spec, timezone: 'Europe/Berlin', weekStart: 'sunday' }) as Query);
  return [...base, ...where, ...berlin];
}

describe('file store (server/storage/file-store.ts)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fp-file-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers every kind exactly as the sql.js store does, on the same events', async function () {
    this.timeout(120_000);
    const events = generateSampleEvents({ seed: 7, events: 12_000, days: 60, end: END });
    const browser = await openStore({ now: () => END });
    const file = await openFileStore(join(dir, 'p.sqlite'), { now: () => END });
    try {
      // In several calls, as the server receives them: the kept sessions are built up incrementally.
      for (let i = 0; i < events.length; i += 2_500) {
        const part = events.slice(i, i + 2_500);
        expect(await file.ingest(part)).to.deep.equal(await browser.ingest(part));
      }
      for (const spec of specs()) {
        expect(await file.query(spec), JSON.stringify(spec)).to.deep.equal(await browser.query(spec));
      }
    } finally {
      await browser.close();
      await file.close();
    }
  });

  it('keeps what it stored across a reopen, deduplicating uuids against the file', async () => {
    const path = join(dir, 'p.sqlite');
    const first = await openFileStore(path, { now: () => END });
    const events = [
      { event: 'open', user_id: 'u1', timestamp: END - DAY, uuid: '0190f1d2-3c4b-7a89-8b01-23456789abcd' },
      { event: 'save', user_id: 'u1', timestamp: END - DAY + 1_000 },
    ];
    expect((await first.ingest(events)).accepted).to.equal(2);
    await first.close();
    const again = await openFileStore(path, { now: () => END });
    const report = await again.ingest([events[0]]);
    expect(report).to.include({ accepted: 0, duplicates: 1 });
    const listed = (await again.query({ kind: 'events', from: '2026-11-27', to: '2026-11-28' })) as { events: { event: string }[] };
    expect(listed.events.map((e) => e.event)).to.deep.equal(['save', 'open']);
    await again.close();
  });

  it('exports a file that openStore reopens with the same answers', async () => {
    const file: FileStore = await openFileStore(join(dir, 'p.sqlite'), { now: () => END, timezone: 'Europe/Berlin' });
    await file.ingest(generateSampleEvents({ seed: 3, events: 2_000, days: 20, end: END }));
    const bytes = await file.export();
    const reopened: Store = await openStore({ data: bytes, now: () => END });
    const spec: Query = { kind: 'sessions', from: '2026-11-10', to: '2026-11-28' };
    expect(await reopened.query(spec)).to.deep.equal(await file.query(spec));
    expect(await reopened.query({ kind: 'trend', from: '2026-11-10', to: '2026-11-28' })).to.deep.equal(await file.query({ kind: 'trend', from: '2026-11-10', to: '2026-11-28' }));
    await reopened.close();
    await file.close();
  });

  it('names the file when it is not a SQLite file', async () => {
    const path = join(dir, 'junk.sqlite');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, 'this is not a database, just text that is long enough to have a header and more');
    let message = '';
    try {
      await openFileStore(path);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.match(/junk\.sqlite: not a readable SQLite file/);
  });

  it('stores groups of events in one transaction, reporting on each as if ingested alone in turn', async () => {
    const store = await openFileStore(join(dir, 'p.sqlite'), { now: () => END });
    const t = (minutes: number): number => END - DAY + minutes * 60_000;
    const uuid = '0190f1d2-3c4b-7a89-8b01-23456789abcd';
    const reports = await store.ingestGroups([
      [{ event: 'open', user_id: 'u1', timestamp: t(0), uuid }, { event: 'save', user_id: 'u1', timestamp: t(1), extra: 1 }],
      [{ event: 'no user', timestamp: t(2) }, { event: 'open', user_id: 'u1', timestamp: t(3), uuid }, { event: 'close', user_id: 'u2', timestamp: t(4) }],
      [],
    ]);
    expect(reports).to.deep.equal([
      { accepted: 2, duplicates: 0, rejected: [], ignoredFields: ['extra'] },
      { accepted: 1, duplicates: 1, rejected: [{ index: 0, reason: 'user_id: missing (also accepted: distinct_id, userId, anonymousId, user)' }], ignoredFields: [] },
      { accepted: 0, duplicates: 0, rejected: [], ignoredFields: [] },
    ]);
    const listed = await store.query({ kind: 'events', from: '2026-11-27', to: '2026-11-28' });
    expect(listed.events.map((e) => e.event)).to.deep.equal(['close', 'save', 'open']);
    await store.close();
  });

  it('gives the same reports and the same answers grouped as ingested batch by batch', async function () {
    this.timeout(60_000);
    const events = generateSampleEvents({ seed: 11, events: 3_000, days: 10, end: END });
    // Batches of the server's kind: uneven sizes, a repeated batch (a retry), one refused event.
    const batches: unknown[][] = [];
    for (let i = 0; i < events.length; i += 37 + (i % 5)) batches.push(events.slice(i, i + 37 + (i % 5)));
    batches.splice(3, 0, batches[1]!, [{ event: 'broken' }]);
    const grouped = await openFileStore(join(dir, 'grouped.sqlite'), { now: () => END });
    const alone = await openFileStore(join(dir, 'alone.sqlite'), { now: () => END });
    const reports: unknown[] = [];
    for (let i = 0; i < batches.length; i += 9) reports.push(...(await grouped.ingestGroups(batches.slice(i, i + 9))));
    const one: unknown[] = [];
    for (const batch of batches) one.push(await alone.ingest(batch));
    expect(reports).to.deep.equal(one);
    for (const spec of specs().slice(0, 17)) expect(await grouped.query(spec), JSON.stringify(spec)).to.deep.equal(await alone.query(spec));
    await grouped.close();
    await alone.close();
  });
});

