// The events of the query's sessions in ClickHouse SQL (sessionEventsTable,
// server/clickhouse/query/sessions-sql.ts) on chdb: which session each event
// belongs to, on a hand-made table, and that it agrees with the sessions
// themselves (sessionsTable) on random events. The kinds built on it (paths,
// errors, friction, segments) are checked against SQLite in their own files.
import { expect } from 'chai';
import fc from 'fast-check';
import { Bindings } from '../../server/clickhouse/query/params.ts';
import { projectEvents } from '../../server/clickhouse/query/scope.ts';
import { sessionEventsTable, sessionsTable } from '../../server/clickhouse/query/sessions-sql.ts';
import { clickHouseLayout, ensureSchema } from '../../server/clickhouse/schema.ts';
import type { SessionOptions } from '../../shared/sessions/session-options.ts';
import { openChdb, type Chdb } from './chdb.ts';

const MIN = 60_000;
const T = Date.UTC(2026, 2, 28, 13, 0); // a Saturday, the day before Berlin moves its clocks
const UTC = { timezone: 'UTC', weekStart: 'monday' } as const;
const DEFAULTS: Required<SessionOptions> = { gapMinutes: 30, maxMinutes: 1440, splitAtMidnight: false, sessionSource: 'auto' };

describe('sessionEventsTable: each event of the query sessions with its session, on chdb', function () {
  this.timeout(120_000);
  let chdb: Chdb;
  let projects = 0;

  before(async () => {
    chdb = await openChdb();
    await ensureSchema(chdb, clickHouseLayout('footprint'));
  });
  after(async () => chdb?.close());

  /** Stores `events` ([user, minutes after T, session_id?]) in a fresh project, in order (seq), each twice; returns the project. */
  async function project(events: readonly (readonly [string, number, string?])[]): Promise<string> {
    const name = `s${++projects}`;
    const rows = events.map(([user, minutes, sid], i) => ({ project: name, uuid: `e${i}`, event: `n${i}`, user_id: user, session_id: sid ?? '', ts: T + minutes * MIN, seq: i, properties: '' }));
    await chdb.insert('footprint.events', rows);
    await chdb.insert('footprint.events', rows);
    return name;
  }

  const scopeOf = (name: string) => ({ database: 'footprint', project: name });

  /** [event, start (minutes after T), sid] of each event of the sessions beginning in [from, to] (minutes after T). */
  async function labelled(name: string, from: number, to: number, options: Partial<SessionOptions> = {}): Promise<[string, number, string][]> {
    const bind = new Bindings();
    const events = projectEvents(scopeOf(name), {}, { calendar: UTC, now: T, minGroupSize: 1 }, bind);
    const table = sessionEventsTable(events, { ...DEFAULTS, ...options }, UTC, T + from * MIN, T + to * MIN, bind);
    const rows = await chdb.rows(`SELECT event, intDiv(start - ${T}, ${MIN}), sid FROM ${table} ORDER BY ts, seq SETTINGS final = 1`, bind.values);
    return rows.map(([event, start, sid]) => [String(event), Number(start), String(sid)]);
  }

  it('METRICS.md section 3 example: 13:00 13:10 13:50 14:10 14:25 make two sessions; a session begun before from is none of the query, one begun in it counts whole', async () => {
    const name = await project([
      ['ann', 0],
      ['ann', 10],
      ['ann', 50],
      ['ann', 70],
      ['ann', 85],
    ]);
    expect(await labelled(name, 0, 60)).to.deep.equal([
      ['n0', 0, ''],
      ['n1', 0, ''],
      ['n2', 50, ''],
      ['n3', 50, ''],
      ['n4', 50, ''],
    ]);
    // From 13:05: the first session began before, so its events are in no session of the query.
    expect(await labelled(name, 5, 60)).to.deep.equal([
      ['n2', 50, ''],
      ['n3', 50, ''],
      ['n4', 50, ''],
    ]);
    // maxMinutes 30 cuts the second session at 14:25 (more than 30 minutes after 13:50).
    expect(await labelled(name, 5, 200, { maxMinutes: 30 })).to.deep.equal([
      ['n2', 50, ''],
      ['n3', 50, ''],
      ['n4', 85, ''],
    ]);
  });

  it('auto: events with a session_id form its session whatever the gaps, the others are cut by the rules; property drops the others, gap ignores session_id', async () => {
    const name = await project([
      ['bob', 0, 'x'],
      ['bob', 5],
      ['bob', 100, 'x'],
      ['bob', 110],
      ['cat', 20, 'y'],
      ['cat', 20],
    ]);
    expect(await labelled(name, 0, 200)).to.deep.equal([
      ['n0', 0, 'x'],
      ['n1', 5, ''],
      ['n4', 20, 'y'],
      ['n5', 20, ''],
      ['n2', 0, 'x'],
      ['n3', 110, ''],
    ]);
    expect(await labelled(name, 0, 200, { sessionSource: 'property' })).to.deep.equal([
      ['n0', 0, 'x'],
      ['n4', 20, 'y'],
      ['n2', 0, 'x'],
    ]);
    expect(await labelled(name, 0, 200, { sessionSource: 'gap' })).to.deep.equal([
      ['n0', 0, ''],
      ['n1', 0, ''],
      ['n4', 20, ''],
      ['n5', 20, ''],
      ['n2', 100, ''],
      ['n3', 100, ''],
    ]);
  });

  it('splitAtMidnight cuts at the local date: in Berlin 23:30 and 00:10 local are two sessions', async () => {
    // T is 13:00 UTC = 14:00 in Berlin: +570 minutes is 23:30 local, +610 is 00:10 the next day.
    const name = await project([
      ['dan', 570],
      ['dan', 610],
    ]);
    const bind = new Bindings();
    const berlin = { timezone: 'Europe/Berlin', weekStart: 'monday' } as const;
    const events = projectEvents(scopeOf(name), {}, { calendar: berlin, now: T, minGroupSize: 1 }, bind);
    const table = sessionEventsTable(events, { ...DEFAULTS, splitAtMidnight: true }, berlin, T, T + 1000 * MIN, bind);
    const rows = await chdb.rows(`SELECT event, intDiv(start - ${T}, ${MIN}) FROM ${table} ORDER BY ts SETTINGS final = 1`, bind.values);
    expect(rows.map(([event, start]) => [event, Number(start)])).to.deep.equal([
      ['n0', 570],
      ['n1', 610],
    ]);
  });

  it('agrees with sessionsTable on random events: the same sessions, each with its n events and its end', async () => {
    const event = fc.tuple(fc.constantFrom('u1', 'u2', 'u3'), fc.integer({ min: 0, max: 600 }), fc.option(fc.constantFrom('a', 'b'), { nil: undefined, freq: 3 }));
    const options = fc.record({
      gapMinutes: fc.constantFrom(5, 30),
      maxMinutes: fc.constantFrom(20, 60, 1440),
      splitAtMidnight: fc.boolean(),
      sessionSource: fc.constantFrom('auto' as const, 'property' as const, 'gap' as const),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 40 }), options, fc.integer({ min: 0, max: 300 }), async (events, opts, from) => {
        const name = await project(events);
        const bind = new Bindings();
        const seen = projectEvents(scopeOf(name), {}, { calendar: UTC, now: T, minGroupSize: 1 }, bind);
        const [a, b] = [sessionsTable(seen, opts, UTC, T + from * MIN, T + (from + 200) * MIN, bind), sessionEventsTable(seen, opts, UTC, T + from * MIN, T + (from + 200) * MIN, bind)];
        const row = (r: unknown[]) => [String(r[0]), ...r.slice(1).map(Number)];
        const sessions = await chdb.rows(`SELECT u, start, end, n FROM ${a} ORDER BY u, start, end, n SETTINGS final = 1`, bind.values);
        const fromEvents = await chdb.rows(
          `SELECT user_id, start, max(ts) AS e, count() AS c FROM ${b} GROUP BY user_id, sid, start ORDER BY user_id, start, e, c SETTINGS final = 1`,
          bind.values,
        );
        expect(fromEvents.map(row)).to.deep.equal(sessions.map(row));
      }),
      { seed: 20261204, numRuns: 60 },
    );
  });
});
