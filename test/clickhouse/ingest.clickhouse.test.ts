// The ClickHouse side of ingest on chdb (ClickHouse 26.7 in-process): the
// reports equal the SQLite store's, exactly once by uuid (a retried batch, a
// race the lookup misses), erasure, purge and export.
import { expect } from 'chai';
import { UnreadableRecord } from '../../shared/ingest/text.ts';
import type { Query } from '../../shared/query/kinds.ts';
import { openStore } from '../../shared/store/store.ts';
import type { SqlStore } from '../../shared/store/sql-store.ts';
import { ingestClickHouse, LOOKUP_CHUNK, type EventRow } from '../../server/clickhouse/ingest.ts';
import { clickHouseProjectStore } from '../../server/clickhouse/project-store.ts';
import { clickHouseLayout, ensureSchema } from '../../server/clickhouse/schema.ts';
import { openChdb, type Chdb } from './chdb.ts';

const T = Date.UTC(2026, 2, 2, 10, 0, 0);
const layout = clickHouseLayout('footprint');

/** Two groups, as the server gathers two requests: a repeat inside the first, one of the first in the second, an invalid one, one without uuid. */
const GROUPS: unknown[][] = [
  [
    { uuid: 'a', event: 'open', user_id: 'u1', timestamp: T, session_id: 's1', properties: { mail: 'ann@example.com' } },
    { uuid: 'b', event: 'open', user_id: 'u2', timestamp: T + 1000 },
    { event: 'open', timestamp: T },
    { uuid: 'a', event: 'open', user_id: 'u1', timestamp: T },
    { event: 'save', user_id: 'u1', timestamp: T + 2000, extra: 1 },
    new UnreadableRecord('line 6: not JSON'),
  ],
  [
    { uuid: 'b', event: 'open', user_id: 'u2', timestamp: T + 1000 },
    { uuid: 'c', event: 'save', user_id: 'u2', timestamp: T + 3000 },
  ],
];

