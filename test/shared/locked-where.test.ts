import { expect } from 'chai';
import { SpecError, type Query } from '../../shared/index.ts';
import { queryCalendar, type QueryContext } from '../../shared/query/context.ts';
import { runQuery } from '../../shared/query/kinds.ts';
import type { PropertyFilter } from '../../shared/query/property-filter.ts';
import { sqliteDialect } from '../../shared/sql/dialect.ts';
import { SqlJsDatabase } from '../../shared/sql/sqljs-database.ts';
import { openSqlStore } from '../../shared/store/sql-store.ts';
import { loadSqlJs } from '../../shared/store/sqljs.ts';
import { evWith, NOW, storeWith } from './helpers.ts';

/**
 * A locked `where` (QueryContext.lockedWhere: an embed token's, METRICS.md
 * section 2): with it, a query of a store holding two tenants answers
 * exactly as a store holding only the locked tenant's events, and the
 * spec's own `where` can only narrow it, even when it names the same
 * property.
 *
 * User x has events in both tenants, minutes apart on 2026-11-03: without
 * the lock its globex events would extend its acme session and complete
 * its acme signup in the funnel.
 */

const acme = { tenant: 'acme' };
const globex = { tenant: 'globex' };
const ACME_EVENTS = [
  evWith('a1', '2026-11-02T10:00:00Z', 'signup', acme),
  evWith('a1', '2026-11-02T10:10:00Z', 'pay', acme),
  evWith('a1', '2026-11-03T09:00:00Z', 'click', acme),
  evWith('a2', '2026-11-02T12:00:00Z', 'signup', acme),
  evWith('a2', '2026-11-04T08:00:00Z', 'click', acme),
  evWith('x', '2026-11-03T10:00:00Z', 'signup', acme),
  evWith('x', '2026-11-03T10:05:00Z', 'click', acme),
];
const GLOBEX_EVENTS = [
  evWith('g1', '2026-11-02T10:00:00Z', 'signup', globex),
  evWith('g1', '2026-11-02T10:01:00Z', 'pay', globex),
  evWith('g1', '2026-11-03T10:00:00Z', 'pay', globex),
  evWith('x', '2026-11-03T10:20:00Z', 'signup', globex),
  evWith('x', '2026-11-03T10:30:00Z', 'pay', globex),
  evWith('g2', '2026-11-04T11:00:00Z', 'click', globex),
];
const RANGE = { from: '2026-11-02', to: '2026-11-04' } as const;

/** Runs specs over both tenants' events, with a lock, as the server's store does: runQuery with its own context. */
async function lockedRunner(): Promise<(spec: Query, lockedWhere: PropertyFilter | null) => unknown> {
  const SQL = await loadSqlJs();
  const raw = new SQL.Database();
  const db = new SqlJsDatabase(raw);
  const store = await openSqlStore({ db, export: () => raw.export(), close: () => raw.close() }, { now: () => NOW }, true);
  const report = await store.ingest([...ACME_EVENTS, ...GLOBEX_EVENTS]);
  expect(report.accepted).to.equal(13);
  const calendar = { timezone: 'UTC', weekStart: 'monday' } as const;
  return (spec, lockedWhere) => {
    const ctx: QueryContext = {
      sql: db,
      dialect: sqliteDialect,
      calendar: queryCalendar(spec as unknown as Record<string, unknown>, calendar),
      now: NOW,
      minGroupSize: 1,
      activityTimezone: 'UTC',
      keptSessions: true,
      filtered: false,
      lockedWhere,
    };
    return runQuery(spec, ctx);
  };
}

const trendValues = (result: unknown): (number | null)[] =>
  (result as { series: { points: { value: number | null }[] }[] }).series[0]!.points.map((p) => p.value);

