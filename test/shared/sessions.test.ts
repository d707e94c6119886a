import { expect } from 'chai';
import { SpecError } from '../../shared/index.ts';
import { ev, rejectionOf, storeWith } from './helpers.ts';

const NO_SESSIONS = [
  { from: 0, to: 10, count: 0 },
  { from: 10, to: 30, count: 0 },
  { from: 30, to: 60, count: 0 },
  { from: 60, to: 180, count: 0 },
  { from: 180, to: 600, count: 0 },
  { from: 600, to: 1800, count: 0 },
  { from: 1800, to: 3600, count: 0 },
  { from: 3600, to: null, count: 0 },
];

/** The histogram with `counts` placed at the given bucket start (seconds). */
function histogram(counts: Record<number, number>): typeof NO_SESSIONS {
  return NO_SESSIONS.map((bucket) => ({ ...bucket, count: counts[bucket.from] ?? 0 }));
}

/** The day most tables use. */
const day = '2026-11-27';

describe('sessions', () => {
  it('splits at a gap of more than 30 minutes (METRICS.md example: 600 s and 2100 s)', async () => {
    const store = await storeWith(['13:00', '13:10', '13:50', '14:10', '14:25'].map((t) => ev('a', `${day}T${t}:00Z`)));
    const result = await store.query({ kind: 'sessions', from: day, to: day });
    expect(result).to.deep.equal({
      count: 2,
      users: 1,
      perUser: 2,
      bounceRate: 0,
      // [600, 2100]: p90 = 600 + 0.9 * 1500, p95 = 600 + 0.95 * 1500
      duration: { mean: 1350, median: 1350, p90: 1950, p95: 2025, max: 2100 },
      histogram: histogram({ 600: 1, 1800: 1 }),
      series: [{ period: day, sessions: 2, users: 1, medianDuration: 1350 }],
    });
  });

  it('keeps a gap of exactly 30 minutes in the session and splits one a millisecond longer', async () => {
    const store = await storeWith([
      ev('a', `${day}T10:00:00.000Z`),
      ev('a', `${day}T10:30:00.000Z`),
      ev('b', `${day}T10:00:00.000Z`),
      ev('b', `${day}T10:30:00.001Z`),
    ]);
    const result = await store.query({ kind: 'sessions', from: day, to: day });
    expect(result.count).to.equal(3);
    expect(result.duration).to.deep.equal({ mean: 600, median: 0, p90: 1440, p95: 1620, max: 1800 });
    expect(result.bounceRate).to.equal(2 / 3);
  });

  it('honours gapMinutes', async () => {
    const store = await storeWith(['10:00', '10:10', '10:21'].map((t) => ev('a', `${day}T${t}:00Z`)));
    expect((await store.query({ kind: 'sessions', from: day, to: day, gapMinutes: 10 })).count).to.equal(2);
    expect((await store.query({ kind: 'sessions', from: day, to: day, gapMinutes: 11 })).count).to.equal(1);
  });

  it('caps a session at 24 hours: the event that would make it longer starts a new one', async () => {
    // An event every 20 minutes for 25 hours: minute 1440 still fits (not more than the cap), minute 1460 does not.
    const start = Date.UTC(2026, 10, 20, 0, 0);
    const events = Array.from({ length: 76 }, (_, k) => ev('a', start + k * 20 * 60_000));
    const store = await storeWith(events);
    const result = await store.query({ kind: 'sessions', from: '2026-11-20', to: '2026-11-21' });
    expect(result.count).to.equal(2);
    expect(result.duration.max).to.equal(86_400);
    expect(result.duration.mean).to.equal((86_400 + 2400) / 2);
    expect(result.series).to.deep.equal([
      { period: '2026-11-20', sessions: 1, users: 1, medianDuration: 86_400 },
      { period: '2026-11-21', sessions: 1, users: 1, medianDuration: 2400 },
    ]);
  });

  it('applies maxMinutes per user, restarting the count at each new session', async () => {
    // Every 20 minutes for 2 h 40 min with a 60-minute cap: [0..60] [80..140] [160].
    const start = Date.UTC(2026, 10, 27, 8, 0);
    const events = [
      ...Array.from({ length: 9 }, (_, k) => ev('a', start + k * 20 * 60_000)),
      ...Array.from({ length: 3 }, (_, k) => ev('b', start + k * 20 * 60_000)),
    ];
    const store = await storeWith(events);
    const result = await store.query({ kind: 'sessions', from: day, to: day, maxMinutes: 60 });
    expect(result.count).to.equal(4);
    expect(result.histogram).to.deep.equal(histogram({ 0: 1, 1800: 1, 3600: 2 }));
    expect(result.duration.max).to.equal(3600);
    expect(result.bounceRate).to.equal(1 / 4);
  });

  it('crosses midnight in one session unless splitAtMidnight (METRICS.md example)', async () => {
    const events = ['2026-11-26T23:30:00Z', '2026-11-26T23:50:00Z', '2026-11-27T00:05:00Z', '2026-11-27T00:10:00Z'].map((t) => ev('a', t));
    const store = await storeWith(events);
    const range = { from: '2026-11-26', to: '2026-11-27' };
    const joined = await store.query({ kind: 'sessions', ...range });
    expect(joined.count).to.equal(1);
    expect(joined.duration.max).to.equal(2400);
    // The session belongs to the day of its first event.
    expect(joined.series.map((p) => p.sessions)).to.deep.equal([1, 0]);
    const split = await store.query({ kind: 'sessions', ...range, splitAtMidnight: true });
    expect(split.count).to.equal(2);
    expect(split.series).to.deep.equal([
      { period: '2026-11-26', sessions: 1, users: 1, medianDuration: 1200 },
      { period: '2026-11-27', sessions: 1, users: 1, medianDuration: 300 },
    ]);
  });

  it('splits at local midnight in the store time zone', async () => {
    // Berlin is UTC+1 in November: 22:30Z..23:10Z is 23:30..00:10 local.
    const events = ['2026-11-26T22:30:00Z', '2026-11-26T22:50:00Z', '2026-11-26T23:05:00Z', '2026-11-26T23:10:00Z'].map((t) => ev('a', t));
    const store = await storeWith(events, { timezone: 'Europe/Berlin' });
    const split = await store.query({ kind: 'sessions', from: '2026-11-26', to: '2026-11-27', splitAtMidnight: true });
    expect(split.series.map((p) => [p.period, p.sessions, p.medianDuration])).to.deep.equal([
      ['2026-11-26', 1, 1200],
      ['2026-11-27', 1, 300],
    ]);
  });

  it('groups events by session_id in auto mode, and the others by the gap rule', async () => {
    const store = await storeWith([
      // One session by id despite a 2-hour gap.
      ev('a', `${day}T08:00:00Z`, 'open', { session_id: 's1' }),
      ev('a', `${day}T10:00:00Z`, 'close', { session_id: 's1' }),
      // The same id for another user is another session.
      ev('b', `${day}T08:00:00Z`, 'open', { session_id: 's1' }),
      // Without ids: two sessions by the gap rule.
      ev('c', `${day}T08:00:00Z`),
      ev('c', `${day}T08:10:00Z`),
      ev('c', `${day}T12:00:00Z`),
    ]);
    const range = { from: day, to: day };
    const auto = await store.query({ kind: 'sessions', ...range });
    expect([auto.count, auto.users, auto.duration.max]).to.deep.equal([4, 3, 7200]);
    const byProperty = await store.query({ kind: 'sessions', ...range, sessionSource: 'property' });
    expect([byProperty.count, byProperty.users, byProperty.duration.max]).to.deep.equal([2, 2, 7200]);
    const byGap = await store.query({ kind: 'sessions', ...range, sessionSource: 'gap' });
    expect([byGap.count, byGap.users, byGap.duration.max]).to.deep.equal([5, 3, 600]);
  });

  it('keeps a session_id that looks like a number apart from the sessions the gap rule numbers', async () => {
    // Gap sessions are numbered internally from 65536; a session_id of '65536' is still another session.
    const store = await storeWith([
      ev('a', `${day}T08:00:00Z`),
      ev('a', `${day}T08:10:00Z`),
      ev('a', `${day}T08:05:00Z`, 'open', { session_id: '65536' }),
      ev('a', `${day}T09:00:00Z`, 'open', { session_id: '65536' }),
    ]);
    const result = await store.query({ kind: 'sessions', from: day, to: day });
    expect([result.count, result.users, result.duration.median, result.duration.max]).to.deep.equal([2, 1, 1950, 3300]);
  });

  it('counts one-event sessions as bounces, and includes them in durations', async () => {
    const store = await storeWith([
      ev('a', `${day}T08:00:00Z`),
      ev('b', `${day}T08:00:00Z`),
      ev('b', `${day}T08:00:00Z`), // two events at one instant: 0 s, but not a bounce
      ev('c', `${day}T08:00:00Z`),
      ev('c', `${day}T08:05:00Z`),
    ]);
    const result = await store.query({ kind: 'sessions', from: day, to: day });
    expect(result.bounceRate).to.equal(1 / 3);
    expect(result.duration).to.deep.equal({ mean: 100, median: 0, p90: 240, p95: 270, max: 300 });
  });

  it('counts the sessions whose first event is in the range, each whole (METRICS.md section 3)', async () => {
    const store = await storeWith([
      // Began before `from`: none of the query's sessions, though most of its events are in the range.
      ev('a', '2026-11-26T23:50:00Z'),
      ev('a', `${day}T00:10:00Z`),
      ev('a', `${day}T00:20:00Z`),
      // Begins after `to`.
      ev('a', '2026-11-28T00:05:00Z'),
      // Begins in the range and ends after `to`: counts with all of its 20 minutes.
      ev('b', `${day}T23:50:00Z`),
      ev('b', '2026-11-28T00:10:00Z'),
    ]);
    const result = await store.query({ kind: 'sessions', from: day, to: day });
    expect([result.count, result.users, result.duration.max, result.bounceRate]).to.deep.equal([1, 1, 1200, 0]);
    expect(result.series).to.deep.equal([{ period: day, sessions: 1, users: 1, medianDuration: 1200 }]);
    // The same sessions whatever the range: a range holding every event finds a's session whole.
    const wide = await store.query({ kind: 'sessions', from: '2026-11-26', to: '2026-11-28' });
    expect([wide.count, wide.duration.max]).to.deep.equal([3, 1800]);
  });

  it('places sessions in week periods, the first week counting from `from`', async () => {
    const store = await storeWith([
      ev('a', '2026-11-16T09:00:00Z'), // before from, same week: not in the range
      ev('a', '2026-11-18T09:00:00Z'),
      ev('a', '2026-11-18T09:01:00Z'),
      ev('b', '2026-11-23T09:00:00Z'),
      ev('a', '2026-11-24T09:00:00Z'),
    ]);
    const result = await store.query({ kind: 'sessions', interval: 'week', from: '2026-11-17', to: '2026-11-28' });
    expect(result.series).to.deep.equal([
      { period: '2026-11-16', sessions: 1, users: 1, medianDuration: 60 },
      // This week holds the store's clock (28 November, 12:00): not ended.
      { period: '2026-11-23', incomplete: true, sessions: 2, users: 2, medianDuration: 0 },
    ]);
    expect(result.users).to.equal(2);
  });

  it('answers an empty range with zeros and nulls', async () => {
    const store = await storeWith([ev('a', '2026-11-01T10:00:00Z')]);
    const result = await store.query({ kind: 'sessions', from: '2026-11-20', to: '2026-11-21' });
    expect(result).to.deep.equal({
      count: 0,
      users: 0,
      perUser: null,
      bounceRate: null,
      duration: { mean: null, median: null, p90: null, p95: null, max: null },
      histogram: NO_SESSIONS,
      series: [
        { period: '2026-11-20', sessions: 0, users: 0, medianDuration: null },
        { period: '2026-11-21', sessions: 0, users: 0, medianDuration: null },
      ],
    });
  });

  it('suppresses user counts below minGroupSize and what derives from them', async () => {
    const store = await storeWith(
      [ev('a', `${day}T08:00:00Z`), ev('a', `${day}T12:00:00Z`), ev('b', `${day}T08:00:00Z`), ev('c', '2026-11-28T08:00:00Z')],
      { minGroupSize: 3 },
    );
    const result = await store.query({ kind: 'sessions', from: day, to: '2026-11-28' });
    expect(result.suppressed).to.equal(true);
    expect([result.count, result.users, result.perUser, result.bounceRate]).to.deep.equal([4, 3, 4 / 3, 1]);
    expect(result.series.map((p) => p.users)).to.deep.equal([null, null]);
    const two = await store.query({ kind: 'sessions', from: day, to: day });
    expect([two.users, two.perUser, two.suppressed]).to.deep.equal([null, null, true]);
  });

  it('rejects bad session options, naming the field', async () => {
    const store = await storeWith([]);
    for (const [spec, field] of [
      [{ gapMinutes: 0 }, 'gapMinutes'],
      [{ maxMinutes: 10, gapMinutes: 30 }, 'maxMinutes'],
      [{ sessionSource: 'cookie' }, 'sessionSource'],
      [{ splitAtMidnight: 'yes' }, 'splitAtMidnight'],
      [{ interval: 'fortnight' }, 'interval'],
    ] as const) {
      const error = await rejectionOf(store.query({ kind: 'sessions', ...(spec as object) } as never));
      expect(error, field).to.be.instanceOf(SpecError);
      expect((error as SpecError).field).to.equal(field);
    }
  });
});
