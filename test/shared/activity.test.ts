// The daily counts (shared/store/activity.ts) that trend, stickiness,
// lifecycle, calendar retention, segments and adoption read
// instead of every event when the query's calendar is the store's, and the
// first uses (shared/store/first-uses.ts) adoption reads. Each test asks the
// same questions of a store whose counts are in the query's zone and of one
// kept in UTC, asked with a `where` every event meets, so that it reads every
// event for them: the answers must be equal, after every kind of write.
import { expect } from 'chai';
import { generateSampleEvents, openStore, type Query, type Store } from '../../shared/index.ts';
import { loadSqlJs } from '../../shared/store/sqljs.ts';
import { ev, NOW } from './helpers.ts';

/** Sample events over the autumn DST change of Berlin and Los Angeles (25 October / 1 November 2026). */
const EVENTS = generateSampleEvents({ events: 4000, seed: 11, days: 45, end: Date.UTC(2026, 10, 15) }) as unknown as Record<string, unknown>[];
const RANGE = { from: '2026-10-05', to: '2026-11-14' };

/** Every question the counts answer, in day, week and month periods, with and without an event filter. */
const SPECS: Query[] = [
  { kind: 'trend', ...RANGE },
  { kind: 'trend', math: 'users', ...RANGE },
  { kind: 'trend', math: 'users', interval: 'week', ...RANGE },
  { kind: 'trend', math: 'events', interval: 'month', ...RANGE },
  { kind: 'trend', math: 'wau', ...RANGE },
  { kind: 'trend', math: 'mau', ...RANGE },
  { kind: 'trend', math: 'stickiness_ratio', ...RANGE },
  { kind: 'trend', math: 'users', event: 'dashboard_viewed', ...RANGE },
  { kind: 'trend', math: 'events', event: '$pageview', interval: 'week', ...RANGE },
  { kind: 'trend', math: 'users', periods: 6, to: '2026-11-10' },
  { kind: 'stickiness', ...RANGE },
  { kind: 'stickiness', interval: 'week', event: 'search_used', ...RANGE },
  { kind: 'lifecycle', ...RANGE },
  { kind: 'lifecycle', interval: 'week', ...RANGE },
  { kind: 'lifecycle', interval: 'month', event: 'report_exported', ...RANGE },
  { kind: 'retention', ...RANGE },
  { kind: 'retention', interval: 'week', criterion: 'on_or_after', ...RANGE },
  { kind: 'retention', cohort: 'first_time', ...RANGE },
  { kind: 'retention', startEvent: 'signup', returnEvent: 'dashboard_viewed', minimumOccurrences: 2, ...RANGE },
  { kind: 'retention', returnEvent: 'search_used', interval: 'month', ...RANGE },
  { kind: 'errors', ...RANGE },
  { kind: 'errors', interval: 'week', ...RANGE },
  { kind: 'adoption', features: 'all', ...RANGE },
  { kind: 'adoption', features: ['search_used', 'report_exported'], interval: 'week', ...RANGE },
  { kind: 'segments', ...RANGE },
  { kind: 'segments', rules: { power: { days: 3, of: 10 } }, ...RANGE },
  // A `to` inside a day: read from the events by both.
  { kind: 'trend', math: 'users', from: '2026-10-20', to: '2026-10-26T09:30:00' },
];

/**
 * A `where` every event meets (`!=` matches events without the property):
 * the query then reads nothing kept from all events (daily counts, first
 * uses), only the events themselves.
 */
const EVERY_EVENT = { where: { not_a_property: { op: '!=', value: 'x' } } };

/** The answers of `store` to SPECS, each asked in `timezone`, from the kept counts or (`fromEvents`) from the events alone. */
async function answers(store: Store, timezone: string, fromEvents = false): Promise<unknown[]> {
  return Promise.all(SPECS.map((spec) => store.query({ ...spec, timezone, ...(fromEvents ? EVERY_EVENT : {}) } as Query)));
}

/** A store in `timezone` (whose counts answer) and one in UTC (which reads the events), given the same events. */
async function pair(timezone: string, events: Record<string, unknown>[] = EVENTS): Promise<[Store, Store]> {
  const counted = await openStore({ timezone, now: () => NOW });
  const raw = await openStore({ timezone: 'UTC', now: () => NOW });
  for (const store of [counted, raw]) {
    const report = await store.ingest(events);
    expect(report.rejected).to.deep.equal([]);
  }
  return [counted, raw];
}

async function expectSameAnswers(counted: Store, raw: Store, timezone: string): Promise<void> {
  const fromCounts = await answers(counted, timezone);
  const fromEvents = await answers(raw, timezone, true);
  SPECS.forEach((spec, i) => expect(fromCounts[i], JSON.stringify(spec)).to.deep.equal(fromEvents[i]));
}

