import { expect } from 'chai';
import { DataError, QUERY_KINDS, SpecError, openStore, type Query, type Store } from '../../shared/index.ts';
import { NOW, allEvents, rejectionOf, sqliteFile } from './helpers.ts';
import { loadSqlJs } from '../../shared/store/sqljs.ts';

/**
 * The store (shared/store/store.ts): options, export and reopen, deleting a
 * user (securely), purging old events, closing, and query spec errors.
 * Runs in Node and Chromium.
 */

async function specErrorOf(promise: Promise<unknown>, field: string): Promise<SpecError> {
  const error = await rejectionOf(promise);
  expect(error, error.message).to.be.instanceOf(SpecError);
  expect((error as SpecError).field).to.equal(field, error.message);
  expect(error.message.startsWith(`${field}: `)).to.equal(true, error.message);
  return error as SpecError;
}

/** The bytes as text, one character per byte, to search for strings stored in them. */
function bytesAsText(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes);
}

/** A deterministic mix of events: properties, session ids, uuids, unicode. */
function sampleEvents(): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  const users = ['alice', 'bob', 'carol', '42'];
  const names = ['$pageview', 'open', 'save', 'ünïcødé 🚀'];
  for (let i = 0; i < 60; i++) {
    events.push({
      event: names[i % names.length],
      user_id: users[(i * 7) % users.length],
      timestamp: Date.UTC(2026, 10, 1 + (i % 25), i % 24, i, 0, i),
      ...(i % 3 === 0 ? { session_id: `s-${i % 5}` } : {}),
      ...(i % 2 === 0 ? { uuid: `uuid-${i}` } : {}),
      ...(i % 4 === 1 ? { properties: { n: i, text: `a, "b" \\ ${i}`, nested: { list: [i, null, true] } } } : {}),
    });
  }
  return events;
}

