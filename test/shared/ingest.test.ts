import { expect } from 'chai';
import { DataError, SpecError, openStore, type IngestReport, type Store, type StoredEvent, type TextFormat } from '../../shared/index.ts';
import { NOW, allEvents, rejectionOf } from './helpers.ts';
import { formatCsv } from '../../shared/ingest/csv.ts';

/**
 * Ingest (METRICS.md section 1): validation of every field with the exact
 * reason reported, aliases, time zones, de-duplication by uuid, hostile
 * strings, and the text formats of `ingestText`. Runs in Node and Chromium.
 */

function open(timezone?: string): Promise<Store> {
  return openStore(timezone === undefined ? { now: () => NOW } : { now: () => NOW, timezone });
}

function addsUp(report: IngestReport, inputLength: number): void {
  expect(report.accepted + report.duplicates + report.rejected.length).to.equal(inputLength);
}

function stored(event: string, user_id: string, timestamp: string, extra: Partial<StoredEvent> = {}): StoredEvent {
  return { event, user_id, timestamp, session_id: null, uuid: null, properties: {}, ...extra };
}

const T = '2026-11-20T10:00:00Z';

describe('ingest (shared/ingest/event.ts, shared/store/store.ts)', () => {
  let store: Store;

  beforeEach(async () => {
    store = await open();
  });

  afterEach(async () => {
    await store.close();
  });

  describe('bad rows', () => {
    it('rejects each kind of bad row with its index and exact reason, and stores the valid rows of the same call', async () => {
      const rows: unknown[] = [
        /* 0 */ { event: 'ok-first', user_id: 'u1', timestamp: T },
        /* 1 */ 'not an event',
        /* 2 */ null,
        /* 3 */ ['open', 'u1', T],
        /* 4 */ { user_id: 'u1', timestamp: T },
        /* 5 */ { event: 'x'.repeat(201), user_id: 'u1', timestamp: T },
        /* 6 */ { event: 7, user_id: 'u1', timestamp: T },
        /* 7 */ { event: 'open', timestamp: T },
        /* 8 */ { event: 'numeric-user', user_id: 42, timestamp: '2026-11-20T11:00:00Z' },
        /* 9 */ { event: 'open', user_id: 'u1' },
        /* 10 */ { event: 'open', user_id: 'u1', timestamp: 1_700_000_000 },
        /* 11 */ { event: 'open', user_id: 'u1', timestamp: 'yesterday' },
        /* 12 */ { event: 'open', user_id: 'u1', timestamp: '1969-12-31T23:59:59Z' },
        /* 13 */ { event: 'open', user_id: 'u1', timestamp: '2101-01-01T00:00:00Z' },
        /* 14 */ { event: 'year-2100', user_id: 'u1', timestamp: '2100-12-31T23:59:59.999Z' },
        /* 15 */ { event: 'open', user_id: 'u1', timestamp: '2026-02-30T10:00:00Z' },
        /* 16 */ { event: 'open', user_id: 'u1', timestamp: T, properties: [1, 2] },
        /* 17 */ { event: 'open', user_id: 'u1', timestamp: T, properties: 'a=1' },
        /* 18 */ { event: 'open', user_id: 'u1', timestamp: T, properties: { p: 'x'.repeat(32_761) } },
        /* 19 */ { event: 'empty-props', user_id: 'u1', timestamp: '2026-11-20T12:00:00Z', properties: {} },
        /* 20 */ { event: 'max-props', user_id: 'u1', timestamp: '2026-11-20T13:00:00Z', properties: { p: 'y'.repeat(32_760) } },
        /* 21 */ { event: 'e'.repeat(200), user_id: 'u'.repeat(200), timestamp: '2026-11-20T14:00:00Z' },
        /* 22 */ { event: 'open', user_id: 'u'.repeat(201), timestamp: T },
        /* 23 */ { event: 'open', user_id: { id: 1 }, timestamp: T },
        /* 24 */ { event: 'open', user_id: 'u1', timestamp: 99_999_999_999 },
        /* 25 */ { event: 'smallest-ms', user_id: 'u1', timestamp: 100_000_000_000 },
        /* 26 */ { event: 'open', user_id: 'u1', timestamp: true },
        /* 27 */ { event: '', user_id: 'u1', timestamp: T },
        /* 28 */ { event: 'open', user_id: 'u1', timestamp: T, uuid: 12 },
      ];
      const report = await store.ingest(rows);
      expect(report.rejected).to.deep.equal([
        { index: 1, reason: "event: must be a JSON object, got 'not an event'" },
        { index: 2, reason: "event: must be a JSON object, got 'null'" },
        { index: 3, reason: 'event: must be a JSON object, got an array' },
        { index: 4, reason: 'event: missing (also accepted: name, type)' },
        { index: 5, reason: 'event: longer than 200 characters' },
        { index: 6, reason: "event: must be a string, got '7'" },
        { index: 7, reason: 'user_id: missing (also accepted: distinct_id, userId, anonymousId, user)' },
        { index: 9, reason: 'timestamp: missing (also accepted: ts, time); timestamps are never defaulted to now' },
        { index: 10, reason: 'timestamp: 1700000000 looks like epoch seconds? give milliseconds' },
        { index: 11, reason: "timestamp: not a date: 'yesterday' (give ISO 8601 or epoch milliseconds)" },
        { index: 12, reason: "timestamp: year outside 1970..2100: '1969-12-31T23:59:59Z'" },
        { index: 13, reason: "timestamp: year outside 1970..2100: '2101-01-01T00:00:00Z'" },
        { index: 15, reason: "timestamp: not a date: '2026-02-30T10:00:00Z' (give ISO 8601 or epoch milliseconds)" },
        { index: 16, reason: 'properties: must be a JSON object, got an array' },
        { index: 17, reason: 'properties: must be a JSON object, got string' },
        { index: 18, reason: 'properties: larger than 32 KiB serialized' },
        { index: 22, reason: 'user_id: longer than 200 characters' },
        { index: 23, reason: 'user_id: must be a string or a number, got \'{"id":1}\'' },
        { index: 24, reason: 'timestamp: 99999999999 looks like epoch seconds? give milliseconds' },
        { index: 26, reason: "timestamp: not a date: 'true'" },
        { index: 27, reason: 'event: missing (also accepted: name, type)' },
        { index: 28, reason: "uuid: must be a string, got '12'" },
      ]);
      expect(report.accepted).to.equal(7);
      expect(report.duplicates).to.equal(0);
      expect(report.ignoredFields).to.deep.equal([]);
      addsUp(report, rows.length);

      expect(await allEvents(store)).to.deep.equal([
        stored('year-2100', 'u1', '2100-12-31T23:59:59.999Z'),
        stored('e'.repeat(200), 'u'.repeat(200), '2026-11-20T14:00:00.000Z'),
        stored('max-props', 'u1', '2026-11-20T13:00:00.000Z', { properties: { p: 'y'.repeat(32_760) } }),
        stored('empty-props', 'u1', '2026-11-20T12:00:00.000Z'),
        stored('numeric-user', '42', '2026-11-20T11:00:00.000Z'),
        stored('ok-first', 'u1', '2026-11-20T10:00:00.000Z'),
        stored('smallest-ms', 'u1', '1973-03-03T09:46:40.000Z'),
      ]);
      // The number 42 is stored as the string '42': the user filter finds it by string.
      expect((await store.query({ kind: 'events', user: '42', from: '2026-11-01', to: '2026-11-30' })).total).to.equal(1);
    });

    it('says what is wrong with a numeric timestamp: not finite, negative, zero, or seconds; takes a valid Date', async () => {
      const report = await store.ingest([
        /* 0 */ { event: 'open', user_id: 'u1', timestamp: Number.NaN },
        /* 1 */ { event: 'open', user_id: 'u1', timestamp: Number.POSITIVE_INFINITY },
        /* 2 */ { event: 'open', user_id: 'u1', timestamp: -1 },
        /* 3 */ { event: 'open', user_id: 'u1', timestamp: -2_000_000_000_000 },
        /* 4 */ { event: 'open', user_id: 'u1', timestamp: 0 },
        /* 5 */ { event: 'open', user_id: 'u1', timestamp: 1_700_000_000 },
        /* 6 */ { event: 'date', user_id: 'u1', timestamp: new Date('2026-11-20T10:00:00.250Z') },
        /* 7 */ { event: 'open', user_id: 'u1', timestamp: new Date(Number.NaN) },
        /* 8 */ { event: 'open', user_id: 'u1', timestamp: new Date('1969-12-31T23:59:59Z') },
        /* 9 */ { event: 'date-1971', user_id: 'u1', timestamp: new Date('1971-01-01T00:00:00Z') },
      ]);
      expect(report.rejected).to.deep.equal([
        { index: 0, reason: "timestamp: not a date: 'NaN' (give ISO 8601 or epoch milliseconds)" },
        { index: 1, reason: "timestamp: not a date: 'Infinity' (give ISO 8601 or epoch milliseconds)" },
        { index: 2, reason: 'timestamp: -1 is before 1970 (a negative epoch time); years 1970..2100 are accepted' },
        { index: 3, reason: 'timestamp: -2000000000000 is before 1970 (a negative epoch time); years 1970..2100 are accepted' },
        { index: 4, reason: 'timestamp: 0 is the epoch itself, not a time of an event (unset?); give ISO 8601 or epoch milliseconds' },
        { index: 5, reason: 'timestamp: 1700000000 looks like epoch seconds? give milliseconds' },
        { index: 7, reason: 'timestamp: not a date: an invalid Date' },
        { index: 8, reason: "timestamp: year outside 1970..2100: '1969-12-31T23:59:59.000Z'" },
      ]);
      expect((await allEvents(store)).map((e) => [e.event, e.timestamp])).to.deep.equal([
        ['date', '2026-11-20T10:00:00.250Z'],
        ['date-1971', '1971-01-01T00:00:00.000Z'],
      ]);
    });

    it('rejects properties nested more than 20 levels deep (5,000 quickly) or circular, and keeps 20 levels', async () => {
      const nested = (levels: number): Record<string, unknown> => {
        const root: Record<string, unknown> = {};
        let inner = root;
        for (let level = 1; level < levels; level++) inner = (inner.a = {}) as Record<string, unknown>;
        return root;
      };
      // Arrays are levels too: an object holding 19 nested arrays is 20 levels, one more is 21.
      const arrays = (count: number): Record<string, unknown> => ({ list: Array.from({ length: count - 1 }).reduce<unknown[]>((inner) => [inner], []) });
      const circular: Record<string, unknown> = { a: { b: 1 } };
      (circular.a as Record<string, unknown>).back = circular;
      const started = Date.now();
      const report = await store.ingest([
        { event: 'twenty', user_id: 'u1', timestamp: T, properties: nested(20) },
        { event: 'open', user_id: 'u1', timestamp: T, properties: nested(21) },
        { event: 'open', user_id: 'u1', timestamp: T, properties: nested(5000) },
        { event: 'arrays-20', user_id: 'u1', timestamp: T, properties: arrays(19) },
        { event: 'open', user_id: 'u1', timestamp: T, properties: arrays(20) },
        { event: 'open', user_id: 'u1', timestamp: T, properties: circular },
      ]);
      expect(Date.now() - started).to.be.below(1000);
      const tooDeep = 'properties: nested more than 20 levels deep (the limit; each object or array inside another is a level)';
      expect(report.rejected).to.deep.equal([
        { index: 1, reason: tooDeep },
        { index: 2, reason: tooDeep },
        { index: 4, reason: tooDeep },
        { index: 5, reason: 'properties: circular (an object contains itself), so not JSON' },
      ]);
      expect((await allEvents(store)).map((e) => e.event)).to.deep.equal(['arrays-20', 'twenty']);
      expect(JSON.stringify((await allEvents(store))[1]!.properties)).to.equal(JSON.stringify(nested(20)));
    });

    it('measures the 32 KiB property limit in UTF-8 bytes, not characters', async () => {
      // '{"p":"' + text + '"}' is 8 bytes of framing; 'é' is 2 bytes in UTF-8.
      const fits = { p: 'é'.repeat(16_380) }; // 8 + 32,760 = 32,768 bytes
      const tooBig = { p: 'é'.repeat(16_381) }; // 32,770 bytes, but only 16,389 characters
      const report = await store.ingest([
        { event: 'fits', user_id: 'u1', timestamp: T, properties: fits },
        { event: 'too-big', user_id: 'u1', timestamp: T, properties: tooBig },
      ]);
      expect(report.accepted).to.equal(1);
      expect(report.rejected).to.deep.equal([{ index: 1, reason: 'properties: larger than 32 KiB serialized' }]);
      const [event] = await allEvents(store);
      expect(event?.properties).to.deep.equal(fits);
    });

    it('a call with only bad rows stores nothing and reports each one', async () => {
      const report = await store.ingest([{}, { event: 'x' }]);
      expect(report).to.deep.equal({
        accepted: 0,
        duplicates: 0,
        rejected: [
          { index: 0, reason: 'event: missing (also accepted: name, type)' },
          { index: 1, reason: 'user_id: missing (also accepted: distinct_id, userId, anonymousId, user)' },
        ],
        ignoredFields: [],
      });
      expect(await allEvents(store)).to.deep.equal([]);
    });

    it('rejects events that are not an array with a DataError', async () => {
      const error = await rejectionOf(store.ingest({ event: 'open' } as unknown as unknown[]));
      expect(error).to.be.instanceOf(DataError);
      expect(error.message).to.match(/^events: must be an array/);
    });
  });

  describe('aliases', () => {
    it('accepts name/type, distinct_id/userId/anonymousId/user and ts/time', async () => {
      const report = await store.ingest([
        { name: 'by-name', distinct_id: 'd1', ts: '2026-11-20T01:00:00Z' },
        { type: 'by-type', userId: 'd2', time: '2026-11-20T02:00:00Z' },
        { event: 'anon', anonymousId: 'd3', ts: Date.UTC(2026, 10, 20, 3) },
        { event: 'user', user: 'd4', time: Date.UTC(2026, 10, 20, 4) },
        { name: 'numeric-alias', distinct_id: 7, ts: '2026-11-20T05:00:00Z' },
      ]);
      expect(report).to.deep.equal({ accepted: 5, duplicates: 0, rejected: [], ignoredFields: [] });
      expect(await allEvents(store)).to.deep.equal([
        stored('numeric-alias', '7', '2026-11-20T05:00:00.000Z'),
        stored('user', 'd4', '2026-11-20T04:00:00.000Z'),
        stored('anon', 'd3', '2026-11-20T03:00:00.000Z'),
        stored('by-type', 'd2', '2026-11-20T02:00:00.000Z'),
        stored('by-name', 'd1', '2026-11-20T01:00:00.000Z'),
      ]);
    });

    it('the canonical field wins over its aliases, and earlier aliases over later ones', async () => {
      await store.ingest([
        {
          type: 'alias-type',
          name: 'alias-name',
          event: 'canonical',
          user: 'alias-user',
          distinct_id: 'alias-distinct',
          user_id: 'canonical-user',
          time: '2026-11-20T03:00:00Z',
          ts: '2026-11-20T02:00:00Z',
          timestamp: '2026-11-20T01:00:00Z',
        },
        { type: 'second-alias', name: 'first-alias', user: 'u-user', anonymousId: 'u-anon', time: '2026-11-21T03:00:00Z', ts: '2026-11-21T02:00:00Z' },
      ]);
      expect(await allEvents(store)).to.deep.equal([
        stored('first-alias', 'u-anon', '2026-11-21T02:00:00.000Z'),
        stored('canonical', 'canonical-user', '2026-11-20T01:00:00.000Z'),
      ]);
    });

    it('reports unknown top-level fields in ignoredFields, sorted, and does not store them', async () => {
      const report = await store.ingest([
        { event: 'open', user_id: 'u1', timestamp: T, browser: 'firefox', $lib: 'web' },
        { event: 'open', user_id: 'u2', timestamp: T, browser: 'chrome', session_id: 's1', uuid: 'id-1' },
      ]);
      expect(report).to.deep.equal({ accepted: 2, duplicates: 0, rejected: [], ignoredFields: ['$lib', 'browser'] });
      const events = await allEvents(store);
      expect(events.map((e) => e.properties)).to.deep.equal([{}, {}]);
      expect(events[0]).to.deep.equal(stored('open', 'u2', '2026-11-20T10:00:00.000Z', { session_id: 's1', uuid: 'id-1' }));
    });
  });

  describe('time zones', () => {
    it('reads a timestamp without offset in the store time zone, and honours Z and explicit offsets', async () => {
      const la = await open('America/Los_Angeles');
      try {
        const report = await la.ingest([
          { event: 'local-summer', user_id: 'u', timestamp: '2026-07-01T09:00' },
          { event: 'utc', user_id: 'u', timestamp: '2026-07-01T09:00:00Z' },
          { event: 'plus-two', user_id: 'u', timestamp: '2026-07-01T09:00:00+02:00' },
          { event: 'minus-0530', user_id: 'u', timestamp: '2026-07-01T09:00:00.250-05:30' },
          { event: 'local-winter', user_id: 'u', timestamp: '2026-01-15 09:00:00' },
          { event: 'local-date', user_id: 'u', timestamp: '2026-03-01' },
          { event: 'epoch-ms', user_id: 'u', timestamp: Date.UTC(2026, 6, 2, 9) },
        ]);
        expect(report.accepted).to.equal(7);
        const events = await allEvents(la);
        expect(events.map((e) => [e.event, e.timestamp])).to.deep.equal([
          ['epoch-ms', '2026-07-02T09:00:00.000Z'],
          ['local-summer', '2026-07-01T16:00:00.000Z'], // PDT, UTC-7
          ['minus-0530', '2026-07-01T14:30:00.250Z'],
          ['utc', '2026-07-01T09:00:00.000Z'],
          ['plus-two', '2026-07-01T07:00:00.000Z'],
          ['local-date', '2026-03-01T08:00:00.000Z'], // PST, UTC-8: local midnight
          ['local-winter', '2026-01-15T17:00:00.000Z'], // PST, UTC-8
        ]);
      } finally {
        await la.close();
      }
      // The same offset-less text in a UTC store is UTC.
      await store.ingest([{ event: 'local-summer', user_id: 'u', timestamp: '2026-07-01T09:00' }]);
      expect((await allEvents(store)).map((e) => e.timestamp)).to.deep.equal(['2026-07-01T09:00:00.000Z']);
    });

    it('an offset-less timestamp in Asia/Kolkata (UTC+5:30) lands before midnight UTC', async () => {
      const kolkata = await open('Asia/Kolkata');
      try {
        await kolkata.ingest([{ event: 'e', user_id: 'u', timestamp: '2026-11-21T03:00' }]);
        expect((await allEvents(kolkata)).map((e) => e.timestamp)).to.deep.equal(['2026-11-20T21:30:00.000Z']);
      } finally {
        await kolkata.close();
      }
    });
  });

  describe('duplicates by uuid', () => {
    it('stores a uuid once, within one call and across calls, and reports the rest as duplicates', async () => {
      const first = await store.ingest([
        { event: 'a', user_id: 'u1', timestamp: '2026-11-20T01:00:00Z', uuid: 'id-a' },
        { event: 'b', user_id: 'u1', timestamp: '2026-11-20T02:00:00Z', uuid: 'id-b' },
        { event: 'a-again', user_id: 'u2', timestamp: '2026-11-20T03:00:00Z', uuid: 'id-a' },
        { event: 'bad', user_id: 'u1', uuid: 'id-c' },
      ]);
      expect(first).to.deep.equal({
        accepted: 2,
        duplicates: 1,
        rejected: [{ index: 3, reason: 'timestamp: missing (also accepted: ts, time); timestamps are never defaulted to now' }],
        ignoredFields: [],
      });
      addsUp(first, 4);

      const second = await store.ingest([
        { event: 'b', user_id: 'u1', timestamp: '2026-11-20T02:00:00Z', uuid: 'id-b' },
        { event: 'c', user_id: 'u1', timestamp: '2026-11-20T04:00:00Z', uuid: 'id-c' },
        { event: 'a-replayed', user_id: 'u3', timestamp: '2026-11-20T05:00:00Z', uuid: 'id-a' },
      ]);
      expect(second).to.deep.equal({ accepted: 1, duplicates: 2, rejected: [], ignoredFields: [] });

      const events = await allEvents(store);
      expect(events.map((e) => [e.event, e.user_id, e.uuid])).to.deep.equal([
        ['c', 'u1', 'id-c'],
        ['b', 'u1', 'id-b'],
        ['a', 'u1', 'id-a'],
      ]);
      // A replay of the whole batch is all duplicates.
      const replay = await store.ingest([
        { event: 'a', user_id: 'u1', timestamp: '2026-11-20T01:00:00Z', uuid: 'id-a' },
        { event: 'b', user_id: 'u1', timestamp: '2026-11-20T02:00:00Z', uuid: 'id-b' },
        { event: 'c', user_id: 'u1', timestamp: '2026-11-20T04:00:00Z', uuid: 'id-c' },
      ]);
      expect(replay).to.deep.equal({ accepted: 0, duplicates: 3, rejected: [], ignoredFields: [] });
      expect((await allEvents(store)).length).to.equal(3);
    });

    it('de-duplicates lower-case uuids (stored as bytes) and other ids (stored as text) alike, and lists each as given', async () => {
      const lower = '0f8e2c1a-7b3d-4e5f-9a0b-1c2d3e4f5a6b';
      const upper = lower.toUpperCase();
      const first = await store.ingest([
        { event: 'a', user_id: 'u1', timestamp: '2026-11-20T01:00:00Z', uuid: lower },
        { event: 'b', user_id: 'u1', timestamp: '2026-11-20T02:00:00Z', uuid: upper },
        // Hex digits only, like a uuid's bytes, but not a uuid: kept as the text given.
        { event: 'c', user_id: 'u1', timestamp: '2026-11-20T03:00:00Z', uuid: '0f8e2c1a7b3d4e5f9a0b1c2d3e4f5a6b' },
        { event: 'a-again', user_id: 'u2', timestamp: '2026-11-20T04:00:00Z', uuid: lower },
      ]);
      expect(first).to.deep.equal({ accepted: 3, duplicates: 1, rejected: [], ignoredFields: [] });
      const replay = await store.ingest([
        { event: 'a-replayed', user_id: 'u3', timestamp: '2026-11-20T05:00:00Z', uuid: lower },
        { event: 'b-replayed', user_id: 'u3', timestamp: '2026-11-20T05:00:00Z', uuid: upper },
        { event: 'd', user_id: 'u1', timestamp: '2026-11-20T06:00:00Z', uuid: lower.replace('0f8e', '1f8e') },
      ]);
      expect(replay).to.deep.equal({ accepted: 1, duplicates: 2, rejected: [], ignoredFields: [] });
      expect((await allEvents(store)).map((e) => [e.event, e.uuid])).to.deep.equal([
        ['d', '1f8e2c1a-7b3d-4e5f-9a0b-1c2d3e4f5a6b'],
        ['c', '0f8e2c1a7b3d4e5f9a0b1c2d3e4f5a6b'],
        ['b', upper],
        ['a', lower],
      ]);
      // The duplicates' users (u2, u3) left nothing behind.
      expect((await store.query({ kind: 'events', user: 'u3', from: '2026-11-01', to: '2026-11-30' })).total).to.equal(0);
    });

    it('finds repeated uuids within a bulk load, which builds the indexes after the rows', async () => {
      const uuid = (i: number): string => `00000000-0000-4000-8000-${String(i % 15_000).padStart(12, '0')}`;
      const rows = Array.from({ length: 30_000 }, (_, i) => ({ event: 'bulk', user_id: `u${i % 7}`, timestamp: Date.UTC(2026, 10, 1) + i, uuid: uuid(i) }));
      expect(await store.ingest(rows)).to.deep.equal({ accepted: 15_000, duplicates: 15_000, rejected: [], ignoredFields: [] });
      expect((await store.ingest([rows[29_999]!])).duplicates).to.equal(1);
      expect((await store.query({ kind: 'events', from: '2026-11-01', to: '2026-11-30', limit: 1 })).events[0]!.uuid).to.equal(uuid(14_999));
    });

    it('never de-duplicates events without a uuid, even identical ones', async () => {
      const row = { event: 'same', user_id: 'u1', timestamp: T, properties: { k: 1 } };
      const first = await store.ingest([row, row, { ...row }]);
      expect(first).to.deep.equal({ accepted: 3, duplicates: 0, rejected: [], ignoredFields: [] });
      const second = await store.ingest([row]);
      expect(second).to.deep.equal({ accepted: 1, duplicates: 0, rejected: [], ignoredFields: [] });
      expect((await store.query({ kind: 'events', event: 'same', from: '2026-11-20', to: '2026-11-20' })).total).to.equal(4);
    });
  });

  describe('hostile strings', () => {
    const injection = "x'); DROP TABLE events; --";
    const odd = 'it\'s "quoted" \\ back\\\\slash % _ * ünïcødé 日本語 🚀\ttab\nnewline';
    const hostileUser = "'; DELETE FROM users; --";

    it('stores and finds event names and user ids that look like SQL, exactly', async () => {
      const report = await store.ingest([
        { event: injection, user_id: 'u1', timestamp: '2026-11-20T10:00:00Z' },
        { event: injection, user_id: hostileUser, timestamp: '2026-11-21T10:00:00Z' },
        { event: odd, user_id: hostileUser, timestamp: '2026-11-21T11:00:00Z', properties: { [odd]: injection } },
        { event: 'x', user_id: 'u1', timestamp: '2026-11-21T12:00:00Z' },
        { event: 'normal', user_id: 'u2', timestamp: '2026-11-22T10:00:00Z' },
      ]);
      expect(report.accepted).to.equal(5);

      const byInjection = await store.query({ kind: 'events', event: injection, from: '2026-11-01', to: '2026-11-30' });
      expect(byInjection.total).to.equal(2);
      expect(byInjection.events.map((e) => [e.event, e.user_id])).to.deep.equal([
        [injection, hostileUser],
        [injection, 'u1'],
      ]);
      const byOdd = await store.query({ kind: 'events', event: odd, from: '2026-11-01', to: '2026-11-30' });
      expect(byOdd.events).to.deep.equal([
        stored(odd, hostileUser, '2026-11-21T11:00:00.000Z', { properties: { [odd]: injection } }),
      ]);
      const byUser = await store.query({ kind: 'events', user: hostileUser, from: '2026-11-01', to: '2026-11-30' });
      expect(byUser.events.map((e) => e.event)).to.deep.equal([odd, injection]);

      const trend = await store.query({ kind: 'trend', event: injection, from: '2026-11-19', to: '2026-11-22' });
      expect(trend.series).to.deep.equal([
        {
          label: 'all',
          points: [
            { period: '2026-11-19', value: 0 },
            { period: '2026-11-20', value: 1 },
            { period: '2026-11-21', value: 1 },
            { period: '2026-11-22', value: 0 },
          ],
        },
      ]);
      const oddTrend = await store.query({ kind: 'trend', event: odd, math: 'users', from: '2026-11-21', to: '2026-11-21' });
      expect(oddTrend.series[0]?.points).to.deep.equal([{ period: '2026-11-21', value: 1 }]);
      // A name that is a prefix of the injection matches only itself.
      expect((await store.query({ kind: 'events', event: 'x', from: '2026-11-01', to: '2026-11-30' })).total).to.equal(1);

      // The tables are intact and still take events.
      expect((await allEvents(store)).length).to.equal(5);
      expect((await store.ingest([{ event: 'after', user_id: 'u3', timestamp: '2026-11-23T10:00:00Z' }])).accepted).to.equal(1);
      expect((await allEvents(store)).map((e) => e.event)).to.deep.equal(['after', 'normal', 'x', odd, injection, injection]);
      const all = await store.query({ kind: 'trend', from: '2026-11-20', to: '2026-11-23' });
      expect(all.series[0]?.points.map((p) => p.value)).to.deep.equal([1, 3, 1, 1]);
    });

    it('an event name or user id with a lone UTF-16 surrogate is rejected rather than stored altered', async () => {
      const report = await store.ingest([
        { event: 'broken\ud800name', user_id: 'u1', timestamp: T },
        { event: 'ok', user_id: 'lone\udc00', timestamp: T },
        { event: 'pair 🚀', user_id: 'u1', timestamp: T },
      ]);
      expect(report.rejected).to.deep.equal([
        { index: 0, reason: 'event: not valid Unicode (a lone surrogate)' },
        { index: 1, reason: 'user_id: not valid Unicode (a lone surrogate)' },
      ]);
      expect((await allEvents(store)).map((e) => e.event)).to.deep.equal(['pair 🚀']);
    });
  });

  describe('ingestText', () => {
    it('NDJSON: skips blank lines, rejects a malformed line with its line number, stores the others', async () => {
      const text = [
        '{"event":"one","user_id":"u1","timestamp":"2026-11-20T01:00:00Z"}',
        '',
        '{"event":"two", "user_id":',
        '   ',
        '{"event":"three","user_id":"u2","timestamp":"2026-11-20T03:00:00Z","properties":{"k":"v"}}\r',
        '{"event":"four","user_id":"u2"}',
        '[1]',
        '{"event":"five","userId":"u3","ts":1795172400000,"extra":true}',
        '',
      ].join('\n');
      const report = await store.ingestText(text, 'ndjson');
      expect(report.accepted).to.equal(3);
      expect(report.duplicates).to.equal(0);
      expect(report.ignoredFields).to.deep.equal(['extra']);
      expect(report.rejected.map(({ index, line }) => ({ index, line }))).to.deep.equal([
        { index: 1, line: 3 },
        { index: 3, line: 6 },
        { index: 4, line: 7 },
      ]);
      expect(report.rejected[0]?.reason.startsWith('line 3: not valid JSON (')).to.equal(true, report.rejected[0]?.reason);
      expect(report.rejected[1]?.reason).to.equal('timestamp: missing (also accepted: ts, time); timestamps are never defaulted to now');
      expect(report.rejected[2]?.reason).to.equal('event: must be a JSON object, got an array');
      addsUp(report, 6);
      expect(await allEvents(store)).to.deep.equal([
        stored('five', 'u3', '2026-11-20T11:00:00.000Z'),
        stored('three', 'u2', '2026-11-20T03:00:00.000Z', { properties: { k: 'v' } }),
        stored('one', 'u1', '2026-11-20T01:00:00.000Z'),
      ]);
    });

    it('JSON array: stores its objects; rejected items have an index and no line', async () => {
      const text = JSON.stringify([
        { event: 'one', user_id: 'u1', timestamp: '2026-11-20T01:00:00Z' },
        42,
        { event: 'two', user_id: 'u1', timestamp: '2026-11-20T02:00:00Z', uuid: 'k' },
        { event: 'two', user_id: 'u1', timestamp: '2026-11-20T02:00:00Z', uuid: 'k' },
      ], null, 2);
      const report = await store.ingestText(text, 'json');
      expect(report).to.deep.equal({
        accepted: 2,
        duplicates: 1,
        rejected: [{ index: 1, reason: "event: must be a JSON object, got '42'" }],
        ignoredFields: [],
      });
    });

    it('reads a text that starts with a UTF-8 byte order mark in every format', async () => {
      const row = '{"event":"bom","user_id":"u1","timestamp":"2026-11-20T10:00:00Z"}';
      const csv = '\ufeffevent,user_id,timestamp\nbom,u1,2026-11-20T10:00:00Z\n';
      const reports = [
        await store.ingestText(`\ufeff[${row}]`, 'json'),
        await store.ingestText(`\ufeff[${row}]`),
        await store.ingestText(`\ufeff${row}\n`, 'ndjson'),
        await store.ingestText(`\ufeff${row}\n`),
        await store.ingestText(csv, 'csv'),
        await store.ingestText(csv),
      ];
      expect(reports.map((r) => [r.accepted, r.rejected.length])).to.deep.equal(Array(6).fill([1, 0]));
      expect((await allEvents(store)).map((e) => e.event)).to.deep.equal(Array(6).fill('bom'));
    });

    it('JSON array: malformed text throws a DataError starting with json: and stores nothing', async () => {
      const text = '[{"event":"one","user_id":"u1","timestamp":"2026-11-20T01:00:00Z"}, {"event":';
      const error = await rejectionOf(store.ingestText(text, 'json'));
      expect(error).to.be.instanceOf(DataError);
      expect(error.message.startsWith('json: not valid JSON (')).to.equal(true, error.message);
      expect(error.message.endsWith('; nothing was ingested')).to.equal(true, error.message);
      // Auto-detected as JSON too.
      const detected = await rejectionOf(store.ingestText(`  \n${text}`));
      expect(detected).to.be.instanceOf(DataError);
      expect(detected.message.startsWith('json:')).to.equal(true, detected.message);

      const notArray = await rejectionOf(store.ingestText('{"event":"one","user_id":"u1","timestamp":"2026-11-20T01:00:00Z"}', 'json'));
      expect(notArray).to.be.instanceOf(DataError);
      expect(notArray.message).to.equal('json: expected an array of events at the top level; nothing was ingested');
      expect(await allEvents(store)).to.deep.equal([]);
    });

    it('CSV: header, quoted fields with commas, quotes and newlines, a properties column and extra columns', async () => {
      const csv =
        'event,user_id, timestamp ,session_id,properties,plan,properties.source\r\n' +
        'open,u1,2026-11-20T10:00:00Z,s1,"{""a"":1,""b"":""x, y""}",pro,web\r\n' +
        '"save, as",u2,1795172400000,,,free,\r\n' +
        '\r\n' +
        '"say ""hi""","multi\r\nline user",2026-11-20T12:00:00Z,,"{""plan"":""override"",""n"":[1,2]}",basic,\r\n' +
        'too,few,fields\r\n' +
        'bad-json,u1,2026-11-20T13:00:00Z,,{not json},,\r\n' +
        'no-time,u1,,,,,\r\n' +
        'seconds,u1,1700000000,,,,\r\n' +
        '"  padded  ",u3,2026-11-20T14:00:00+01:00,"s,2",,,cli';
      const report = await store.ingestText(csv, 'csv');
      expect(report).to.deep.equal({
        accepted: 4,
        duplicates: 0,
        rejected: [
          { index: 3, line: 7, reason: 'line 7: has 3 fields, the header has 7' },
          { index: 4, line: 8, reason: 'line 8: properties: not valid JSON' },
          { index: 5, line: 9, reason: 'timestamp: missing (also accepted: ts, time); timestamps are never defaulted to now' },
          { index: 6, line: 10, reason: 'timestamp: 1700000000 looks like epoch seconds? give milliseconds' },
        ],
        ignoredFields: [],
      });
      addsUp(report, 8);
      expect(await allEvents(store)).to.deep.equal([
        stored('  padded  ', 'u3', '2026-11-20T13:00:00.000Z', { session_id: 's,2', properties: { source: 'cli' } }),
        stored('say "hi"', 'multi\r\nline user', '2026-11-20T12:00:00.000Z', { properties: { plan: 'override', n: [1, 2] } }),
        stored('save, as', 'u2', '2026-11-20T11:00:00.000Z', { properties: { plan: 'free' } }),
        stored('open', 'u1', '2026-11-20T10:00:00.000Z', { session_id: 's1', properties: { a: 1, b: 'x, y', plan: 'pro', source: 'web' } }),
      ]);
    });

    it('CSV: alias columns, a BOM, LF line ends and an offset-less timestamp in the store zone', async () => {
      const tokyo = await open('Asia/Tokyo');
      try {
        const csv = '\ufeffname,distinct_id,ts,uuid\nopen,u1,2026-11-21 09:00,id-1\nopen,u1,2026-11-21 09:00,id-1\n';
        expect(await tokyo.ingestText(csv, 'csv')).to.deep.equal({ accepted: 1, duplicates: 1, rejected: [], ignoredFields: [] });
        expect(await allEvents(tokyo)).to.deep.equal([stored('open', 'u1', '2026-11-21T00:00:00.000Z', { uuid: 'id-1' })]);
      } finally {
        await tokyo.close();
      }
    });

    it('CSV: an unterminated quote throws a DataError and stores nothing; a header alone stores nothing', async () => {
      const error = await rejectionOf(store.ingestText('event,user_id,timestamp\nopen,u1,2026-11-20T10:00:00Z\n"open,u1,2026-11-20T10:00:00Z\n', 'csv'));
      expect(error).to.be.instanceOf(DataError);
      expect(error.message).to.equal('csv: line 3: a quoted field is never closed; nothing was ingested');
      expect(await store.ingestText('event,user_id,timestamp\n', 'csv')).to.deep.equal({ accepted: 0, duplicates: 0, rejected: [], ignoredFields: [] });
      expect(await store.ingestText('', 'csv')).to.deep.equal({ accepted: 0, duplicates: 0, rejected: [], ignoredFields: [] });
      expect(await allEvents(store)).to.deep.equal([]);
    });

    it('text of no known format (no event column) throws a DataError saying so, quickly, and stores nothing', async () => {
      const junk = 'x'.repeat(10_000_000);
      const started = Date.now();
      const error = await rejectionOf(store.ingestText(junk));
      expect(Date.now() - started).to.be.below(2000);
      expect(error).to.be.instanceOf(DataError);
      expect(error.message).to.equal(
        'csv: line 1: the header has no event column (event, name, type), so no row can be read ' +
          `(the text does not start with [ or {, so it was read as CSV): '${'x'.repeat(57)}...'; nothing was ingested`,
      );
      // Binary junk with line ends, commas and quotes: control characters are shown as \xNN.
      const binary = await rejectionOf(store.ingestText('\u0001\u0002zz,"q\n\u0000,\u00ff\r\n"', 'csv'));
      expect(binary).to.be.instanceOf(DataError);
      expect(binary.message).to.equal("csv: line 1: the header has no event column (event, name, type), so no row can be read: '\\x01\\x02zz,q\\x0a\\x00,\u00ff\\x0d\\x0a'; nothing was ingested");
      // A real header without an event column: its rows could only all be rejected.
      const noEvent = await rejectionOf(store.ingestText('user_id,timestamp\nu1,2026-11-20T10:00:00Z\n', 'csv'));
      expect(noEvent.message).to.equal("csv: line 1: the header has no event column (event, name, type), so no row can be read: 'user_id,timestamp'; nothing was ingested");
      expect(await allEvents(store)).to.deep.equal([]);
    });

    it('CSV: a repeated column, or two columns filling one property, throws a DataError naming them and the header line', async () => {
      const twice = await rejectionOf(store.ingestText('\nevent,user_id,timestamp, event\nopen,u1,2026-11-20T10:00:00Z,save\n', 'csv'));
      expect(twice).to.be.instanceOf(DataError);
      expect(twice.message).to.equal("csv: line 2: the header names the column 'event' twice (columns 1 and 4); rename or remove one; nothing was ingested");
      const property = await rejectionOf(store.ingestText('event,plan,user_id,timestamp,properties.plan\nopen,free,u1,2026-11-20T10:00:00Z,pro\n', 'csv'));
      expect(property.message).to.equal(
        "csv: line 1: the header has columns 'plan' and 'properties.plan', which both fill the property 'plan' (columns 2 and 5); rename or remove one; nothing was ingested",
      );
      expect(await allEvents(store)).to.deep.equal([]);
    });

    it('CSV: a stray quote in an unquoted field, or text after a closing quote, rejects that row with its line and column', async () => {
      const csv =
        'event,user_id,timestamp,plan\n' +
        'open,u1,2026-11-20T10:00:00Z,free\n' +
        'open,ab"c,2026-11-20T11:00:00Z,pro\n' +
        'open,u2,2026-11-20T12:00:00Z,"pro"x\n' +
        'open,u3,2026-11-20T13:00:00Z, "quoted after a space"\n' +
        '"open, ""quoted""",u4,"2026-11-20T14:00:00Z",""\n';
      const report = await store.ingestText(csv, 'csv');
      expect(report).to.deep.equal({
        accepted: 2,
        duplicates: 0,
        rejected: [
          {
            index: 1,
            line: 3,
            reason: 'line 3: column 2 (user_id): a quote inside a field that does not start with one (RFC 4180: quote the whole field and double the quotes inside)',
          },
          {
            index: 2,
            line: 4,
            reason: 'line 4: column 4 (plan): characters after the closing quote of a quoted field (RFC 4180: double a quote that is part of the value)',
          },
          {
            index: 3,
            line: 5,
            reason: 'line 5: column 4 (plan): a quote inside a field that does not start with one (RFC 4180: quote the whole field and double the quotes inside)',
          },
        ],
        ignoredFields: [],
      });
      expect(await allEvents(store)).to.deep.equal([
        stored('open, "quoted"', 'u4', '2026-11-20T14:00:00.000Z'),
        stored('open', 'u1', '2026-11-20T10:00:00.000Z', { properties: { plan: 'free' } }),
      ]);
    });

    it('CSV: columns and properties named __proto__, constructor and prototype keep their values into the store and back', async () => {
      const csv =
        'event,user_id,timestamp,__proto__,constructor,properties.prototype,properties\n' +
        'open,u1,2026-11-20T10:00:00Z,p1,c1,t1,\n' +
        'save,u1,2026-11-20T11:00:00Z,p2,,,"{""__proto__"":{""polluted"":true},""constructor"":""json""}"\n';
      expect(await store.ingestText(csv, 'csv')).to.deep.equal({ accepted: 2, duplicates: 0, rejected: [], ignoredFields: [] });
      const events = await allEvents(store);
      expect(events.map((e) => JSON.stringify(e.properties))).to.deep.equal([
        '{"__proto__":{"polluted":true},"constructor":"json"}',
        '{"__proto__":"p1","constructor":"c1","prototype":"t1"}',
      ]);
      expect(Object.getOwnPropertyNames(events[1]!.properties)).to.deep.equal(['__proto__', 'constructor', 'prototype']);
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      const ndjson = await store.ingestText('{"event":"nd","user_id":"u2","timestamp":"2026-11-20T12:00:00Z","properties":{"__proto__":"n","prototype":"m"}}\n');
      expect(ndjson.accepted).to.equal(1);
      expect(JSON.stringify((await allEvents(store))[0]!.properties)).to.equal('{"__proto__":"n","prototype":"m"}');
    });

    it('guesses the format when it is omitted: [ is JSON, { is NDJSON, anything else CSV', async () => {
      const json = await store.ingestText('\n [{"event":"from-json","user_id":"u1","timestamp":"2026-11-20T01:00:00Z"}]');
      const ndjson = await store.ingestText(
        '\n{"event":"from-ndjson","user_id":"u1","timestamp":"2026-11-20T02:00:00Z"}\n{"event":"from-ndjson","user_id":"u2","timestamp":"2026-11-20T03:00:00Z"}\n',
      );
      const csv = await store.ingestText('event,user_id,timestamp\nfrom-csv,u1,2026-11-20T04:00:00Z\n');
      expect([json.accepted, ndjson.accepted, csv.accepted]).to.deep.equal([1, 2, 1]);
      // NDJSON keeps line numbers (the leading blank line counts).
      const lined = await store.ingestText('\n\n{"event":"x","user_id":"u1"}');
      expect(lined.rejected).to.deep.equal([
        { index: 0, line: 3, reason: 'timestamp: missing (also accepted: ts, time); timestamps are never defaulted to now' },
      ]);
      expect((await allEvents(store)).map((e) => e.event)).to.deep.equal(['from-csv', 'from-ndjson', 'from-ndjson', 'from-json']);
    });

    it('rejects an unknown format with a SpecError on format, and text that is not a string', async () => {
      const error = await rejectionOf(store.ingestText('event,user_id,timestamp\nopen,u1,2026-11-20T10:00:00Z\n', 'xml' as unknown as TextFormat));
      expect(error).to.be.instanceOf(SpecError);
      expect((error as SpecError).field).to.equal('format');
      expect(error.message).to.equal("format: must be one of ndjson, json, csv, got 'xml'");
      const notText = await rejectionOf(store.ingestText(42 as unknown as string));
      expect(notText).to.be.instanceOf(DataError);
      expect(notText.message).to.equal('text: must be a string, got number');
      expect(await allEvents(store)).to.deep.equal([]);
    });
  });

  describe('a 10,000-row CSV round trip', () => {
    it('gives back every event exactly, newest first', async () => {
      const users = ['alice', 'bob', '42', 'user, with comma', 'quote"user', ' padded ', 'ünïcødé'];
      const names = ['$pageview', 'open', 'save', 'click "here"', 'export, csv', 'multi\nline', '日本語 🚀'];
      const base = Date.UTC(2026, 9, 1);
      const rows: (string | number | null)[][] = [['event', 'user_id', 'timestamp', 'session_id', 'uuid', 'properties']];
      const expected: { index: number; ms: number; event: StoredEvent }[] = [];
      for (let i = 0; i < 10_000; i++) {
        // Pairs of events share a timestamp: ties come back in reverse ingestion order.
        const ms = base + Math.floor(i / 2) * 61_000 + (i % 10 === 9 ? 123 : 0);
        const event = names[i % names.length]!;
        const user = users[(i * 3) % users.length]!;
        const sessionId = i % 4 === 0 ? `s-${i % 50}` : i % 4 === 1 ? `s,"${i % 7}"` : null;
        const uuid = i % 5 === 0 ? null : `uuid-${i}`;
        let properties: Record<string, unknown> = {};
        if (i % 3 === 1) properties = { n: i, half: i / 8, note: `a, "quoted" \\ value ${i}`, nested: { list: [i, 'x,y'], ok: i % 2 === 0 } };
        else if (i % 3 === 2) properties = { text: `line one\nline "two", ${i}`, empty: '', nothing: null };
        let timestamp: string | number;
        if (i % 3 === 0) timestamp = ms;
        else if (i % 3 === 1) timestamp = new Date(ms).toISOString();
        else timestamp = `${new Date(ms + 330 * 60_000).toISOString().slice(0, 23)}+05:30`;
        rows.push([event, user, timestamp, sessionId, uuid, Object.keys(properties).length ? JSON.stringify(properties) : null]);
        expected.push({
          index: i,
          ms,
          event: { event, user_id: user, timestamp: new Date(ms).toISOString(), session_id: sessionId, uuid, properties },
        });
      }
      const csv = formatCsv(rows);
      const report = await store.ingestText(csv, 'csv');
      expect(report).to.deep.equal({ accepted: 10_000, duplicates: 0, rejected: [], ignoredFields: [] });

      expected.sort((a, b) => b.ms - a.ms || b.index - a.index);
      const result = await store.query({ kind: 'events', from: '2026-10-01', to: '2026-10-31', limit: 10_000 });
      expect(result.total).to.equal(10_000);
      expect(result.events.length).to.equal(10_000);
      for (let k = 0; k < expected.length; k++) {
        const want = expected[k]!.event;
        const got = result.events[k];
        if (JSON.stringify(got) !== JSON.stringify(want)) expect(got, `event ${k} (input row ${expected[k]!.index})`).to.deep.equal(want);
      }
      expect(result.events).to.deep.equal(expected.map((e) => e.event));

      // Ingesting the same file again: every row with a uuid is a duplicate, the 2,000 without are stored again.
      const again = await store.ingestText(csv);
      expect(again).to.deep.equal({ accepted: 2_000, duplicates: 8_000, rejected: [], ignoredFields: [] });
    });
  });
});
