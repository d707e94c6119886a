// The sessions kept from ingest (shared/store/kept-sessions.ts) that the
// session kinds read when a query uses the default session options. Each
// test asks the same questions of a store that keeps them and of one that
// keeps none (`keepSessions: false`), which builds every session from the
// events at query time: the answers must be equal after every kind of write.
import { expect } from 'chai';
import { generateSampleEvents, openStore, type Query, type Store } from '../../shared/index.ts';
import { loadSqlJs } from '../../shared/store/sqljs.ts';
import { ev, NOW } from './helpers.ts';

/** A seeded pseudo-random generator (mulberry32), so every run writes the same batches. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Sample events with their session ids taken away from two users in three,
 * so sessions come from the gap and cap rules as well as from `session_id`,
 * and sometimes both for one user.
 */
function sampleEvents(seed: number, count: number): Record<string, unknown>[] {
  const events = generateSampleEvents({ events: count, seed, days: 20, end: Date.UTC(2026, 10, 20) }) as unknown as Record<string, unknown>[];
  const next = random(seed);
  return events.map((e) => {
    const copy = { ...e };
    const user = Number(String(e.user_id).replace(/\D/g, '')) || 0;
    if (user % 3 !== 0 || next() < 0.05) delete copy.session_id;
    return copy;
  });
}

/** Ranges that start and end inside the data, and one that holds all of it. */
const RANGES = [
  { from: '2026-11-05', to: '2026-11-12' },
  { from: '2026-11-03T13:30:00Z', to: '2026-11-09T08:15:00Z' },
  { from: '2026-10-01', to: '2026-11-30' },
];

/** Every question kept sessions answer, in each range. */
const SPECS: Query[] = RANGES.flatMap((range): Query[] => [
  { kind: 'sessions', ...range },
  { kind: 'sessions', interval: 'week', timezone: 'America/Los_Angeles', ...range },
  { kind: 'paths', ...range },
  { kind: 'paths', start: '$pageview', steps: 4, exclude: ['$click'], ...range },
  { kind: 'paths', end: 'report_exported', include: ['$pageview', 'search_used', 'report_exported'], ...range },
  { kind: 'errors', ...range },
  { kind: 'friction', ...range },
  { kind: 'segments', ...range },
  { kind: 'segments', rules: { exploring: { sessions: 2, events: 4 } }, ...range },
]);

async function answers(store: Store): Promise<unknown[]> {
  return Promise.all(SPECS.map((spec) => store.query(spec)));
}

async function expectSameAnswers(kept: Store, built: Store): Promise<void> {
  const fromKept = await answers(kept);
  const fromEvents = await answers(built);
  SPECS.forEach((spec, i) => expect(fromKept[i], JSON.stringify(spec)).to.deep.equal(fromEvents[i]));
}

/** A store that keeps sessions and one that builds them at query time, given the same writes. */
async function pair(): Promise<[Store, Store]> {
  return [await openStore({ now: () => NOW }), await openStore({ now: () => NOW, keepSessions: false })];
}

async function ingestBoth(stores: Store[], events: Record<string, unknown>[]): Promise<void> {
  for (const store of stores) expect((await store.ingest(events)).rejected).to.deep.equal([]);
}

/** `events` in batches of random sizes, each batch shuffled, the batches in a shuffled order: late and out-of-order events. */
function scrambledBatches(events: Record<string, unknown>[], seed: number): Record<string, unknown>[][] {
  const next = random(seed);
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < events.length; ) {
    const size = 1 + Math.floor(next() * 400);
    batches.push(events.slice(i, i + size));
    i += size;
  }
  const shuffle = <T>(list: T[]): T[] => {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    return list;
  };
  return shuffle(batches.map(shuffle));
}

