import { expect } from 'chai';
import { DataError, openStore, type Query, type Store } from '../../shared/index.ts';
import { validateEvent, type ValidEvent } from '../../shared/ingest/event.ts';
import { generateSampleEvents } from '../../shared/sample-data.ts';
import { loadSqlJs } from '../../shared/store/sqljs.ts';
import { NOW, allEvents, rejectionOf, sqliteFile } from './helpers.ts';

/**
 * Opening a store file of schema version 1 (text uuids, session ids and
 * properties in `events`) converts it to the current version: every answer
 * and the events listing equal those of a store that ingested the same
 * events. Runs in Node and Chromium.
 */

/** The tables of schema version 1, as that version created them. */
const VERSION_1_TABLES = `
CREATE TABLE footprint_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE users (id INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE);
CREATE TABLE event_names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id),
  name_id INTEGER NOT NULL REFERENCES event_names (id),
  session_id TEXT,
  uuid TEXT,
  properties TEXT
);
CREATE UNIQUE INDEX events_by_uuid ON events (uuid);
CREATE INDEX events_by_time ON events (ts);
CREATE INDEX events_by_name ON events (name_id, ts);
CREATE INDEX events_by_user ON events (user_id, ts, seq);
INSERT INTO footprint_meta (key, value) VALUES ('schema_version', '1'), ('timezone', 'UTC'), ('weekStart', 'monday');
`;

/**
 * Sample events, plus events whose ids version 2 must keep as text: an
 * upper-case uuid, ids that are not uuids, a session id that looks like a
 * number, and properties that are not plain ASCII.
 */
function events(): object[] {
  return [
    ...generateSampleEvents({ users: 12, days: 21, seed: 7, end: NOW }),
    { event: 'open', user_id: 'z1', timestamp: NOW - 3_600_000, uuid: 'A1B2C3D4-0000-4000-8000-00000000000F', session_id: '7' },
    { event: 'open', user_id: 'z1', timestamp: NOW - 3_000_000, uuid: 'a1b2c3d4-0000-4000-8000-00000000000f', session_id: '7' },
    { event: 'save', user_id: 'z1', timestamp: NOW - 2_000_000, uuid: 'retry-42', properties: { note: 'ünïcødé 🚀', n: 1.5, ok: false } },
    { event: 'save', user_id: 'z2', timestamp: NOW - 1_000_000, uuid: '1234', session_id: 'tab-1', properties: { nested: { list: [1, null, 'x'] } } },
    { event: 'save', user_id: 'z2', timestamp: NOW - 500_000 },
  ];
}

/** A version 1 store file holding `valid` in their order, written as version 1 wrote them. */
async function version1File(valid: readonly ValidEvent[], properties = (e: ValidEvent) => e.properties): Promise<Uint8Array> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    db.exec(VERSION_1_TABLES);
    const insert = db.prepare(
      `INSERT INTO events (ts, user_id, name_id, session_id, uuid, properties) VALUES (?,
         (SELECT id FROM users WHERE external_id = ?), (SELECT id FROM event_names WHERE name = ?), ?, ?, ?)`,
    );
    for (const e of valid) {
      db.run('INSERT OR IGNORE INTO users (external_id) VALUES (?)', [e.userId]);
      db.run('INSERT OR IGNORE INTO event_names (name) VALUES (?)', [e.event]);
      insert.run([e.timestamp, e.userId, e.event, e.sessionId, e.uuid, properties(e)]);
    }
    insert.free();
    return db.export();
  } finally {
    db.close();
  }
}

function validated(raw: readonly object[]): ValidEvent[] {
  return raw.map((event) => {
    const valid = validateEvent(event, 'UTC');
    if ('reason' in valid) throw new Error(`test event rejected: ${valid.reason}`);
    return valid;
  });
}

const RANGE = { from: '2026-11-01', to: '2026-11-28' };
const SPECS: Query[] = [
  { kind: 'trend', ...RANGE },
  { kind: 'trend', math: 'users', interval: 'week', breakdown: 'path', ...RANGE },
  { kind: 'sessions', ...RANGE },
  { kind: 'sessions', sessionSource: 'property', ...RANGE },
  { kind: 'retention', ...RANGE },
  { kind: 'funnel', steps: ['signup', { event: '$pageview', where: { path: '/dashboard' } }], ...RANGE },
  { kind: 'paths', ...RANGE },
  { kind: 'errors', ...RANGE },
  { kind: 'friction', ...RANGE },
  { kind: 'segments', ...RANGE },
];

