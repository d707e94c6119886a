import { expect } from 'chai';
import { SpecError } from '../../shared/index.ts';
import { countBursts } from '../../shared/metrics/friction-signals.ts';
import { ev, rejectionOf, storeWith } from './helpers.ts';

/** 27 November 2026, 10:00 UTC, in epoch ms: the clicks below are offsets from it. */
const T = Date.UTC(2026, 10, 27, 10);
const day = { from: '2026-11-27', to: '2026-11-27' };

/** A `$click` `ms` after T on `target` at (x, y); no position when x is undefined. */
function click(user: string, ms: number, target: string | undefined, x?: number, y?: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  if (target !== undefined) properties.target = target;
  if (x !== undefined) Object.assign(properties, { x, y });
  return ev(user, T + ms, '$click', { properties, ...extra });
}

function error(user: string, ms: number, message: string): Record<string, unknown> {
  return ev(user, T + ms, '$error', { properties: { message } });
}

const NONE = { rageClicks: [], repeatedErrors: [], thrashing: [] };

describe('friction (METRICS.md section 12)', () => {
  it('finds signals in the sessions whose first event is in the range, each whole (METRICS.md section 3)', async () => {
    const midnight = Date.UTC(2026, 10, 28);
    const store = await storeWith([
      // a: a session begun before the range (26 November 23:59:59.500) whose rage click lies in it: not counted.
      ev('a', Date.UTC(2026, 10, 26, 23, 59, 59, 500), 'open'),
      click('a', Date.UTC(2026, 10, 27) - T, 'button#old', 5, 5),
      click('a', Date.UTC(2026, 10, 27) - T + 100, 'button#old', 5, 5),
      click('a', Date.UTC(2026, 10, 27) - T + 200, 'button#old', 5, 5),
      // b: a session begun in the range whose rage click comes after `to`: counted.
      ev('b', midnight - 60_000, 'open'),
      click('b', midnight + 1000 - T, 'button#late', 5, 5),
      click('b', midnight + 1100 - T, 'button#late', 5, 5),
      click('b', midnight + 1200 - T, 'button#late', 5, 5),
    ]);
    expect(await store.query({ kind: 'friction', ...day })).to.deep.equal({ ...NONE, rageClicks: [{ target: 'button#late', count: 1, users: 1 }] });
  });

  describe('rage clicks', () => {
    it('counts 3 clicks within 1 s and 30 px of the first, inclusive, and not one ms or px beyond', async () => {
      const store = await storeWith([
        // a: the third click exactly 1000 ms and |15| + |15| = 30 px from the first: a rage click.
        click('a', 0, 'button#save', 100, 100),
        click('a', 500, 'button#save', 110, 100),
        click('a', 1000, 'button#save', 115, 115),
        // b: 1001 ms after the first (though only 501 after the previous one, which PostHog's tracker would count).
        click('b', 0, 'button#save', 100, 100),
        click('b', 500, 'button#save', 100, 100),
        click('b', 1001, 'button#save', 100, 100),
        // c: 16 + 15 = 31 px from the first.
        click('c', 0, 'button#save', 100, 100),
        click('c', 500, 'button#save', 100, 100),
        click('c', 900, 'button#save', 116, 115),
        // d: 18 + 24 = 42 px as PostHog measures (30 px in a straight line): not a rage click.
        click('d', 0, 'button#save', 100, 100),
        click('d', 100, 'button#save', 100, 100),
        click('d', 200, 'button#save', 118, 124),
      ]);
      expect(await store.query({ kind: 'friction', ...day })).to.deep.equal({
        ...NONE,
        rageClicks: [{ target: 'button#save', count: 1, users: 1 }],
      });
    });

    it('counts a burst as one rage click however long, and a click that does not fit starts the next burst', async () => {
      const store = await storeWith([
        // Every 300 ms: 0..900 is a burst of 4, then 1200 and 1500 (from a new first click) are only 2.
        ...[0, 300, 600, 900, 1200, 1500].map((ms) => click('a', ms, 'a.slow', 50, 50)),
        // Six clicks within half a second: one rage click, not four.
        ...[0, 100, 200, 300, 400, 500].map((ms) => click('b', ms, 'a.six', 50, 50)),
        // Two separate bursts, 5 s apart.
        ...[0, 100, 200, 5000, 5100, 5200].map((ms) => click('c', ms, 'a.twice', 50, 50)),
        // One burst each by two users.
        ...[0, 100, 200].flatMap((ms) => [click('d', ms, 'b.pair', 50, 50), click('e', ms, 'b.pair', 50, 50)]),
      ]);
      // Most bursts first, then most users, then by target.
      expect((await store.query({ kind: 'friction', ...day })).rageClicks).to.deep.equal([
        { target: 'b.pair', count: 2, users: 2 },
        { target: 'a.twice', count: 2, users: 1 },
        { target: 'a.six', count: 1, users: 1 },
        { target: 'a.slow', count: 1, users: 1 },
      ]);
    });

    it('needs one target; clicks without a target or a position are grouped and timed', async () => {
      const store = await storeWith([
        // Alternating targets: two clicks on x, one on y.
        click('a', 0, 'x', 10, 10),
        click('a', 100, 'y', 10, 10),
        click('a', 200, 'x', 10, 10),
        // No target and no position: '(no target)', compared by time only.
        click('b', 0, undefined),
        click('b', 100, undefined),
        click('b', 200, undefined),
      ]);
      expect((await store.query({ kind: 'friction', ...day })).rageClicks).to.deep.equal([{ target: '(no target)', count: 1, users: 1 }]);
    });

    it('finds bursts inside one session only', async () => {
      // Three clicks within a second, the last one in another session by its session_id.
      const store = await storeWith([
        click('a', 0, 'b', 5, 5, { session_id: 's1' }),
        click('a', 100, 'b', 5, 5, { session_id: 's1' }),
        click('a', 200, 'b', 5, 5, { session_id: 's2' }),
      ]);
      expect((await store.query({ kind: 'friction', ...day })).rageClicks).to.deep.equal([]);
      expect((await store.query({ kind: 'friction', ...day, sessionSource: 'gap' })).rageClicks).to.deep.equal([{ target: 'b', count: 1, users: 1 }]);
    });

    it('takes the three thresholds from rageClicks', async () => {
      const store = await storeWith([
        // 600 ms apart: by default two bursts of 2 (1200 is more than 1 s after 0).
        ...[0, 600, 1200].map((ms) => click('a', ms, 'b', 0, 0)),
        click('a', 1800, 'b', 11, 0),
      ]);
      expect((await store.query({ kind: 'friction', ...day })).rageClicks).to.deep.equal([]);
      expect((await store.query({ kind: 'friction', ...day, rageClicks: { clicks: 4, seconds: 2 } })).rageClicks).to.deep.equal([
        { target: 'b', count: 1, users: 1 },
      ]);
      // The fourth click is 11 px from the first: three are left.
      expect((await store.query({ kind: 'friction', ...day, rageClicks: { clicks: 4, seconds: 2, pixels: 10 } })).rageClicks).to.deep.equal([]);
      expect((await store.query({ kind: 'friction', ...day, rageClicks: { clicks: 3, seconds: 1.2 } })).rageClicks).to.deep.equal([
        { target: 'b', count: 1, users: 1 },
      ]);
    });
  });

  describe('repeated errors', () => {
    const message = (ms: number) => `Timeout after ${ms} ms loading report 8f3a9${ms % 10}`;
    const events = [
      // a: three in one session, the messages differing only in numbers and ids.
      error('a', 0, message(100)),
      error('a', 60_000, message(200)),
      error('a', 120_000, message(301)),
      // b: two, then one in a session 2 hours later: no session repeats it 3 times.
      error('b', 0, message(100)),
      error('b', 1000, message(100)),
      error('b', 7_200_000, message(100)),
      // c: three in each of two sessions.
      ...[0, 1000, 2000, 7_200_000, 7_201_000, 7_202_000].map((ms) => error('c', ms, message(ms))),
      // d: three different messages in one session.
      error('d', 0, 'Disk full'),
      error('d', 1000, 'Quota exceeded'),
      error('d', 2000, message(1)),
    ];

    it('counts the sessions that repeat one normalized message 3 or more times', async () => {
      const store = await storeWith(events);
      expect(await store.query({ kind: 'friction', ...day })).to.deep.equal({
        ...NONE,
        // a's session and c's two.
        repeatedErrors: [{ message: 'Timeout after # ms loading report #', count: 3, users: 2 }],
      });
    });

    it('does not add up a gap session and a session_id session that share a number', async () => {
      // Two errors in a session without ids (numbered 65536 by the gap rule) and one in session '65536': no session has 3.
      const store = await storeWith([
        error('a', 0, 'Disk full'),
        error('a', 1000, 'Disk full'),
        ev('a', T + 2000, '$error', { properties: { message: 'Disk full' }, session_id: '65536' }),
      ]);
      expect((await store.query({ kind: 'friction', ...day })).repeatedErrors).to.deep.equal([]);
    });

    it('takes the count from repeatedErrors', async () => {
      const store = await storeWith(events);
      // With 2: b's first session repeats too; d's messages still all differ.
      expect((await store.query({ kind: 'friction', ...day, repeatedErrors: { count: 2 } })).repeatedErrors).to.deep.equal([
        { message: 'Timeout after # ms loading report #', count: 4, users: 3 },
      ]);
    });
  });

  describe('thrashing', () => {
    const at = (user: string, event: string, seconds: number[]) => seconds.map((s) => ev(user, T + s * 1000, event));
    const events = [
      ...at('a', 'apply_filter', [0, 15, 30, 45, 60]), // 5 within exactly 60 s
      ...at('b', 'apply_filter', [0, 15, 30, 45, 61]), // the fifth 61 s after the first
      ...at('c', 'apply_filter', [0, 10, 20, 30]), // only 4
      ...at('d', 'apply_filter', [0, 5, 10, 15, 20, 25, 30, 35, 40, 45]), // 10: still one burst
      ...at('e', '$pageview', [0, 10, 20, 30, 40]), // page views count too
      // Clicks on five targets within a minute: neither thrashing ($click has its own signal) nor rage clicks.
      ...['p', 'q', 'r', 's', 't'].map((target, i) => click('f', i * 10_000, target, 0, 0)),
    ];

    it('counts bursts of 5 or more of one event within 60 s of the first', async () => {
      const store = await storeWith(events);
      expect(await store.query({ kind: 'friction', ...day })).to.deep.equal({
        ...NONE,
        thrashing: [
          { event: 'apply_filter', count: 2, users: 2 },
          { event: '$pageview', count: 1, users: 1 },
        ],
      });
    });

    it('takes the count and the seconds from thrashing', async () => {
      const store = await storeWith(events);
      // 4 within 61 s: a, b, c and d each have one burst (d's ten: 0..45 s); e's five page views are one.
      expect((await store.query({ kind: 'friction', ...day, thrashing: { count: 4, seconds: 61 } })).thrashing).to.deep.equal([
        { event: 'apply_filter', count: 4, users: 4 },
        { event: '$pageview', count: 1, users: 1 },
      ]);
      // 6 within 60 s: only d.
      expect((await store.query({ kind: 'friction', ...day, thrashing: { count: 6 } })).thrashing).to.deep.equal([
        { event: 'apply_filter', count: 1, users: 1 },
      ]);
    });
  });

  it('answers an empty range with empty lists', async () => {
    const store = await storeWith([click('a', 0, 'b', 0, 0), click('a', 1, 'b', 0, 0), click('a', 2, 'b', 0, 0)]);
    expect(await store.query({ kind: 'friction', from: '2026-11-28', to: '2026-11-28' })).to.deep.equal(NONE);
  });

  it('suppresses user counts below minGroupSize; signal counts stay', async () => {
    const burst = (user: string, target: string) => [0, 100, 200].map((ms) => click(user, ms, target, 0, 0));
    const store = await storeWith([...burst('a', 'x'), ...burst('b', 'x'), ...burst('c', 'x'), ...burst('a', 'y')], { minGroupSize: 3 });
    expect(await store.query({ kind: 'friction', ...day })).to.deep.equal({
      ...NONE,
      rageClicks: [
        { target: 'x', count: 3, users: 3 },
        { target: 'y', count: 1, users: null },
      ],
      suppressed: true,
    });
    expect(await store.query({ kind: 'friction', from: '2026-11-28', to: '2026-11-28' })).to.deep.equal(NONE);
  });

  it('rejects bad specs, naming the field', async () => {
    const store = await storeWith([]);
    for (const [spec, field] of [
      [{ rageClicks: { pixels: -1 } }, 'rageClicks.pixels'],
      [{ rageClicks: { clicks: 1 } }, 'rageClicks.clicks'],
      [{ rageClicks: { clicks: 3.5 } }, 'rageClicks.clicks'],
      [{ rageClicks: { seconds: 0 } }, 'rageClicks.seconds'],
      [{ rageClicks: { speed: 2 } }, 'rageClicks.speed'],
      [{ rageClicks: 3 }, 'rageClicks'],
      [{ repeatedErrors: { count: '3' } }, 'repeatedErrors.count'],
      [{ thrashing: { seconds: -60 } }, 'thrashing.seconds'],
      [{ thrashing: { count: 1 } }, 'thrashing.count'],
      [{ interval: 'day' }, 'interval'],
      [{ periods: 3 }, 'periods'],
      [{ sessionSource: 'cookie' }, 'sessionSource'],
    ] as const) {
      const error = await rejectionOf(store.query({ kind: 'friction', ...(spec as object) } as never));
      expect(error, field).to.be.instanceOf(SpecError);
      expect((error as SpecError).field, field).to.equal(field);
    }
  });

  describe('countBursts', () => {
    const at = (ts: number, seq: number, x: number | null, y: number | null = 0) => ({ ts, seq, x, y });

    it('walks the events in time, then ingestion order, whatever order they come in', () => {
      // By seq: (0,0) anchors; (100,0) is 100 px away and anchors; (10,0) is 90 px from it and anchors; (20,0) joins: no burst of 3.
      // Taken in the order given, (100,0) would anchor and (0,0), (10,0), (20,0) would make a burst.
      expect(countBursts([at(0, 2, 100), at(0, 1, 0), at(500, 3, 10), at(900, 4, 20)], 3, 1000, 30)).to.equal(0);
      expect(countBursts([at(900, 4, 5), at(500, 3, 5), at(0, 1, 0), at(0, 2, 0)], 3, 1000, 30)).to.equal(1);
    });

    it('counts every burst of at least min events, an event that does not fit anchoring the next', () => {
      const events = [0, 400, 800, 1200, 1300, 1500, 5000].map((ts, i) => at(ts, i, null, null));
      // [0, 400, 800] then [1200, 1300, 1500] (1200 is 1200 ms after 0), then [5000] alone.
      expect(countBursts(events, 3, 1000, 30)).to.equal(2);
      expect(countBursts(events, 4, 1000, 30)).to.equal(0);
      // Without a position an event is compared by time only, with pixels or without.
      expect(countBursts([at(0, 1, 0), at(10, 2, null), at(20, 3, 500)], 3, 1000, 30)).to.equal(0);
      expect(countBursts([at(0, 1, null), at(10, 2, 0), at(20, 3, 500)], 3, 1000, 30)).to.equal(1);
      expect(countBursts([at(0, 1, 0), at(10, 2, 900), at(20, 3, 500)], 3, 1000, null)).to.equal(1);
    });
  });
});
