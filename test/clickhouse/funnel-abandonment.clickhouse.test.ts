// The funnel abandonments of the `segments` kind on ClickHouse
// (funnelAbandonmentsTable, on chdb) against the core's `abandonmentsByUser`,
// as the SQLite store applies it: through segments queries whose only way to
// be `struggling` is abandonment (no power users, a friction threshold no
// one meets). For each K, SQLite's struggling count is the number of users
// whose `most` is at least K; ClickHouse's table must give, for every K from
// 1 to one past its largest `most`, that same number. This is exact on how
// many users have each `most` (what the rule reads), not on which user.
// Run by `npm run test:clickhouse`, not `npm test`.
import { expect } from 'chai';
import fc from 'fast-check';
import { openStore, type Query, type Store, type StoredEvent, type StoreOptions } from '../../shared/index.ts';
import { readFunnelAbandonment } from '../../shared/metrics/funnel-abandonment.ts';
import { resolveRange } from '../../shared/query/range.ts';
import { readSessionOptions } from '../../shared/sessions/session-options.ts';
import { funnelAbandonmentsTable } from '../../server/clickhouse/query/funnel-abandonment.ts';
import { Bindings } from '../../server/clickhouse/query/params.ts';
import { projectEvents } from '../../server/clickhouse/query/scope.ts';
import { sessionEventsTable } from '../../server/clickhouse/query/sessions-sql.ts';
import { ABANDONING_SESSIONS } from '../shared/abandoning-sessions.ts';
import { ev, NOW } from '../shared/helpers.ts';
import { logArbitrary, materialize, table } from '../shared/random-logs.ts';
import { chdbExecutor, createSchema, openChdbSession } from './chdb.ts';

const DATABASE = 'footprint';
const session = await openChdbSession();
createSchema(session, DATABASE);
after(() => session.cleanup());
const sql = chdbExecutor(session);
let projects = 0;

/** Copies a SQLite store's events to a fresh chdb project (each twice: duplicates must count once); returns its name. */
async function copyToChdb(store: Store): Promise<string> {
  const project = `a${++projects}`;
  const page = await store.query({ kind: 'events', from: '1970-01-01', to: '2100-12-31', limit: 10_000 });
  const events: StoredEvent[] = [...page.events].reverse();
  const rows = events.map((e, i) => ({
    project,
    uuid: e.uuid ?? `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    event: e.event,
    user_id: e.user_id,
    session_id: e.session_id ?? '',
    ts: Date.parse(e.timestamp),
    seq: i,
    properties: JSON.stringify(e.properties),
  }));
  if (rows.length > 0) {
    await session.insert({ table: `${DATABASE}.events_local`, values: rows });
    await session.insert({ table: `${DATABASE}.events_local`, values: rows });
  }
  return project;
}

/** Segments specs whose `struggling` users are exactly those with at least `k` abandonments. */
function onlyAbandonment(spec: Record<string, unknown>, k: number): Query {
  return { kind: 'segments', ...spec, rules: { power: { days: 366, of: 366 }, struggling: { sessions: 10_000, abandonments: k } } } as unknown as Query;
}

/** Compares ClickHouse's `(u, most)` table with SQLite's struggling counts for a segments spec with a funnel. */
async function compare(store: Store, project: string, options: StoreOptions, spec: Record<string, unknown>): Promise<void> {
  const calendar = { timezone: options.timezone ?? 'UTC', weekStart: options.weekStart ?? 'monday' };
  const range = resolveRange(spec, calendar, options.now?.() ?? NOW);
  const rules = readFunnelAbandonment(spec)!;
  const bind = new Bindings();
  const events = projectEvents({ database: DATABASE, project }, spec, { calendar, now: NOW, minGroupSize: 1 }, bind);
  const sessionEvents = sessionEventsTable(events, readSessionOptions(spec), calendar, range.from, range.to, bind);
  const table = funnelAbandonmentsTable(sessionEvents, events, rules, range.from, range.to, bind);
  const rows = await sql.rows(`SELECT toUInt64(most), count() FROM ${table} GROUP BY most SETTINGS final = 1`, bind.values);
  const users = new Map(rows.map(([most, n]) => [Number(most), Number(n)]));
  const largest = Math.max(0, ...users.keys());
  for (let k = 1; k <= largest + 1; k++) {
    const atLeast = [...users].filter(([most]) => most >= k).reduce((sum, [, n]) => sum + n, 0);
    const segments = (await store.query(onlyAbandonment(spec, k))) as { segments: { label: string; users: number | null }[] };
    const struggling = segments.segments.find((s) => s.label === 'struggling')!.users;
    expect(atLeast, `users with at least ${k} abandonments for ${JSON.stringify(spec)} (ClickHouse: ${JSON.stringify([...users])})`).to.equal(struggling);
  }
}

describe('funnel abandonments on ClickHouse (funnelAbandonmentsTable) against the SQLite store', () => {
  it('matches the funnel as the funnel kind does: later steps in later sessions, within the window, at the same step', async () => {
    // The segments test's table for this rule, and a third abandoning session for i3.
    const store = await openStore({ now: () => NOW });
    await store.ingest([
      ...ABANDONING_SESSIONS,
      ev('i3', '2026-11-19T14:00:00Z', 'start'),
      ev('i3', '2026-11-20T14:00:00Z', 'start'),
      ev('i3', '2026-11-21T14:00:00Z', 'start'),
      ev('i3', '2026-11-21T14:05:00Z', 'finish'),
      ev('i3', '2026-11-22T14:00:00Z', 'start'),
    ]);
    const project = await copyToChdb(store);
    const range = { from: '2026-11-01', to: '2026-11-28' };
    try {
      for (const funnel of [{ funnel: ['start', 'finish'] }, { funnel: ['start', 'finish'], funnelWindow: '1d' }, { funnel: ['start', 'middle', 'finish'] }]) {
        await compare(store, project, { now: () => NOW }, { ...range, ...funnel });
      }
    } finally {
      await store.close();
    }
  });

  it('on random logs: several funnels, windows and session rules', async function () {
    this.timeout(300_000);
    await fc.assert(
      fc.asyncProperty(logArbitrary, async (log) => {
        const { scenario, options, raw, events } = materialize(log);
        const storeOptions = { timezone: options.timezone, weekStart: options.weekStart, now: () => options.now };
        const store = await openStore(storeOptions);
        try {
          expect((await store.ingest(raw)).rejected).to.deep.equal([]);
          const project = await copyToChdb(store);
          const range = { from: scenario.from, to: scenario.to };
          const specs = [
            { ...range, funnel: ['a', 'b'] },
            { ...range, funnel: ['a', 'b', 'c'], funnelWindow: '2h' },
            { ...range, funnel: ['a', 'b', 'a'], gapMinutes: 10 },
            { from: scenario.since, to: scenario.cut, funnel: ['b', 'c', 'd'], funnelWindow: '1d', splitAtMidnight: true },
            { ...scenario.days, funnel: ['a', 'a', 'b'], sessionSource: 'gap', maxMinutes: 60 },
          ];
          for (const spec of specs) {
            try {
              await compare(store, project, storeOptions, spec);
            } catch (error) {
              throw new Error(`${String(error)}\nwith ${JSON.stringify(options)} on\n${table(events)}`);
            }
          }
        } finally {
          await store.close();
        }
      }),
      { seed: 20261206, numRuns: 40, interruptAfterTimeLimit: 200_000 },
    );
  });
});