describe('locked where (QueryContext.lockedWhere)', () => {
  let run: (spec: Query, lockedWhere: PropertyFilter | null) => unknown;
  let acmeOnly: (spec: Query) => Promise<unknown>;
  before(async () => {
    run = await lockedRunner();
    const store = await storeWith(ACME_EVENTS);
    acmeOnly = (spec) => store.query(spec);
  });

  const kinds: [string, Query, (result: unknown) => unknown, unknown, unknown][] = [
    // [name, spec, what to compare, locked to acme, unlocked]
    ['trend of events', { kind: 'trend', ...RANGE, math: 'events' }, trendValues, [3, 3, 1], [5, 6, 2]],
    ['trend of users', { kind: 'trend', ...RANGE, math: 'users' }, trendValues, [2, 2, 1], [3, 3, 2]],
    [
      'sessions',
      { kind: 'sessions', ...RANGE },
      (r) => {
        const s = r as { count: number; users: number; duration: { max: number } };
        return [s.count, s.users, s.duration.max];
      },
      // a1 twice, a2 twice, x once; x's acme session lasts 5 minutes, not until its globex pay at 10:30.
      [5, 3, 600],
      [8, 5, 1800],
    ],
    ['funnel signup → pay', { kind: 'funnel', ...RANGE, steps: ['signup', 'pay'] }, (r) => (r as { steps: { count: number }[] }).steps.map((s) => s.count), [3, 1], [4, 3]],
    [
      'first-time retention by day',
      { kind: 'retention', ...RANGE, cohort: 'first_time' },
      (r) => (r as { cohorts: { size: number; values: (number | null)[] }[] }).cohorts.map((c) => [c.size, ...c.values]),
      [
        [2, 2, 1, 1],
        [1, 1, 0],
        [0, 0],
      ],
      [
        [3, 3, 2, 1],
        [1, 1, 0],
        [1, 1],
      ],
    ],
    ['events listing', { kind: 'events', ...RANGE }, (r) => (r as { total: number }).total, 7, 13],
  ];

  for (const [name, spec, pick, locked, unlocked] of kinds) {
    describe(name, () => {
      it('answers with the lock exactly as a store of the locked tenant alone', async () => {
        const result = run(spec, acme);
        expect(pick(result)).to.deep.equal(locked);
        expect(result).to.deep.equal(await acmeOnly(spec));
        expect(pick(run(spec, null))).to.deep.equal(unlocked);
      });

      it('cannot be widened by a spec naming the locked property', async () => {
        const other = run({ ...spec, where: globex } as Query, acme);
        const none = run({ ...spec, where: { tenant: 'nobody' } } as Query, null);
        expect(other).to.deep.equal(none);
        // `!=` on the locked property stays inside the locked tenant.
        expect(run({ ...spec, where: { tenant: { op: '!=', value: 'x' } } } as Query, acme)).to.deep.equal(run(spec, acme));
        expect(run({ ...spec, where: { tenant: { op: '!=', value: 'acme' } } } as Query, acme)).to.deep.equal(none);
        // A `contains` that matches both tenants does not add the other one.
        expect(run({ ...spec, where: { tenant: { op: 'contains', value: 'e' } } } as Query, acme)).to.deep.equal(run(spec, acme));
      });
    });
  }

  it('gives no events at all when the spec asks for the other tenant', () => {
    expect(run({ kind: 'events', ...RANGE, where: globex }, acme)).to.deep.equal({ events: [], total: 0 });
    expect(trendValues(run({ kind: 'trend', ...RANGE, where: globex }, acme))).to.deep.equal([0, 0, 0]);
  });

  it('narrows further with the spec’s own conditions on other properties', () => {
    const rows = run({ kind: 'events', ...RANGE, event: 'signup' }, acme) as { events: { user_id: string }[] };
    expect(rows.events.map((e) => e.user_id).sort()).to.deep.equal(['a1', 'a2', 'x']);
  });

  it('rejects a malformed lock, naming it', () => {
    expect(() => run({ kind: 'events', ...RANGE }, { tenant: { op: '~', value: 'a' } } as unknown as PropertyFilter))
      .to.throw(SpecError)
      .with.property('field', 'lockedWhere.tenant.op');
  });
});
