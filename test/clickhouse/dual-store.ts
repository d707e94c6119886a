import { expect } from 'chai';
import { openStore, type Query, type ResultOf, type Store, type StoredEvent, type StoreOptions } from '../../shared/index.ts';
import { answerClickHouse, CLICKHOUSE_KINDS } from '../../server/clickhouse/query/index.ts';
import { chdbExecutor, type ChdbSession } from './chdb.ts';

/** Every stored event of a SQLite store, oldest first, ties in ingestion order (the events query lists newest first). */
async function storedEvents(store: Store): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (let offset = 0; ; offset += 10_000) {
    const page = await store.query({ kind: 'events', from: '1970-01-01', to: '2100-12-31', limit: 10_000, offset });
    events.push(...page.events);
    if (events.length >= page.total) return events.reverse();
  }
}

let projects = 0;

/**
 * A SQLite store whose every query of a kind ClickHouse answers is answered
 * on chdb too, from the same stored (checked, scrubbed) events, and compared
 * with deep equality; the SQLite answer is returned. A query SQLite refuses
 * must be refused on ClickHouse with the same error. Before a query, the
 * events written since the last one are copied to a fresh project, each
 * event inserted twice in two inserts (two unmerged parts), so every
 * comparison also checks that queries count an event once.
 *
 * Events stored without a uuid get one in chdb (ClickHouse ingest gives one
 * to every such event), increasing in ingestion order; the comparison of the
 * `events` listing reads those back as null, as SQLite lists them.
 */
export async function openDualStore(session: ChdbSession, database: string, options: StoreOptions = {}): Promise<Store> {
  const store = await openStore(options);
  const sql = chdbExecutor(session);
  let project = '';
  let dirty = true;
  const generated = new Set<string>();

  async function copyToChdb(): Promise<void> {
    project = `p${++projects}`;
    const rows = (await storedEvents(store)).map((e, i) => {
      let uuid = e.uuid;
      if (uuid === null) generated.add((uuid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`));
      return { project, uuid, event: e.event, user_id: e.user_id, session_id: e.session_id ?? '', ts: Date.parse(e.timestamp), seq: i, properties: JSON.stringify(e.properties) };
    });
    if (rows.length > 0) {
      await session.insert({ table: `${database}.events_local`, values: rows });
      await session.insert({ table: `${database}.events_local`, values: rows });
    }
    dirty = false;
  }

  const writes = <A extends unknown[], R>(method: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      dirty = true;
      return method(...args);
    };

  return {
    ingest: writes((events) => store.ingest(events)),
    ingestText: writes((text, format) => store.ingestText(text, format)),
    deleteUser: writes((id) => store.deleteUser(id)),
    purgeBefore: writes((date) => store.purgeBefore(date)),
    export: () => store.export(),
    close: () => store.close(),
    async query<Q extends Query>(spec: Q) {
      const kind = (spec as { kind?: unknown } | null)?.kind;
      const both = CLICKHOUSE_KINDS.includes(kind as never) && !(options.pseudonymize && (spec as { user?: unknown }).user !== undefined);
      if (!both) return store.query(spec);
      if (dirty) await copyToChdb();
      const ctx = {
        calendar: { timezone: options.timezone ?? 'UTC', weekStart: options.weekStart ?? 'monday' },
        now: options.now?.() ?? Date.now(),
        minGroupSize: options.minGroupSize ?? 1,
      };
      let expected: ResultOf<Q>;
      try {
        expected = await store.query(spec);
      } catch (error) {
        const onClickHouse = await answerClickHouse(sql, { database, project }, spec, ctx).then(
          (result) => expect.fail(`SQLite refused ${JSON.stringify(spec)} (${String(error)}) but ClickHouse answered ${JSON.stringify(result)}`),
          (chError: unknown) => chError,
        );
        expect(String(onClickHouse), `the error for ${JSON.stringify(spec)}`).to.equal(String(error));
        throw error;
      }
      const actual = await answerClickHouse(sql, { database, project }, spec, ctx);
      if (kind === 'events') for (const e of (actual as { events: StoredEvent[] }).events) if (e.uuid !== null && generated.has(e.uuid)) e.uuid = null;
      expect(actual, `ClickHouse against SQLite for ${JSON.stringify(spec)}`).to.deep.equal(expected);
      return expected;
    },
  } as Store;
}