describe('store (shared/store/store.ts)', () => {
  describe('openStore options', () => {
    it('opens with no options: UTC, weeks from Monday, the real clock', async () => {
      const store = await openStore();
      try {
        const report = await store.ingest([
          { event: 'now', user_id: 'u1', timestamp: Date.now() },
          { event: 'local', user_id: 'u1', timestamp: '2020-01-15T09:00' },
        ]);
        expect(report.accepted).to.equal(2);
        // The default range ends today by the real clock, so an event of now is in it.
        const recent = await store.query({ kind: 'events' });
        expect(recent.events.map((e) => e.event)).to.deep.equal(['now']);
        const local = await store.query({ kind: 'events', event: 'local', from: '2020-01-15', to: '2020-01-15' });
        expect(local.events.map((e) => e.timestamp)).to.deep.equal(['2020-01-15T09:00:00.000Z']);
        // 2020-01-15 is a Wednesday: its week starts on Monday the 13th.
        const week = await store.query({ kind: 'trend', event: 'local', interval: 'week', from: '2020-01-15', to: '2020-01-15' });
        expect(week.series[0]?.points).to.deep.equal([{ period: '2020-01-13', value: 1 }]);
      } finally {
        await store.close();
      }
    });

    it('takes timezone, weekStart and minGroupSize', async () => {
      const store = await openStore({ now: () => NOW, timezone: 'America/New_York', weekStart: 'sunday', minGroupSize: 2 });
      try {
        await store.ingest([{ event: 'e', user_id: 'u1', timestamp: '2026-11-18T23:30' }]);
        expect((await allEvents(store)).map((e) => e.timestamp)).to.deep.equal(['2026-11-19T04:30:00.000Z']);
        const week = await store.query({ kind: 'trend', interval: 'week', from: '2026-11-18', to: '2026-11-18' });
        expect(week.series[0]?.points).to.deep.equal([{ period: '2026-11-15', value: 1 }]);
        const users = await store.query({ kind: 'trend', math: 'users', from: '2026-11-18', to: '2026-11-18' });
        expect(users).to.deep.equal({ series: [{ label: 'all', points: [{ period: '2026-11-18', value: null, suppressed: true }] }], suppressed: true });
      } finally {
        await store.close();
      }
    });

    it('rejects bad options with a SpecError naming the option', async () => {
      const timezone = await specErrorOf(openStore({ timezone: 'Mars/Base' }), 'timezone');
      expect(timezone.message).to.equal("timezone: not an IANA time zone: 'Mars/Base'");
      const weekStart = await specErrorOf(openStore({ weekStart: 'friday' as 'monday' }), 'weekStart');
      expect(weekStart.message).to.equal("weekStart: must be monday or sunday, got 'friday'");
      const zero = await specErrorOf(openStore({ minGroupSize: 0 }), 'minGroupSize');
      expect(zero.message).to.equal("minGroupSize: must be a whole number of at least 1, got '0'");
      await specErrorOf(openStore({ minGroupSize: 2.5 }), 'minGroupSize');
      await specErrorOf(openStore({ timezone: 5 as unknown as string }), 'timezone');
    });
  });

  describe('transactions', () => {
    it('rolls a whole ingest call back when the engine fails part-way, leaving the store as it was', async () => {
      // A trigger makes SQLite itself fail on one event, 25,000 rows in (past the first insert batch).
      const SQL = await loadSqlJs();
      const seed = await openStore({ now: () => NOW });
      await seed.ingest([{ event: 'kept', user_id: 'old', timestamp: '2026-11-20T10:00:00Z' }]);
      const raw = new SQL.Database(await seed.export());
      raw.exec("CREATE TRIGGER fail BEFORE INSERT ON events WHEN NEW.name_id = (SELECT id FROM event_names WHERE name = 'boom') BEGIN SELECT RAISE(ABORT, 'engine failure'); END");
      const store = await openStore({ data: raw.export(), now: () => NOW });
      raw.close();
      const events = Array.from({ length: 30_000 }, (_, i) => ({ event: i === 25_000 ? 'boom' : 'new', user_id: `n${i % 7}`, timestamp: Date.UTC(2026, 10, 21) + i }));
      const error = await rejectionOf(store.ingest(events));
      expect(error.message).to.contain('engine failure');
      expect((await allEvents(store)).map((e) => `${e.user_id}:${e.event}`)).to.deep.equal(['old:kept']);
      // Nothing of the failed call stays behind in the dictionaries either.
      const check = new SQL.Database(await store.export());
      expect(check.exec('SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM event_names)')[0]!.values).to.deep.equal([[1, 1]]);
      check.close();
      // The store goes on working.
      expect((await store.ingest([{ event: 'new', user_id: 'n1', timestamp: Date.UTC(2026, 10, 22) }])).accepted).to.equal(1);
    });
  });

  describe('export and reopen', () => {
    it('reopens with the time zone and week start it was saved with, unless options say otherwise', async () => {
      const berlin = await openStore({ timezone: 'Europe/Berlin', weekStart: 'sunday', now: () => Date.UTC(2026, 10, 28, 12) });
      // 23:30Z on the 27th is 00:30 on the 28th in Berlin. The week holding the clock has not ended.
      await berlin.ingest([{ event: 'open', user_id: 'a', timestamp: '2026-11-27T23:30:00Z' }]);
      const data = await berlin.export();
      const spec = { kind: 'trend', math: 'events', interval: 'week', from: '2026-11-27', to: '2026-11-28' } as const;
      const points = async (store: Store): Promise<unknown> => (await store.query(spec)).series[0]!.points;
      const reopened = await openStore({ data, now: () => Date.UTC(2026, 10, 28, 12) });
      expect(await points(reopened)).to.deep.equal([{ period: '2026-11-22', value: 1, incomplete: true }]);
      const inUtc = await openStore({ data, timezone: 'UTC', weekStart: 'monday', now: () => Date.UTC(2026, 10, 28, 12) });
      expect(await points(inUtc)).to.deep.equal([{ period: '2026-11-23', value: 1, incomplete: true }]);
      // The new settings travel with the next export.
      const again = await openStore({ data: await inUtc.export(), now: () => Date.UTC(2026, 10, 28, 12) });
      expect(await points(again)).to.deep.equal([{ period: '2026-11-23', value: 1, incomplete: true }]);
    });

    it('reopens an exported store with every event intact, and keeps de-duplicating by uuid', async () => {
      const store = await openStore({ now: () => NOW });
      const input = sampleEvents();
      expect((await store.ingest(input)).accepted).to.equal(60);
      const before = await allEvents(store);
      expect(before.length).to.equal(60);
      const bytes = await store.export();
      expect(bytes).to.be.instanceOf(Uint8Array);
      // The store goes on working after an export.
      expect((await store.ingest([{ event: 'after-export', user_id: 'u9', timestamp: '2026-11-27T00:00:00Z' }])).accepted).to.equal(1);
      await store.close();

      const reopened = await openStore({ data: bytes, now: () => NOW });
      try {
        expect(await allEvents(reopened)).to.deep.equal(before);
        expect(before.find((e) => e.uuid === 'uuid-1')).to.equal(undefined);
        expect(before.find((e) => e.uuid === 'uuid-0')).to.deep.equal({
          event: '$pageview',
          user_id: 'alice',
          timestamp: '2026-11-01T00:00:00.000Z',
          session_id: 's-0',
          uuid: 'uuid-0',
          properties: {},
        });
        expect(before.find((e) => e.timestamp === '2026-11-02T01:01:00.001Z')).to.deep.equal({
          event: 'open',
          user_id: '42',
          timestamp: '2026-11-02T01:01:00.001Z',
          session_id: null,
          uuid: null,
          properties: { n: 1, text: 'a, "b" \\ 1', nested: { list: [1, null, true] } },
        });

        const replay = await reopened.ingest(input);
        expect(replay).to.deep.equal({ accepted: 30, duplicates: 30, rejected: [], ignoredFields: [] });
        expect((await allEvents(reopened)).length).to.equal(90);
        expect((await reopened.ingest([{ event: 'new', user_id: 'u1', timestamp: NOW, uuid: 'uuid-0' }])).duplicates).to.equal(1);

        // A reopened store exports and reopens again, from an ArrayBuffer this time.
        const again = await reopened.export();
        const copy = again.buffer.slice(again.byteOffset, again.byteOffset + again.byteLength) as ArrayBuffer;
        const third = await openStore({ data: copy, now: () => NOW });
        try {
          expect(await allEvents(third)).to.deep.equal(await allEvents(reopened));
        } finally {
          await third.close();
        }
      } finally {
        await reopened.close();
      }
    });

    it('rejects data that is not SQLite with a DataError starting with data:', async () => {
      const bytes = new Uint8Array(8192);
      let seed = 0x9e3779b9;
      for (let i = 0; i < bytes.length; i++) {
        // xorshift32: the same bytes on every run
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        bytes[i] = seed & 0xff;
      }
      const error = await rejectionOf(openStore({ data: bytes }));
      expect(error).to.be.instanceOf(DataError);
      expect(error.message.startsWith('data: not a readable SQLite file (')).to.equal(true, error.message);
      const text = await rejectionOf(openStore({ data: new TextEncoder().encode('event,user_id,timestamp\nopen,u1,2026-11-20T10:00:00Z\n'.repeat(100)) }));
      expect(text).to.be.instanceOf(DataError);
      expect(text.message.startsWith('data: ')).to.equal(true, text.message);
    });

    it('rejects a SQLite file that is not a Footprint store, or of another schema version', async () => {
      const plainBytes = await sqliteFile("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hello')");
      const error = await rejectionOf(openStore({ data: plainBytes }));
      expect(error).to.be.instanceOf(DataError);
      expect(error.message).to.equal('data: a SQLite file, but not a Footprint store (no footprint_meta table)');

      const futureBytes = await sqliteFile("CREATE TABLE footprint_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO footprint_meta VALUES ('schema_version', '99')");
      const version = await rejectionOf(openStore({ data: futureBytes }));
      expect(version).to.be.instanceOf(DataError);
      expect(version.message).to.equal('data: Footprint store schema version 99 is not supported (this build reads versions 1 and 2)');
    });
  });

  describe('deleteUser', () => {
    it('removes every event of the user, returns how many, and leaves the others intact', async () => {
      const store = await openStore({ now: () => NOW });
      try {
        await store.ingest(sampleEvents());
        const before = await allEvents(store);
        const alices = before.filter((e) => e.user_id === 'alice').length;
        expect(alices).to.equal(15);
        expect(await store.deleteUser('alice')).to.equal(15);
        expect(await allEvents(store)).to.deep.equal(before.filter((e) => e.user_id !== 'alice'));
        expect(await store.deleteUser('alice')).to.equal(0);
        expect(await store.deleteUser('nobody')).to.equal(0);
        // A number names the user stored as its string.
        expect(await store.deleteUser(42)).to.equal(15);
        expect(await allEvents(store)).to.deep.equal(before.filter((e) => e.user_id !== 'alice' && e.user_id !== '42'));
        expect((await store.query({ kind: 'events', user: 'bob', from: '2026-11-01', to: '2026-11-30' })).total).to.equal(15);
        // The deleted user's uuids are free again.
        const uuid = before.find((e) => e.user_id === 'alice' && e.uuid !== null)!.uuid!;
        expect((await store.ingest([{ event: 'back', user_id: 'alice', timestamp: NOW, uuid }])).accepted).to.equal(1);

        await specErrorOf(store.deleteUser(''), 'userId');
        await specErrorOf(store.deleteUser(null as unknown as string), 'userId');
      } finally {
        await store.close();
      }
    });

    it('leaves no trace of the user in the exported bytes (secure delete), also after an earlier export', async () => {
      const secret = 'forget-me-7Q9zXk';
      const store = await openStore({ now: () => NOW });
      try {
        const rows = [];
        for (let i = 0; i < 50; i++) {
          rows.push({ event: 'open', user_id: 'keeper', timestamp: Date.UTC(2026, 10, 2, 0, i), properties: { i } });
          rows.push({
            event: i === 0 ? `${secret}-only-event` : 'open',
            user_id: secret,
            timestamp: Date.UTC(2026, 10, 3, 0, i),
            session_id: `${secret}-session`,
            uuid: `${secret}-uuid-${i}`,
            properties: { owner: secret, note: `${secret} was here`.repeat(5) },
          });
        }
        expect((await store.ingest(rows)).accepted).to.equal(100);
        const withUser = bytesAsText(await store.export());
        expect(withUser.includes(secret)).to.equal(true, 'the id is in the file before deleting');
        expect(withUser.includes('keeper')).to.equal(true);

        expect(await store.deleteUser(secret)).to.equal(50);
        const after = bytesAsText(await store.export());
        expect(after.includes(secret)).to.equal(false, 'the deleted id is still in the exported bytes');
        expect(after.includes('forget-me')).to.equal(false);
        expect(after.includes('keeper')).to.equal(true);
        expect((await allEvents(store)).map((e) => e.user_id)).to.deep.equal(Array(50).fill('keeper'));
      } finally {
        await store.close();
      }
    });

    it('an event rejected as a duplicate leaves no trace of its user id or event name in the exported bytes', async () => {
      const store = await openStore({ now: () => NOW });
      try {
        await store.ingest([{ event: 'open', user_id: 'first-user', timestamp: '2026-11-20T10:00:00Z', uuid: 'same-uuid' }]);
        const report = await store.ingest([
          { event: 'ghost-event-Zq1', user_id: 'ghost-user-Zq1', timestamp: '2026-11-21T10:00:00Z', uuid: 'same-uuid' },
          { event: 'open', user_id: 'first-user', timestamp: '2026-11-21T11:00:00Z', uuid: 'same-uuid' },
          { event: 'kept-event', user_id: 'kept-user', timestamp: '2026-11-21T12:00:00Z', uuid: 'other-uuid' },
        ]);
        expect(report).to.deep.equal({ accepted: 1, duplicates: 2, rejected: [], ignoredFields: [] });
        const text = bytesAsText(await store.export());
        expect(text.includes('Zq1')).to.equal(false, 'a duplicate left its user id or event name in the file');
        expect(text.includes('first-user')).to.equal(true);
        expect(text.includes('kept-user')).to.equal(true);
        expect(text.includes('kept-event')).to.equal(true);
        expect((await allEvents(store)).map((e) => [e.event, e.user_id])).to.deep.equal([
          ['kept-event', 'kept-user'],
          ['open', 'first-user'],
        ]);
      } finally {
        await store.close();
      }
    });

    it('securely deletes in a reopened store too', async () => {
      const secret = 'reopened-secret-4Hq';
      const first = await openStore({ now: () => NOW });
      await first.ingest([
        { event: 'open', user_id: secret, timestamp: '2026-11-20T10:00:00Z', properties: { who: secret } },
        { event: 'open', user_id: 'other', timestamp: '2026-11-20T11:00:00Z' },
      ]);
      const bytes = await first.export();
      await first.close();
      const store = await openStore({ data: bytes, now: () => NOW });
      try {
        expect(await store.deleteUser(secret)).to.equal(1);
        expect(bytesAsText(await store.export()).includes(secret)).to.equal(false);
      } finally {
        await store.close();
      }
    });
  });

  describe('purgeBefore', () => {
    // 2026-11-01 is the day New York leaves daylight time: its local midnight is still UTC-4, 04:00Z.
    const stamps = [
      '2026-10-31T12:00:00.000Z',
      '2026-11-01T03:59:59.999Z',
      '2026-11-01T04:00:00.000Z',
      '2026-11-10T00:00:00.000Z',
      '2026-11-15T11:59:59.999Z',
      '2026-11-15T12:00:00.000Z',
      '2026-11-20T00:00:00.000Z',
      '2026-11-25T04:59:59.999Z',
      '2026-11-25T05:00:00.000Z',
    ];

    async function filled(): Promise<Store> {
      const store = await openStore({ now: () => NOW, timezone: 'America/New_York' });
      const report = await store.ingest(stamps.map((timestamp, i) => ({ event: `e${i}`, user_id: `u${i % 2}`, timestamp })));
      expect(report.accepted).to.equal(stamps.length);
      return store;
    }

    async function remaining(store: Store): Promise<string[]> {
      return (await allEvents(store)).map((e) => e.timestamp).reverse();
    }

    it('a date means local midnight of the store zone; date-times and numbers are instants; each returns its count', async () => {
      const store = await filled();
      try {
        expect(await store.purgeBefore('2026-10-01')).to.equal(0);
        expect(await store.purgeBefore('2026-11-01')).to.equal(2);
        expect(await remaining(store)).to.deep.equal(stamps.slice(2));
        expect(await store.purgeBefore('2026-11-15T12:00:00Z')).to.equal(3);
        expect(await remaining(store)).to.deep.equal(stamps.slice(5));
        expect(await store.purgeBefore(Date.UTC(2026, 10, 20))).to.equal(1);
        expect(await remaining(store)).to.deep.equal(stamps.slice(6));
        expect(await store.purgeBefore(new Date(Date.UTC(2026, 10, 20, 0, 0, 0, 1)))).to.equal(1);
        // Without an offset, a date-time is read in the store zone: 00:00 EST is 05:00Z.
        expect(await store.purgeBefore('2026-11-25T00:00')).to.equal(1);
        expect(await remaining(store)).to.deep.equal(stamps.slice(8));
        expect(await store.purgeBefore('2026-11-25T05:00:00+00:00')).to.equal(0);
      } finally {
        await store.close();
      }
    });

    it('the same date in a UTC store is UTC midnight', async () => {
      const store = await openStore({ now: () => NOW });
      try {
        await store.ingest(stamps.map((timestamp, i) => ({ event: `e${i}`, user_id: 'u', timestamp })));
        expect(await store.purgeBefore('2026-11-01')).to.equal(1);
      } finally {
        await store.close();
      }
    });

    it('rejects a bad date with a SpecError naming the field, and removes nothing', async () => {
      const store = await filled();
      try {
        for (const bad of ['soon', '2026-02-30', '2026-11-01T25:00', '', Number.NaN, Number.POSITIVE_INFINITY, new Date('not a date'), null, {}]) {
          const error = await specErrorOf(store.purgeBefore(bad as string), 'date');
          expect(error.message.startsWith('date: not a date: ')).to.equal(true, error.message);
        }
        const soon = await specErrorOf(store.purgeBefore('soon'), 'date');
        expect(soon.message).to.equal("date: not a date: 'soon' (give YYYY-MM-DD, an ISO 8601 date-time, epoch ms or a Date)");
        // Values are shown as given, not as JSON would write them ('null').
        const shown = await Promise.all([Number.NaN, Number.NEGATIVE_INFINITY, new Date(Number.NaN)].map((bad) => specErrorOf(store.purgeBefore(bad), 'date')));
        expect(shown.map((error) => error.message.split(' (')[0])).to.deep.equal([
          "date: not a date: 'NaN'",
          "date: not a date: '-Infinity'",
          "date: not a date: 'Invalid Date'",
        ]);
        expect(await remaining(store)).to.deep.equal(stamps);
      } finally {
        await store.close();
      }
    });
  });

  describe('close', () => {
    it('makes every later call reject with store is closed', async () => {
      const store = await openStore({ now: () => NOW });
      await store.ingest([{ event: 'open', user_id: 'u1', timestamp: '2026-11-20T10:00:00Z' }]);
      await store.close();
      const calls: [string, () => Promise<unknown>][] = [
        ['ingest', () => store.ingest([{ event: 'open', user_id: 'u1', timestamp: '2026-11-20T10:00:00Z' }])],
        ['ingestText', () => store.ingestText('{"event":"open","user_id":"u1","timestamp":"2026-11-20T10:00:00Z"}')],
        ['query', () => store.query({ kind: 'events' })],
        ['export', () => store.export()],
        ['deleteUser', () => store.deleteUser('u1')],
        ['purgeBefore', () => store.purgeBefore('2026-11-01')],
      ];
      for (const [name, call] of calls) {
        const error = await rejectionOf(call());
        expect(error.message).to.equal('store is closed', name);
      }
      // Closing twice is harmless.
      await store.close();
    });
  });

  describe('query spec errors', () => {
    let store: Store;

    before(async () => {
      store = await openStore({ now: () => NOW });
      await store.ingest([{ event: 'open', user_id: 'u1', timestamp: '2026-11-20T10:00:00Z' }]);
    });

    after(async () => {
      await store.close();
    });

    const cases: [string, unknown, string][] = [
      ['an unknown kind', { kind: 'nope' }, 'kind'],
      ['a kind that is not a string', { kind: 3 }, 'kind'],
      ['a missing kind', {}, 'kind'],
      ['a string spec', 'events', 'spec'],
      ['a null spec', null, 'spec'],
      ['an array spec', [{ kind: 'events' }], 'spec'],
      ['a number spec', 42, 'spec'],
      ['an unknown field', { kind: 'events', colour: 'red' }, 'colour'],
      ['an unknown field of another kind', { kind: 'events', interval: 'day' }, 'interval'],
      ['a bad month in from', { kind: 'events', from: '2026-13-01' }, 'from'],
      ['an impossible day in from', { kind: 'events', from: '2026-02-30' }, 'from'],
      ['words in from', { kind: 'events', from: 'last week' }, 'from'],
      ['a number in to', { kind: 'events', to: 20261101 }, 'to'],
      ['from after to', { kind: 'events', from: '2026-11-20', to: '2026-11-10' }, 'from'],
      ['from after to within a day', { kind: 'trend', from: '2026-11-20T12:00:00Z', to: '2026-11-20T11:00:00Z' }, 'from'],
      ['both from and periods', { kind: 'trend', from: '2026-11-01', periods: 3 }, 'periods'],
      ['a limit of 0', { kind: 'events', limit: 0 }, 'limit'],
      ['a limit over 10,000', { kind: 'events', limit: 10_001 }, 'limit'],
      ['a query time zone that does not exist', { kind: 'events', timezone: 'Mars/Base' }, 'timezone'],
      ['an unknown math', { kind: 'trend', math: 'median' }, 'math'],
      ['an empty event name', { kind: 'events', event: '' }, 'event'],
    ];
    for (const [title, spec, field] of cases) {
      it(`rejects ${title} with a SpecError on ${field}`, async () => {
        await specErrorOf(store.query(spec as Query), field);
      });
    }

    it('names the known kinds and fields in the message', async () => {
      const kind = await specErrorOf(store.query({ kind: 'nope' } as unknown as Query), 'kind');
      expect(kind.message).to.equal(`kind: unknown kind 'nope' (known: ${QUERY_KINDS.join(', ')})`);
      const missing = await specErrorOf(store.query({} as unknown as Query), 'kind');
      expect(missing.message).to.equal(`kind: missing (one of ${QUERY_KINDS.join(', ')})`);
      const order = await specErrorOf(store.query({ kind: 'events', from: '2026-11-20', to: '2026-11-10' }), 'from');
      expect(order.message).to.equal('from: is after to');
      const both = await specErrorOf(store.query({ kind: 'trend', from: '2026-11-01', periods: 3 }), 'periods');
      expect(both.message).to.equal('periods: give either from or periods, not both');
      // The store still answers after the errors.
      expect((await store.query({ kind: 'events', from: '2026-11-20', to: '2026-11-20' })).total).to.equal(1);
    });
  });
});