describe('daily activity counts', () => {
  for (const timezone of ['Europe/Berlin', 'America/Los_Angeles']) {
    it(`answer as every event does, in ${timezone}`, async () => {
      const [counted, raw] = await pair(timezone);
      await expectSameAnswers(counted, raw, timezone);
    });
  }

  it('answer the same after a bulk load (20,000 events or more at once)', async () => {
    const many = generateSampleEvents({ events: 21_000, seed: 5, days: 45, end: Date.UTC(2026, 10, 15) }) as unknown as Record<string, unknown>[];
    const [counted, raw] = await pair('Europe/Berlin', many);
    await expectSameAnswers(counted, raw, 'Europe/Berlin');
  });

  it('count each event once when ingests repeat uuids, within a call and across calls', async () => {
    const [counted, raw] = await pair('Europe/Berlin', EVENTS.slice(0, 1500));
    for (const store of [counted, raw]) {
      // Half of these are stored already, and the first 100 come twice in the call.
      const again = [...EVENTS.slice(750, 2500), ...EVENTS.slice(750, 850)];
      const report = await store.ingest(again);
      expect([report.accepted, report.duplicates]).to.deep.equal([1000, 850]);
      await store.ingest(EVENTS.slice(2500));
    }
    await expectSameAnswers(counted, raw, 'Europe/Berlin');
  });

  it('drop what deleteUser and purgeBefore delete, counting a day cut by the purge again', async () => {
    const [counted, raw] = await pair('Europe/Berlin');
    const users = [...new Set(EVENTS.map((e) => String(e.user_id)))].slice(0, 20);
    // 25 October 2026, 09:30 in Berlin: the purge cuts that (25-hour) day.
    const cut = Date.UTC(2026, 9, 25, 8, 30);
    for (const store of [counted, raw]) {
      for (const user of users) await store.deleteUser(user);
      await store.purgeBefore(cut);
    }
    await expectSameAnswers(counted, raw, 'Europe/Berlin');
    // The purged day still counts the events after the cut.
    const [day] = (await counted.query({ kind: 'trend', from: '2026-10-25', to: '2026-10-25', timezone: 'Europe/Berlin' })).series[0]!.points;
    expect(day!.value).to.be.greaterThan(0);
  });

  it('keep the whole day that starts at a purge made at a local midnight (Europe/Berlin), before any reopen', async () => {
    const store = await openStore({ timezone: 'Europe/Berlin', now: () => NOW });
    await store.ingest([
      ev('a', '2026-11-09T22:59:59Z'), // 9 November, 23:59:59 in Berlin: purged
      ev('a', '2026-11-09T23:00:00Z'), // 10 November, 00:00: the cut itself, kept
      ev('b', '2026-11-10T12:00:00Z'),
      ev('c', '2026-11-11T08:00:00Z'),
    ]);
    expect(await store.purgeBefore('2026-11-10T00:00:00+01:00')).to.equal(1);
    const days = ['2026-11-09', '2026-11-10', '2026-11-11'];
    const range = { from: '2026-11-09', to: '2026-11-11' };
    // Read from the counts (day periods in the store's zone), then from the events alone: both as the events are.
    for (const source of [{}, EVERY_EVENT]) {
      for (const [math, values] of [['events', [0, 2, 1]], ['users', [0, 2, 1]]] as const) {
        const trend = await store.query({ kind: 'trend', math, ...range, ...source } as Query);
        expect(trend, `${math} ${JSON.stringify(source)}`).to.deep.equal({
          series: [{ label: 'all', points: days.map((period, i) => ({ period, value: values[i] })) }],
        });
      }
    }
  });

  it('are counted again when a file reopens in another time zone, or comes from a version without them', async () => {
    const [counted, raw] = await pair('Europe/Berlin');
    const file = await counted.export();
    const reopened = await openStore({ data: file, timezone: 'America/Los_Angeles', now: () => NOW });
    await expectSameAnswers(reopened, raw, 'America/Los_Angeles');

    const SQL = await loadSqlJs();
    const db = new SQL.Database(file);
    db.exec('DROP TABLE activity; DROP TABLE user_days');
    const older = await openStore({ data: db.export(), now: () => NOW });
    db.close();
    await expectSameAnswers(older, raw, 'Europe/Berlin');

    // Counts that disagree with the events (a file written by a version that did not keep them) are recounted.
    const stale = new SQL.Database(file);
    stale.exec('INSERT INTO events (ts, user_id, name_id) SELECT ts + 1, user_id, name_id FROM events ORDER BY seq LIMIT 1');
    const recounted = await openStore({ data: stale.export(), now: () => NOW });
    stale.close();
    const extra = await openStore({ timezone: 'UTC', now: () => NOW });
    await extra.ingest([...EVENTS, ev(String(EVENTS[0]!.user_id), Number(EVENTS[0]!.timestamp) + 1, String(EVENTS[0]!.event))]);
    await expectSameAnswers(recounted, extra, 'Europe/Berlin');
  });
});
