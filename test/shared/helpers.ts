import { expect } from 'chai';
import { openStore, type Store, type StoredEvent, type StoreOptions } from '../../shared/index.ts';
import { loadSqlJs } from '../../shared/store/sqljs.ts';

/** "Now" for tests: 2026-11-28 12:00 UTC, so default ranges are fixed. */
export const NOW = Date.UTC(2026, 10, 28, 12);

/** A raw event for hand-made tables. */
export function ev(user: string, timestamp: string | number, event = 'click', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { event, user_id: user, timestamp, ...extra };
}

/** A raw event carrying `properties`. */
export function evWith(user: string, timestamp: string | number, event: string, properties: Record<string, unknown>): Record<string, unknown> {
  return ev(user, timestamp, event, { properties });
}

/**
 * How `storeWith` opens a store. The ClickHouse suite (test/clickhouse/)
 * replaces it with one whose every query is also answered on chdb and
 * compared, so the core's tables of each kind check ClickHouse too.
 */
export const storeOpener: {
  open: (options: StoreOptions) => Promise<Store>;
  /** How many times longer a test may take on such stores (tests with a long time limit multiply it by this). */
  timeScale: number;
} = { open: openStore, timeScale: 1 };

/** Opens a store with a fixed clock and ingests `events`, failing loudly if any is rejected. */
export async function storeWith(events: Record<string, unknown>[], options: StoreOptions = {}): Promise<Store> {
  const store = await storeOpener.open({ now: () => NOW, ...options });
  const report = await store.ingest(events);
  if (report.rejected.length > 0) throw new Error(`test events rejected: ${JSON.stringify(report.rejected)}`);
  return store;
}

/** Every stored event, newest first. */
export async function allEvents(store: Store): Promise<StoredEvent[]> {
  const result = await store.query({ kind: 'events', from: '1970-01-01', to: '2100-12-31', limit: 10_000 });
  expect(result.events.length).to.equal(result.total);
  return result.events;
}

/** The bytes of a SQLite file made by running `sql` in an empty database. */
export async function sqliteFile(sql: string): Promise<Uint8Array> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  try {
    db.exec(sql);
    return db.export();
  } finally {
    db.close();
  }
}

/** The error a promise rejects with; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(Error);
    return error as Error;
  }
  throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
}