describe('ClickHouse ingest on chdb', function () {
  this.timeout(120_000);
  let chdb: Chdb;

  before(async () => {
    chdb = await openChdb();
    await ensureSchema(chdb, layout);
  });
  after(async () => chdb?.close());
  beforeEach(() => chdb.command('TRUNCATE TABLE footprint.events'));

  const count = async (project: string, final: boolean): Promise<number> =>
    Number((await chdb.query<{ n: string }>(`SELECT count() AS n FROM footprint.events${final ? ' FINAL' : ''} WHERE project = {p:String}`, { p: project }))[0]!.n);

  it('binds values and answers rows as objects (query) or as arrays in column order (rows, what the query side takes)', async () => {
    expect(await chdb.query('SELECT {n:UInt8} AS n, {s:String} AS s', { n: 7, s: "it's" })).to.deep.equal([{ n: 7, s: "it's" }]);
    expect(await chdb.rows('SELECT {n:UInt8} AS n, {s:String} AS s', { n: 7, s: "it's" })).to.deep.equal([[7, "it's"]]);
  });

  it('makes the one-node schema: events is the ReplacingMergeTree table itself, and a second start changes nothing', async () => {
    await ensureSchema(chdb, layout);
    const [table] = await chdb.query<{ engine: string; sorting_key: string; partition_key: string }>(
      "SELECT engine, sorting_key, partition_key FROM system.tables WHERE database = 'footprint' AND name = 'events'",
    );
    expect(table).to.deep.equal({ engine: 'ReplacingMergeTree', sorting_key: 'project, user_id, ts, uuid', partition_key: 'toYYYYMM(toDateTime(intDiv(ts, 1000)))' });
  });

  it('reports each group as the SQLite store does, and stores the events validated and scrubbed', async () => {
    const sqlite = (await openStore()) as SqlStore;
    const expected = await sqlite.ingestGroups(GROUPS);
    const reports = await ingestClickHouse(chdb, layout, 'shop', GROUPS, 'UTC');
    expect(reports).to.deep.equal(expected);
    expect(reports.map((r) => [r.accepted, r.duplicates, r.rejected.length])).to.deep.equal([
      [3, 1, 2],
      [1, 1, 0],
    ]);
    const rows = await chdb.query<EventRow>('SELECT project, uuid, event, user_id, session_id, ts, properties FROM footprint.events ORDER BY ts, event');
    // The ingestion order: the valid events in the order they came, across the groups.
    const order = await chdb.query<{ uuid: string }>('SELECT uuid FROM footprint.events ORDER BY seq');
    expect(order.map((row) => row.uuid)).to.deep.equal(['a', 'b', rows[2]!.uuid, 'c']);
    const generated = rows.find((row) => row.event === 'save' && row.user_id === 'u1')!.uuid;
    expect(generated).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rows.map((row) => ({ ...row, ts: Number(row.ts) }))).to.deep.equal([
      { project: 'shop', uuid: 'a', event: 'open', user_id: 'u1', session_id: 's1', ts: T, properties: '{"mail":"<email>"}' },
      { project: 'shop', uuid: 'b', event: 'open', user_id: 'u2', session_id: '', ts: T + 1000, properties: '' },
      { project: 'shop', uuid: generated, event: 'save', user_id: 'u1', session_id: '', ts: T + 2000, properties: '' },
      { project: 'shop', uuid: 'c', event: 'save', user_id: 'u2', session_id: '', ts: T + 3000, properties: '' },
    ]);
    await sqlite.close();
  });

  it('does not store a retried batch again: its uuids are duplicates; events without uuid are new each time, as in SQLite', async () => {
    await ingestClickHouse(chdb, layout, 'shop', GROUPS, 'UTC');
    const retry = await ingestClickHouse(chdb, layout, 'shop', GROUPS, 'UTC');
    expect(retry.map((r) => [r.accepted, r.duplicates])).to.deep.equal([
      [1, 3],
      [0, 2],
    ]);
    expect(await count('shop', false)).to.equal(5);
    // Another project's uuids are its own.
    const other = await ingestClickHouse(chdb, layout, 'blog', [GROUPS[1]!], 'UTC');
    expect(other.map((r) => [r.accepted, r.duplicates])).to.deep.equal([[2, 0]]);
  });

  it('takes a resent batch as all duplicates, but stores a uuid sent again with another timestamp or user: a new key of the sort key, which ReplacingMergeTree does not merge either, so it counts once more', async () => {
    const batch = [
      { uuid: 'k1', event: 'open', user_id: 'u1', timestamp: T },
      { uuid: 'k2', event: 'save', user_id: 'u1', timestamp: T + 1000 },
    ];
    expect((await ingestClickHouse(chdb, layout, 'shop', [batch], 'UTC')).map((r) => [r.accepted, r.duplicates])).to.deep.equal([[2, 0]]);
    expect((await ingestClickHouse(chdb, layout, 'shop', [batch], 'UTC')).map((r) => [r.accepted, r.duplicates])).to.deep.equal([[0, 2]]);
    const moved = [
      { uuid: 'k1', event: 'open', user_id: 'u1', timestamp: T + 1 },
      { uuid: 'k2', event: 'save', user_id: 'u2', timestamp: T + 1000 },
      // Within one call the same rule: a repeat of the very event is a duplicate, the uuid at another time is not.
      { uuid: 'k1', event: 'open', user_id: 'u1', timestamp: T + 1 },
      { uuid: 'k1', event: 'open', user_id: 'u1', timestamp: T + 2 },
    ];
    expect((await ingestClickHouse(chdb, layout, 'shop', [moved], 'UTC')).map((r) => [r.accepted, r.duplicates])).to.deep.equal([[3, 1]]);
    expect(await count('shop', true)).to.equal(5);
    const keys = await chdb.query<{ user_id: string; ts: string; uuid: string }>('SELECT user_id, ts, uuid FROM footprint.events FINAL ORDER BY uuid, user_id, ts');
    expect(keys.map((k) => [k.uuid, k.user_id, Number(k.ts) - T])).to.deep.equal([
      ['k1', 'u1', 0],
      ['k1', 'u1', 1],
      ['k1', 'u1', 2],
      ['k2', 'u1', 1000],
      ['k2', 'u2', 1000],
    ]);
  });

  it('looks up a batch reading only the granules that can hold its events: a retry of the last 100 of 50,000 events of 500 users over 90 days reads at most one granule (8,192 rows)', async () => {
    const DAY = 86_400_000;
    const start = Date.UTC(2026, 0, 4);
    // Every user has events in each of the four months (four parts of at least 1,666 rows); the last 100 fall on the last day, in April.
    const events = Array.from({ length: 50_000 }, (_, i) => ({ uuid: `e${i}`, event: 'open', user_id: `u${i % 500}`, timestamp: start + Math.floor((i / 50_000) * 90 * DAY) }));
    await ingestClickHouse(chdb, layout, 'shop', [events], 'UTC');
    expect(await count('shop', false)).to.equal(50_000);
    // The lookup runs under a limit of one granule's rows (ClickHouse refuses a read past it, counting before it reads):
    // asking by the batch's users and uuids instead reads a granule of each month's part, over 10,000 rows here.
    const limited: typeof chdb = { ...chdb, query: (sql, params, options) => chdb.query(sql, params, { ...options, settings: { ...options?.settings, max_rows_to_read: 8192 } }) };
    const [report] = await ingestClickHouse(limited, layout, 'shop', [events.slice(-100)], 'UTC');
    expect([report!.accepted, report!.duplicates]).to.deep.equal([0, 100]);
  });

  it('finds stored uuids past the first lookup of a batch larger than one lookup asks for', async () => {
    const many = Array.from({ length: LOOKUP_CHUNK * 2 + 500 }, (_, i) => ({ uuid: `m${i}`, event: 'open', user_id: `u${i % 97}`, timestamp: T + i }));
    expect((await ingestClickHouse(chdb, layout, 'shop', [many.slice(LOOKUP_CHUNK * 2)], 'UTC'))[0]!.accepted).to.equal(500);
    const [report] = await ingestClickHouse(chdb, layout, 'shop', [many], 'UTC');
    expect([report!.accepted, report!.duplicates]).to.deep.equal([LOOKUP_CHUNK * 2, 500]);
    expect(await count('shop', true)).to.equal(LOOKUP_CHUNK * 2 + 500);
  });

  it('counts an event once when two racing inserts both missed each other: reads are FINAL', async () => {
    const row: EventRow = { project: 'shop', uuid: 'r', event: 'open', user_id: 'u9', session_id: '', ts: T, seq: 1, properties: '' };
    // What two requests that looked up at the same moment both do: insert the same event.
    await chdb.insert('footprint.events', [row as unknown as Record<string, unknown>]);
    await chdb.insert('footprint.events', [row as unknown as Record<string, unknown>]);
    expect(await count('shop', false)).to.equal(2);
    expect(await count('shop', true)).to.equal(1);
    // And through ingest itself, two calls at once: whatever each reports, the event is read once.
    const racing = [{ uuid: 's', event: 'open', user_id: 'u8', timestamp: T }];
    const reports = await Promise.all([ingestClickHouse(chdb, layout, 'shop', [racing], 'UTC'), ingestClickHouse(chdb, layout, 'shop', [racing], 'UTC')]);
    expect(reports.map((r) => r[0]!.accepted + r[0]!.duplicates)).to.deep.equal([1, 1]);
    expect(await count('shop', true)).to.equal(2);
  });

  it('erases a user and purges old events, answering how many went, in one project only', async () => {
    await ingestClickHouse(chdb, layout, 'shop', GROUPS, 'UTC');
    await ingestClickHouse(chdb, layout, 'blog', GROUPS, 'UTC');
    const store = clickHouseProjectStore(chdb, layout, 'shop', {}, () => T);
    expect(await store.deleteUser('u2')).to.equal(2);
    expect(await store.deleteUser('u2')).to.equal(0);
    expect(await count('shop', true)).to.equal(2);
    expect(await store.purgeBefore(T + 1500)).to.equal(1);
    expect(await count('shop', true)).to.equal(1);
    expect(await count('blog', true)).to.equal(4);
    await store.deleteUser('').then(
      () => expect.fail('an empty user id must be refused'),
      (error: Error) => expect(error.message).to.match(/^userId: must be a non-empty string or a number/),
    );
  });

  it('exports a project as the SQLite file the SQLite backend would, its events read once', async () => {
    await ingestClickHouse(chdb, layout, 'shop', [GROUPS[0]!], 'UTC');
    await chdb.insert('footprint.events', [{ project: 'shop', uuid: 'a', event: 'open', user_id: 'u1', session_id: 's1', ts: T, properties: '{"mail":"<email>"}' }]);
    const bytes = await clickHouseProjectStore(chdb, layout, 'shop', {}, () => T).export();
    const copy = await openStore({ data: bytes });
    const listed = await copy.query({ kind: 'events', from: '2026-03-01', to: '2026-03-03' });
    expect(listed.total).to.equal(3);
    expect(listed.events.find((e) => e.uuid === 'a')).to.deep.equal({
      event: 'open',
      user_id: 'u1',
      timestamp: '2026-03-02T10:00:00.000Z',
      session_id: 's1',
      uuid: 'a',
      properties: { mail: '<email>' },
    });
    await copy.close();
  });

  it("the project store answers the kinds on ClickHouse as the SQLite store does, a duplicate counted once", async () => {
    await ingestClickHouse(chdb, layout, 'shop', GROUPS, 'UTC');
    await ingestClickHouse(chdb, layout, 'blog', GROUPS, 'UTC');
    // A copy of one event that the uuid lookup missed (a race): still one event.
    await chdb.insert('footprint.events', [{ project: 'shop', uuid: 'c', event: 'save', user_id: 'u2', session_id: '', ts: T + 3000, properties: '{}' }]);
    const store = clickHouseProjectStore(chdb, layout, 'shop', {}, () => T + 3_600_000);
    const sqlite = (await openStore({ now: () => T + 3_600_000 })) as SqlStore;
    await sqlite.ingestGroups(GROUPS);
    const specs = [
      { kind: 'trend', from: '2026-03-01', to: '2026-03-02', math: 'events' },
      { kind: 'trend', from: '2026-03-01', to: '2026-03-02', math: 'users', breakdown: 'mail' },
      { kind: 'sessions', from: '2026-03-01', to: '2026-03-02' },
      { kind: 'events', from: '2026-03-01', to: '2026-03-02', user: 'u2' },
      { kind: 'funnel', from: '2026-03-01', to: '2026-03-02', steps: [{ event: 'open' }, { event: 'save' }] },
      { kind: 'paths', from: '2026-03-01', to: '2026-03-02' },
      { kind: 'friction', from: '2026-03-01', to: '2026-03-02' },
    ] as Query[];
    for (const spec of specs) expect(await store.query(spec), spec.kind).to.deep.equal(await sqlite.query(spec));
    expect((await store.query({ kind: 'trend', from: '2026-03-02', to: '2026-03-02' })).series[0]!.points[0]!.value).to.equal(4);
    await sqlite.close();
  });
});