async function answers(store: Store): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const spec of SPECS) results.push(await store.query(spec));
  return results;
}

describe('schema upgrade (shared/store/schema.ts)', () => {
  it('opens a version 1 file as version 2: the same answers, events and dedupe as a store that ingested the events', async () => {
    const raw = events();
    const reference = await openStore({ now: () => NOW });
    const converted = await openStore({ data: await version1File(validated(raw)), now: () => NOW });
    try {
      expect((await reference.ingest(raw)).accepted).to.equal(raw.length);
      const listing = await allEvents(reference);
      expect(await allEvents(converted)).to.deep.equal(listing);
      // The ids kept as text come back as given; a lower-case uuid differing only in case is another event.
      expect(listing.slice(0, 5).map((e) => [e.uuid, e.session_id])).to.deep.equal([
        [null, null],
        ['1234', 'tab-1'],
        ['retry-42', null],
        ['a1b2c3d4-0000-4000-8000-00000000000f', '7'],
        ['A1B2C3D4-0000-4000-8000-00000000000F', '7'],
      ]);
      expect(listing[2]!.properties).to.deep.equal({ note: 'ünïcødé 🚀', n: 1.5, ok: false });
      const expected = await answers(reference);
      expect(await answers(converted)).to.deep.equal(expected);
      const sessions = (await converted.query({ kind: 'sessions', sessionSource: 'property', ...RANGE })).count;
      expect(sessions).to.be.greaterThan(20);

      // Every event with a uuid is stored: replaying them all adds only the one without.
      expect(await converted.ingest(raw)).to.deep.equal({ accepted: 1, duplicates: raw.length - 1, rejected: [], ignoredFields: [] });

      // The converted store exports a version 2 file that reopens with the same events and answers.
      const reopened = await openStore({ data: await converted.export(), now: () => NOW });
      try {
        expect(await allEvents(reopened)).to.deep.equal(await allEvents(converted));
        expect(await answers(reopened)).to.deep.equal(await answers(converted));
      } finally {
        await reopened.close();
      }
    } finally {
      await reference.close();
      await converted.close();
    }
  });

  it('writes version 2 into the file, with canonical uuids as 16 bytes, session ids as integers and properties as JSONB', async () => {
    const store = await openStore({ data: await version1File(validated(events())), now: () => NOW });
    const bytes = await store.export();
    await store.close();
    const SQL = await loadSqlJs();
    const db = new SQL.Database(bytes);
    try {
      expect(db.exec("SELECT value FROM footprint_meta WHERE key = 'schema_version'")[0]!.values).to.deep.equal([['2']]);
      const types = db.exec('SELECT typeof(uuid), typeof(session_id), typeof(properties), COUNT(*) FROM events GROUP BY 1, 2, 3 ORDER BY 1, 2, 3')[0]!.values;
      expect(types.map(([uuid, session, properties]) => [uuid, session, properties])).to.deep.equal([
        ['blob', 'integer', 'blob'],
        ['blob', 'integer', 'null'],
        ['null', 'null', 'null'],
        ['text', 'integer', 'blob'],
        ['text', 'integer', 'null'],
        ['text', 'null', 'blob'],
      ]);
      expect(db.exec("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'events_v1'")[0]!.values).to.deep.equal([[0]]);
    } finally {
      db.close();
    }
  });

  it('rejects a version 1 file it cannot convert with a DataError', async () => {
    const noEvents = await sqliteFile("CREATE TABLE footprint_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO footprint_meta VALUES ('schema_version', '1')");
    const error = await rejectionOf(openStore({ data: noEvents }));
    expect(error).to.be.instanceOf(DataError);
    expect(error.message).to.equal('data: a Footprint store of version 1 that cannot be converted to version 2 (no such table: events)');

    const badProperties = await version1File(validated(events()), (e) => (e.event === 'save' ? '{"unterminated": ' : e.properties));
    const malformed = await rejectionOf(openStore({ data: badProperties }));
    expect(malformed).to.be.instanceOf(DataError);
    expect(malformed.message).to.equal('data: a Footprint store of version 1 that cannot be converted to version 2 (malformed JSON)');
  });
});
