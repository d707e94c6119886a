import { expect } from 'chai';
import initSqlJs from 'sql.js/dist/sql-wasm-browser.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { openStore } from '../../shared/index.ts';
import { NOW } from './helpers.ts';

/** 25,000 events (a bulk load: the indexes are dropped and rebuilt), every 2,500th repeating the uuid before it. */
function bulkEvents(): Record<string, unknown>[] {
  return Array.from({ length: 25_000 }, (_, i) => ({
    event: `e${i % 7}`,
    user_id: `u${i % 300}`,
    timestamp: Date.UTC(2026, 10, 1) + i * 1000,
    uuid: i % 2500 === 2499 ? `id-${i - 1}` : `id-${i}`,
  }));
}

/** The names of the indexes on `events` in a store's exported file. */
async function eventIndexes(file: Uint8Array): Promise<string[]> {
  const wasmBinary = readFileSync(createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm'));
  const SQL = await initSqlJs({ wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) as ArrayBuffer });
  const db = new SQL.Database(file);
  const names = (db.exec("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'events' ORDER BY name")[0]?.values ?? []).map(([n]) => String(n));
  db.close();
  return names;
}

describe('bulk ingest into an empty store (shared/store/write-events.ts)', () => {
  it('skips uuids repeated within the call, in order, and rebuilds every index', async () => {
    const store = await openStore({ now: () => NOW });
    const report = await store.ingest(bulkEvents());
    expect(report).to.deep.equal({ accepted: 24_990, duplicates: 10, rejected: [], ignoredFields: [] });
    const first = await store.query({ kind: 'events', from: '2026-11-01', to: '2026-11-01', limit: 1 });
    expect(first.total).to.equal(24_990);
    expect(first.events[0]).to.deep.include({ event: 'e1', user_id: 'u98', uuid: 'id-24998', timestamp: '2026-11-01T06:56:38.000Z' });
    expect(await eventIndexes(await store.export())).to.deep.equal(['events_by_name', 'events_by_time', 'events_by_user', 'events_by_uuid']);
    // The rebuilt unique index refuses a stored uuid in the next, small ingest.
    const again = await store.ingest([{ event: 'x', user_id: 'new-user', timestamp: Date.UTC(2026, 10, 2), uuid: 'id-0' }]);
    expect(again).to.deep.include({ accepted: 0, duplicates: 1 });
    expect((await store.query({ kind: 'events', user: 'new-user', from: '2026-11-01', to: '2026-11-30' })).total).to.equal(0);
    await store.close();
  });

  it('gives the same stored events as ingesting them in small calls', async () => {
    const events = bulkEvents();
    const bulk = await openStore({ now: () => NOW });
    await bulk.ingest(events);
    const small = await openStore({ now: () => NOW });
    await small.ingest(events.slice(0, 1));
    for (let i = 1; i < events.length; i += 5_000) await small.ingest(events.slice(i, i + 5_000));
    const spec = { kind: 'events', from: '2026-11-01', to: '2026-11-30', limit: 10_000 } as const;
    expect(await bulk.query(spec)).to.deep.equal(await small.query(spec));
    await bulk.close();
    await small.close();
  });
});
