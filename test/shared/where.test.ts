import { expect } from 'chai';
import fc from 'fast-check';
import { SpecError, type AdoptionQuery, type FunnelQuery, type Query, type RetentionResult, type Store, type TrendResult } from '../../shared/index.ts';
import { FilteredExecutor, type SqlParams } from '../../shared/sql/executor.ts';
import { allEvents, ev, evWith, rejectionOf, storeOpener, storeWith } from './helpers.ts';

/**
 * `where` on every kind (METRICS.md section 2): the query sees only the
 * matching events, as if the store held no others. Each table below is
 * queried without and with a `where`, and both answers are exact.
 *
 * The session kinds' tables keep each user's events inside one day well
 * inside the range, so sessions cut at the range and sessions built from the
 * whole store (section 3) are the same sessions.
 */

const HOUR = 3_600_000;

const pro = { plan: 'pro' };
const free = { plan: 'free' };
const PRO = { where: pro };

describe('where (METRICS.md section 2)', () => {
  describe('trend', () => {
    const events = [
      evWith('a', '2026-11-02T10:00:00Z', 'click', pro),
      evWith('a', '2026-11-02T11:00:00Z', 'click', pro),
      evWith('b', '2026-11-02T10:00:00Z', 'click', free),
      evWith('a', '2026-11-03T10:00:00Z', 'click', free),
      evWith('b', '2026-11-03T10:00:00Z', 'click', pro),
      ev('c', '2026-11-03T10:00:00Z', 'click'),
    ];
    const days = { kind: 'trend', from: '2026-11-02', to: '2026-11-03' } as const;
    const values = async (store: Store, spec: Query): Promise<(number | null)[][]> =>
      ((await store.query(spec)) as { series: { points: { value: number | null }[] }[] }).series.map((s) => s.points.map((p) => p.value));

    it('counts only matching events and their users, per day (not the daily counts kept for all events)', async () => {
      const store = await storeWith(events);
      expect(await values(store, { ...days, math: 'events' })).to.deep.equal([[3, 3]]);
      expect(await values(store, { ...days, math: 'events', ...PRO })).to.deep.equal([[2, 1]]);
      expect(await values(store, { ...days, math: 'users' })).to.deep.equal([[2, 3]]);
      expect(await values(store, { ...days, math: 'users', ...PRO })).to.deep.equal([[1, 1]]);
      // `!=` also matches c's event, which has no plan.
      expect(await values(store, { ...days, math: 'events', where: { plan: { op: '!=', value: 'pro' } } })).to.deep.equal([[1, 2]]);
    });

    it('filters trailing windows and breakdowns too', async () => {
      const store = await storeWith(events);
      expect(await values(store, { ...days, math: 'wau' })).to.deep.equal([[2, 3]]);
      expect(await values(store, { ...days, math: 'wau', ...PRO })).to.deep.equal([[1, 2]]);
      expect((await store.query({ ...days, breakdown: 'plan', ...PRO })).series).to.deep.equal([
        {
          label: 'pro',
          points: [
            { period: '2026-11-02', value: 2 },
            { period: '2026-11-03', value: 1 },
          ],
        },
      ]);
    });
  });

  it('stickiness: counts the periods with a matching event', async () => {
    const store = await storeWith([
      ...['02', '03', '04'].map((d) => evWith('a', `2026-11-${d}T10:00:00Z`, 'click', pro)),
      evWith('b', '2026-11-02T10:00:00Z', 'click', pro),
      evWith('b', '2026-11-03T10:00:00Z', 'click', free),
      evWith('b', '2026-11-04T10:00:00Z', 'click', free),
      evWith('c', '2026-11-02T10:00:00Z', 'click', free),
    ]);
    const spec = { kind: 'stickiness', from: '2026-11-02', to: '2026-11-04' } as const;
    const users = async (q: Query) => ((await store.query(q)) as { buckets: { users: number | null }[] }).buckets.map((b) => b.users);
    expect(await users(spec)).to.deep.equal([1, 0, 2]);
    expect(await users({ ...spec, ...PRO })).to.deep.equal([1, 0, 1]);
  });

  it("retention first_time: a user's earlier non-matching event is invisible, so their first matching one makes a cohort", async () => {
    const store = await storeWith([
      // a's first event ever is before the range, but free; the first pro one is on the 3rd.
      evWith('a', '2026-11-01T10:00:00Z', 'x', free),
      evWith('a', '2026-11-03T10:00:00Z', 'x', pro),
      evWith('a', '2026-11-04T10:00:00Z', 'x', pro),
      evWith('b', '2026-11-03T10:00:00Z', 'x', free),
    ]);
    const spec = { kind: 'retention', cohort: 'first_time', from: '2026-11-03', to: '2026-11-05' } as const;
    const empty = [
      { start: '2026-11-04', size: 0, values: [0, 0] },
      { start: '2026-11-05', size: 0, values: [0] },
    ];
    expect(await store.query(spec)).to.deep.equal({ cohorts: [{ start: '2026-11-03', size: 1, values: [1, 0, 0] }, ...empty], average: [1, 0, 0] });
    expect(await store.query({ ...spec, ...PRO })).to.deep.equal({ cohorts: [{ start: '2026-11-03', size: 1, values: [1, 1, 0] }, ...empty], average: [1, 1, 0] });
  });

  it("lifecycle: new by the first matching event ever, and active only by matching events", async () => {
    const store = await storeWith([
      evWith('a', '2026-11-01T10:00:00Z', 'x', free),
      evWith('a', '2026-11-03T10:00:00Z', 'x', pro),
      evWith('b', '2026-11-02T10:00:00Z', 'x', pro),
      evWith('b', '2026-11-03T10:00:00Z', 'x', free),
    ]);
    const spec = { kind: 'lifecycle', from: '2026-11-03', to: '2026-11-04' } as const;
    const point = (period: string, counts: Partial<Record<'new' | 'returning' | 'resurrecting' | 'dormant', number>>) => ({
      period,
      new: 0,
      returning: 0,
      resurrecting: 0,
      dormant: 0,
      ...counts,
    });
    // Without: a comes back (first event on the 1st), b returns from the 2nd.
    expect((await store.query(spec)).points).to.deep.equal([point('2026-11-03', { returning: 1, resurrecting: 1 }), point('2026-11-04', { dormant: 2 })]);
    // Pro only: a is new on the 3rd; b's only pro event was on the 2nd, so b is dormant on the 3rd.
    expect((await store.query({ ...spec, ...PRO })).points).to.deep.equal([point('2026-11-03', { new: 1, dormant: 1 }), point('2026-11-04', { dormant: 1 })]);
  });

  it('funnel: steps match only matching events, together with their own where', async () => {
    const store = await storeWith(
      (['a', 'b', 'c'] as const).flatMap((user) => [
        evWith(user, '2026-11-02T10:00:00Z', 'signup', user === 'c' ? free : pro),
        evWith(user, '2026-11-02T11:00:00Z', 'pay', user === 'a' ? pro : free),
      ]),
    );
    const spec: FunnelQuery = { kind: 'funnel', steps: ['signup', 'pay'], from: '2026-11-02', to: '2026-11-03' };
    const counts = async (q: Query) => ((await store.query(q)) as { steps: { count: number | null }[] }).steps.map((s) => s.count);
    expect(await counts(spec)).to.deep.equal([3, 3]);
    expect(await counts({ ...spec, ...PRO })).to.deep.equal([2, 1]);
    expect(await counts({ ...spec, steps: ['signup', { event: 'pay', where: free }], ...PRO })).to.deep.equal([2, 0]);
  });

  describe('adoption', () => {
    const events = [
      evWith('a', '2026-11-01T12:00:00Z', 'open', free),
      evWith('a', '2026-11-02T12:00:00Z', 'open', pro),
      evWith('a', '2026-11-03T12:00:00Z', 'export', pro),
      evWith('a', '2026-11-04T12:00:00Z', 'export', pro),
      evWith('b', '2026-11-04T12:00:00Z', 'open', free),
      // c used export before the range, but free: with the where, their first use is on the 4th.
      evWith('c', '2026-11-01T12:00:00Z', 'export', free),
      evWith('c', '2026-11-04T00:00:00Z', 'export', pro),
    ];
    const spec: AdoptionQuery = { kind: 'adoption', features: ['export'], from: '2026-11-03', to: '2026-11-05' };
    const series = (adopters: number[]) => adopters.map((n, i) => ({ period: `2026-11-0${i + 3}`, adopters: n }));

    it('takes adopters, active users and the first event ever from matching events only', async () => {
      const store = await storeWith(events);
      expect((await store.query(spec)).features).to.deep.equal([
        // a adopted 2 days after their first event; c is no first-time adopter; a, b and c were active.
        { feature: 'export', adopters: 2, adoptionRate: 2 / 3, timeToAdopt: { medianDays: 2, p75Days: 2 }, repeatRate: 0.5, series: series([1, 2, 0]) },
      ]);
      expect((await store.query({ ...spec, ...PRO })).features).to.deep.equal([
        // a adopted 1 day after their first pro event, c at once; b was active only on free events.
        { feature: 'export', adopters: 2, adoptionRate: 1, timeToAdopt: { medianDays: 0.5, p75Days: 0.75 }, repeatRate: 0.5, series: series([1, 2, 0]) },
      ]);
    });

    it("'all' lists the features with a matching event in the range", async () => {
      const store = await storeWith(events);
      const names = async (q: Query) => ((await store.query(q)) as { features: { feature: string }[] }).features.map((f) => f.feature);
      expect(await names({ ...spec, features: 'all' })).to.deep.equal(['export', 'open']);
      expect(await names({ ...spec, features: 'all', ...PRO })).to.deep.equal(['export']);
    });
  });

  it('events: lists and counts only the matching events, also for one user', async () => {
    const store = await storeWith([
      evWith('a', '2026-11-02T10:00:00Z', 'x', pro),
      evWith('a', '2026-11-02T11:00:00Z', 'x', free),
      evWith('b', '2026-11-02T12:00:00Z', 'y', pro),
    ]);
    const range = { kind: 'events', from: '2026-11-02', to: '2026-11-02' } as const;
    const listed = async (q: Query) => {
      const result = (await store.query(q)) as { total: number; events: { user_id: string; timestamp: string }[] };
      return [result.total, result.events.map((e) => `${e.user_id} ${e.timestamp.slice(11, 16)}`)];
    };
    expect(await listed(range)).to.deep.equal([3, ['b 12:00', 'a 11:00', 'a 10:00']]);
    expect(await listed({ ...range, ...PRO })).to.deep.equal([2, ['b 12:00', 'a 10:00']]);
    expect(await listed({ ...range, user: 'a', ...PRO })).to.deep.equal([1, ['a 10:00']]);
  });

  describe('session kinds: sessions are built from the matching events', () => {
    const range = { from: '2026-11-09', to: '2026-11-11' };

    it('sessions: a non-matching event between two matching ones no longer bridges the gap', async () => {
      const store = await storeWith([
        evWith('a', '2026-11-10T10:00:00Z', 'x', pro),
        evWith('a', '2026-11-10T10:25:00Z', 'x', free),
        evWith('a', '2026-11-10T10:50:00Z', 'x', pro),
        evWith('b', '2026-11-10T10:00:00Z', 'x', free),
      ]);
      const summary = async (q: Query) => {
        const r = (await store.query(q)) as { count: number; users: number | null; bounceRate: number | null; duration: { max: number | null } };
        return [r.count, r.users, r.bounceRate, r.duration.max];
      };
      // a: one session of 50 minutes; b: a bounce.
      expect(await summary({ kind: 'sessions', ...range })).to.deep.equal([2, 2, 0.5, 3000]);
      // a's pro events are 50 minutes apart: two bounces, and b has none.
      expect(await summary({ kind: 'sessions', ...range, ...PRO })).to.deep.equal([2, 1, 1, 0]);
    });

    it('paths: steps are the matching events of a session', async () => {
      const store = await storeWith([
        evWith('a', '2026-11-10T10:00:00Z', 'home', pro),
        evWith('a', '2026-11-10T10:01:00Z', 'search', free),
        evWith('a', '2026-11-10T10:02:00Z', 'buy', pro),
      ]);
      expect(await store.query({ kind: 'paths', ...range })).to.deep.equal({
        transitions: [
          { step: 1, from: 'home', to: 'search', count: 1 },
          { step: 2, from: 'search', to: 'buy', count: 1 },
        ],
        dropOffs: [{ step: 3, event: 'buy', count: 1 }],
      });
      expect(await store.query({ kind: 'paths', ...range, ...PRO })).to.deep.equal({
        transitions: [{ step: 1, from: 'home', to: 'buy', count: 1 }],
        dropOffs: [{ step: 2, event: 'buy', count: 1 }],
      });
    });

    it('errors: counts matching errors, and sessions with a matching error', async () => {
      const store = await storeWith([
        evWith('a', '2026-11-10T10:00:00Z', '$error', { ...pro, message: 'boom' }),
        evWith('a', '2026-11-10T10:01:00Z', '$error', { ...free, message: 'bang' }),
        evWith('a', '2026-11-10T10:02:00Z', 'click', pro),
        evWith('b', '2026-11-10T10:00:00Z', '$error', { ...free, message: 'bang' }),
        evWith('b', '2026-11-10T10:05:00Z', 'click', pro),
      ]);
      const summary = async (q: Query) => {
        const r = (await store.query(q)) as { total: number; users: number | null; sessions: number; errorFreeSessionRate: number | null; top: unknown[] };
        return [r.total, r.users, r.sessions, r.errorFreeSessionRate, r.top];
      };
      expect(await summary({ kind: 'errors', ...range })).to.deep.equal([
        3,
        2,
        2,
        0,
        [
          { message: 'bang', count: 2, users: 2 },
          { message: 'boom', count: 1, users: 1 },
        ],
      ]);
      // b's session holds only a pro click.
      expect(await summary({ kind: 'errors', ...range, ...PRO })).to.deep.equal([1, 1, 1, 0.5, [{ message: 'boom', count: 1, users: 1 }]]);
    });

    it('friction: a burst counts only its matching clicks', async () => {
      const click = (user: string, ms: number, properties: Record<string, unknown>) =>
        evWith(user, Date.UTC(2026, 10, 10, 10) + ms, '$click', { ...properties, target: 'save', x: 50, y: 50 });
      // a's third click is free: two pro clicks are no rage click.
      const store = await storeWith([click('a', 0, pro), click('a', 100, pro), click('a', 200, free), click('b', 0, pro), click('b', 100, pro), click('b', 200, pro)]);
      expect((await store.query({ kind: 'friction', ...range })).rageClicks).to.deep.equal([{ target: 'save', count: 2, users: 2 }]);
      expect((await store.query({ kind: 'friction', ...range, ...PRO })).rageClicks).to.deep.equal([{ target: 'save', count: 1, users: 1 }]);
    });

    it("segments: labels users by their matching events", async () => {
      // a rage-clicks (free) in two sessions, each with a pro pageview; b has one pro pageview.
      const session = (day: string) => [
        evWith('a', `2026-11-${day}T10:00:00Z`, '$pageview', pro),
        ...[100, 200, 300].map((ms) => evWith('a', Date.parse(`2026-11-${day}T10:00:01Z`) + ms, '$click', { ...free, target: 'save', x: 1, y: 1 })),
      ];
      const store = await storeWith([...session('09'), ...session('11'), evWith('b', '2026-11-10T10:00:00Z', '$pageview', pro)]);
      const labels = async (q: Query) =>
        ((await store.query(q)) as { segments: { label: string; users: number | null; topEvents: unknown[] }[] }).segments.filter((s) => s.users !== 0);
      expect(await labels({ kind: 'segments', ...range })).to.deep.equal([
        { label: 'struggling', users: 1, topEvents: [{ event: '$click', count: 6 }, { event: '$pageview', count: 2 }] },
        { label: 'casual', users: 1, topEvents: [{ event: '$pageview', count: 1 }] },
      ]);
      expect(await labels({ kind: 'segments', ...range, ...PRO })).to.deep.equal([{ label: 'casual', users: 2, topEvents: [{ event: '$pageview', count: 3 }] }]);
    });
  });

  describe('checks', () => {
    it('rejects a bad where with a SpecError naming the field', async () => {
      const store = await storeWith([]);
      const cases: [unknown, string][] = [
        [{ plan: { op: '~', value: 'pro' } }, 'where.plan.op'],
        [{ amount: { op: '>', value: 'ten' } }, 'where.amount.value'],
        [{ plan: ['pro'] }, 'where.plan'],
        ['plan = pro', 'where'],
        [{ '': 1 }, 'where'],
      ];
      for (const [where, field] of cases) {
        for (const kind of ['trend', 'events', 'sessions']) {
          const error = await rejectionOf(store.query({ kind, where } as unknown as Query));
          expect(error, `${kind} ${JSON.stringify(where)}`).to.be.instanceOf(SpecError);
          expect((error as SpecError).field).to.equal(field);
        }
      }
    });

    it('binds keys and values as data, never as SQL', async () => {
      const hostile = "x'); DROP TABLE events; --";
      const store = await storeWith([evWith('a', '2026-11-02T10:00:00Z', 'x', { [hostile]: hostile }), evWith('a', '2026-11-02T11:00:00Z', 'x', pro)]);
      const range = { kind: 'events', from: '2026-11-02', to: '2026-11-02' } as const;
      expect((await store.query({ ...range, where: { [hostile]: hostile } })).total).to.equal(1);
      expect((await store.query({ ...range, where: { plan: hostile } })).total).to.equal(0);
      expect(await allEvents(store)).to.have.length(2);
    });

    it('puts the filter first in each query statement, binding its values with the statement\'s', () => {
      const seen: [string, SqlParams][] = [];
      const executor = new FilteredExecutor({ rows: (sql, params = {}) => (seen.push([sql, params]), []) }, 'events AS (F)', { $where_v0: 'pro' });
      executor.rows('WITH x AS (SELECT 1) SELECT * FROM x', { $a: 1 });
      executor.rows('  with recursive r(n) AS (SELECT 1) SELECT n FROM r');
      executor.rows('SELECT COUNT(*) FROM events');
      executor.rows('PRAGMA user_version');
      expect(seen).to.deep.equal([
        ['WITH events AS (F),\nx AS (SELECT 1) SELECT * FROM x', { $a: 1, $where_v0: 'pro' }],
        ['  with recursive events AS (F),\nr(n) AS (SELECT 1) SELECT n FROM r', { $where_v0: 'pro' }],
        ['WITH events AS (F)\nSELECT COUNT(*) FROM events', { $where_v0: 'pro' }],
        ['PRAGMA user_version', {}],
      ]);
      expect(() => executor.rows('SELECT $where_v0', { $where_v0: 1 })).to.throw(/\$where_v0 is bound both/);
    });

    it('an empty where is no condition', async () => {
      const store = await storeWith([evWith('a', '2026-11-02T10:00:00Z', 'x', pro), ev('b', '2026-11-02T11:00:00Z')]);
      expect((await store.query({ kind: 'events', from: '2026-11-02', to: '2026-11-02', where: {} })).total).to.equal(2);
    });
  });

  describe('never widens (random logs)', () => {
    /**
     * Up to 40 events of 5 users, names a, b and $error, over 2 to 15
     * November 2026 (the range is 4 to 13 November, so some fall before and
     * after it), each with plan pro, free or none.
     */
    const logArbitrary = fc.array(
      fc.record({
        user: fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5'),
        hour: fc.integer({ min: 0, max: 14 * 24 - 1 }),
        minute: fc.constantFrom(0, 10, 20, 45),
        event: fc.constantFrom('a', 'b', '$error'),
        plan: fc.constantFrom('pro', 'free', null),
      }),
      { maxLength: 40 },
    );
    type Log = typeof logArbitrary extends fc.Arbitrary<infer T> ? T : never;
    const range = { from: '2026-11-04', to: '2026-11-13' };

    async function storeOf(log: Log): Promise<Store> {
      const start = Date.UTC(2026, 10, 2);
      return storeWith(
        log.map((e) => evWith(e.user, start + e.hour * HOUR + e.minute * 60_000, e.event, e.plan === null ? {} : { plan: e.plan, message: 'm' })),
      );
    }

    /**
     * Counts that can only shrink when events are taken away, each with the
     * numbers to compare. Not sessions: taking away an event in the middle of
     * a session can split it in two (see the sessions test above).
     */
    const trendValues = (r: TrendResult) => r.series[0]!.points.map((p) => p.value);
    const cohortValues = (r: RetentionResult) => r.cohorts.flatMap((c) => c.values);
    const counted: [Query, (result: never) => (number | null)[]][] = [
      [{ kind: 'trend', ...range }, trendValues],
      [{ kind: 'trend', ...range, math: 'users', interval: 'week' }, trendValues],
      [{ kind: 'trend', ...range, math: 'wau', event: 'a' }, trendValues],
      [{ kind: 'stickiness', ...range, cumulative: true }, (r: { buckets: { users: number | null }[] }) => r.buckets.map((b) => b.users)],
      [{ kind: 'retention', ...range }, cohortValues],
      [{ kind: 'retention', ...range, criterion: 'on_or_after', startEvent: 'a', returnEvent: 'b' }, cohortValues],
      [{ kind: 'funnel', ...range, steps: ['a', 'b', 'a'], window: '1d' }, (r: { steps: { count: number | null }[] }) => r.steps.map((step) => step.count)],
      [
        { kind: 'adoption', ...range, features: ['a', 'b'] },
        (r: { features: { adopters: number | null; series: { adopters: number | null }[] }[] }) => r.features.flatMap((f) => [f.adopters, ...f.series.map((p) => p.adopters)]),
      ],
      [{ kind: 'errors', ...range }, (r: { total: number; users: number | null }) => [r.total, r.users]],
      [{ kind: 'events', ...range }, (r: { total: number }) => [r.total]],
    ];

    /** One spec of every kind, and the kinds' variants that read the whole store or kept counts. */
    const everyKind: Query[] = [
      ...counted.map(([spec]) => spec),
      { kind: 'retention', ...range, cohort: 'first_time', basis: 'rolling' },
      { kind: 'lifecycle', ...range },
      { kind: 'lifecycle', ...range, interval: 'week', event: 'b' },
      { kind: 'adoption', ...range, features: 'all' },
      { kind: 'sessions', ...range },
      { kind: 'paths', ...range },
      { kind: 'friction', ...range },
      { kind: 'segments', ...range },
    ];

    it('every count with a where is at most the count without', async function () {
      this.timeout(60_000 * storeOpener.timeScale);
      await fc.assert(
        fc.asyncProperty(logArbitrary, async (log) => {
          const store = await storeOf(log);
          try {
            for (const [spec, numbers] of counted) {
              const all = numbers((await store.query(spec)) as never);
              const some = numbers((await store.query({ ...spec, ...PRO })) as never);
              expect(some.length, JSON.stringify(spec)).to.equal(all.length);
              some.forEach((n, i) => expect(n!, `${JSON.stringify(spec)} [${i}]: ${JSON.stringify(some)} vs ${JSON.stringify(all)}`).to.be.at.most(all[i]!));
            }
          } finally {
            await store.close();
          }
        }),
        { seed: 20261201, numRuns: 100 },
      );
    });

    it('a where every event matches gives the answer without one, in every kind', async function () {
      this.timeout(60_000 * storeOpener.timeScale);
      // `!=` matches events without the property, so every event here.
      const everything = { where: { zzz: { op: '!=', value: 'x' } } } as const;
      await fc.assert(
        fc.asyncProperty(logArbitrary, async (log) => {
          const store = await storeOf(log);
          try {
            for (const spec of everyKind) {
              expect(await store.query({ ...spec, ...everything }), JSON.stringify(spec)).to.deep.equal(await store.query(spec));
            }
          } finally {
            await store.close();
          }
        }),
        { seed: 20261202, numRuns: 60 },
      );
    });
  });
});