describe('kept sessions', () => {
  it('answer as sessions built from the events do, after one load', async () => {
    const stores = await pair();
    await ingestBoth(stores, sampleEvents(1, 3000));
    await expectSameAnswers(...stores);
  });

  it('answer the same after a bulk load (20,000 events or more at once)', async () => {
    const stores = await pair();
    await ingestBoth(stores, sampleEvents(2, 21_000));
    await expectSameAnswers(...stores);
  });

  for (const seed of [3, 4, 5]) {
    it(`answer the same when events arrive late and out of order, in random batches (seed ${seed})`, async () => {
      const stores = await pair();
      for (const batch of scrambledBatches(sampleEvents(seed, 2500), seed)) await ingestBoth(stores, batch);
      await expectSameAnswers(...stores);
    });
  }

  it('are built again from the session a late event joins, bridges or splits', async () => {
    const stores = await pair();
    const day = '2026-11-06';
    // Two gap sessions 40 minutes apart, a session_id session, and a 25-hour chain the cap splits.
    const chain = Array.from({ length: 76 }, (_, i) => ev('c', Date.UTC(2026, 10, 5, 0, 20 * i), 'tick'));
    await ingestBoth(stores, [
      ev('a', `${day}T10:00:00Z`, 'open'),
      ev('a', `${day}T10:20:00Z`, 'save'),
      ev('a', `${day}T11:00:00Z`, 'open'),
      ev('a', `${day}T11:05:00Z`, 'share', { session_id: 's1' }),
      ev('d', `${day}T10:00:00Z`, 'open'),
      ev('d', `${day}T10:15:00Z`, 'save'),
      ev('d', `${day}T10:30:00Z`, 'open'),
      ...chain,
    ]);
    await expectSameAnswers(...stores);
    // 10:40 bridges a's two gap sessions; an earlier event joins s1; d's new session s9 begins
    // inside d's gap session, which stays whole; one before the chain moves every cap split.
    await ingestBoth(stores, [
      ev('a', `${day}T10:40:00Z`, 'search'),
      ev('a', `${day}T09:00:00Z`, 'export', { session_id: 's1' }),
      ev('d', `${day}T10:10:00Z`, 'help', { session_id: 's9' }),
      ev('c', Date.UTC(2026, 10, 4, 23, 50), 'tick'),
    ]);
    await expectSameAnswers(...stores);
    const sessions = await stores[0].query({ kind: 'sessions', from: '2026-11-04', to: '2026-11-07' });
    // a: one gap session 10:00..11:00 and s1 from 09:00 to 11:05; d: 10:00..10:30 and s9; c: the
    // chain from 23:50, whose event at 23:40 the next day is the last within 24 h (85,800 s), then 00:00..01:00.
    expect([sessions.count, sessions.duration.max, sessions.bounceRate]).to.deep.equal([6, 85_800, 1 / 6]);
  });

  it('count each event once when ingests repeat uuids', async () => {
    const stores = await pair();
    const events = sampleEvents(6, 2000);
    await ingestBoth(stores, events.slice(0, 1200));
    for (const store of stores) {
      const report = await store.ingest([...events.slice(600, 2000), ...events.slice(600, 700)]);
      expect([report.accepted, report.duplicates]).to.deep.equal([800, 700]);
    }
    await expectSameAnswers(...stores);
  });

  it('drop what deleteUser deletes, and build again the sessions a purge cuts', async () => {
    const stores = await pair();
    const events = sampleEvents(7, 3000);
    await ingestBoth(stores, events);
    const users = [...new Set(events.map((e) => String(e.user_id)))].slice(0, 10);
    // 6 November 2026, 10:17 UTC: inside some users' sessions.
    const cut = Date.UTC(2026, 10, 6, 10, 17);
    for (const store of stores) {
      for (const user of users) await store.deleteUser(user);
      await store.purgeBefore(cut);
    }
    await expectSameAnswers(...stores);
    await ingestBoth(stores, scrambledBatches(sampleEvents(8, 1000), 8).flat());
    await expectSameAnswers(...stores);
  });

  it('are built again when a file comes from a version without them, or they do not account for every event', async () => {
    const [kept, built] = await pair();
    await ingestBoth([kept, built], sampleEvents(9, 2000));
    const file = await kept.export();
    const reopened = await openStore({ data: file, now: () => NOW });
    await expectSameAnswers(reopened, built);

    const SQL = await loadSqlJs();
    const older = new SQL.Database(file);
    older.exec('DROP TABLE sessions');
    await expectSameAnswers(await openStore({ data: older.export(), now: () => NOW }), built);
    older.close();

    // An event added by a version that did not keep sessions: the kept ones no longer add up to the events.
    const stale = new SQL.Database(file);
    stale.exec('INSERT INTO events (ts, user_id, name_id) SELECT ts + 1, user_id, name_id FROM events ORDER BY seq LIMIT 1');
    const rebuilt = await openStore({ data: stale.export(), now: () => NOW });
    stale.close();
    const extra = await openStore({ keepSessions: false, data: await rebuilt.export(), now: () => NOW });
    await expectSameAnswers(rebuilt, extra);

    // A file saved without kept sessions opens with them built.
    const withoutFile = await built.export();
    await expectSameAnswers(await openStore({ data: withoutFile, now: () => NOW }), built);
  });
});
