import { expect } from 'chai';
import { SpecError, type SegmentsResult } from '../../shared/index.ts';
import { ev, rejectionOf, storeWith } from './helpers.ts';
import { ABANDONING_SESSIONS } from './abandoning-sessions.ts';

/** `count` events `event`, one a day at 09:00 from 1 November. */
function daily(user: string, count: number, event = 'open'): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ev(user, `2026-11-${String(i + 1).padStart(2, '0')}T09:00:00Z`, event));
}

/** A rage click: three clicks on one spot within 400 ms, starting at `start`. */
function rageClick(user: string, start: string): Record<string, unknown>[] {
  const at = Date.parse(start);
  return [0, 200, 400].map((ms) => ev(user, at + ms, '$click', { properties: { target: 'button#save', x: 10, y: 10 } }));
}

/** One session per day from `firstDay` of November: each list of names a minute apart. */
function sessions(user: string, firstDay: number, ...names: string[][]): Record<string, unknown>[] {
  return names.flatMap((list, s) =>
    list.map((name, i) => ev(user, `2026-11-${String(firstDay + s).padStart(2, '0')}T10:${String(i).padStart(2, '0')}:00Z`, name)),
  );
}

const NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];

/**
 * 1..28 November, each user just at or just below one rule:
 * p12 active on 12 days (power), p11 on 11; s2 with a rage click in two
 * sessions (struggling), s1 in one; e8 with 8 event names in its first 3
 * sessions (exploring), e7 with 7 (the 8th in its 4th session); f2 starting
 * the funnel start -> finish in two sessions without finishing, f1 in one.
 */
const events = [
  ...daily('p12', 12),
  ...daily('p11', 11),
  ...rageClick('s2', '2026-11-20T10:00:00Z'),
  ...rageClick('s2', '2026-11-21T10:00:00Z'),
  ...rageClick('s1', '2026-11-20T10:00:00Z'),
  ...sessions('e8', 22, NAMES.slice(0, 3), NAMES.slice(3, 6), NAMES.slice(6, 8)),
  ...sessions('e7', 22, NAMES.slice(0, 3), NAMES.slice(3, 6), NAMES.slice(6, 7), NAMES.slice(7, 8)),
  ev('f2', '2026-11-20T14:00:00Z', 'start'),
  ev('f2', '2026-11-21T14:00:00Z', 'start'),
  ev('f1', '2026-11-20T14:00:00Z', 'start'),
];
const range = { from: '2026-11-01', to: '2026-11-28' };

/** Top events for names counted once each. */
function once(names: string[]): { event: string; count: number }[] {
  return names.map((event) => ({ event, count: 1 }));
}

describe('segments (METRICS.md section 12)', () => {
  it('labels each active user by the first rule they match, each rule at its threshold and one below', async () => {
    const store = await storeWith(events);
    expect(await store.query({ kind: 'segments', ...range })).to.deep.equal({
      segments: [
        { label: 'power', users: 1, topEvents: [{ event: 'open', count: 12 }] },
        { label: 'struggling', users: 1, topEvents: [{ event: '$click', count: 6 }] },
        { label: 'exploring', users: 1, topEvents: once(NAMES.slice(0, 5)) },
        {
          // p11, s1, e7, and without a funnel f2 and f1; start (3) ties with $click and sorts after it.
          label: 'casual',
          users: 5,
          topEvents: [{ event: 'open', count: 11 }, { event: '$click', count: 3 }, { event: 'start', count: 3 }, ...once(['alpha', 'bravo'])],
        },
      ],
    } satisfies SegmentsResult);
  });

  it('counts funnel abandonments at one step in two sessions as struggling', async () => {
    const store = await storeWith(events);
    const result = await store.query({ kind: 'segments', ...range, funnel: ['start', 'finish'] });
    expect(result.segments.map((s) => [s.label, s.users])).to.deep.equal([
      ['power', 1],
      ['struggling', 2],
      ['exploring', 1],
      ['casual', 4],
    ]);
    expect(result.segments[1]!.topEvents).to.deep.equal([
      { event: '$click', count: 6 },
      { event: 'start', count: 2 },
    ]);
  });

  it('matches the funnel as the funnel kind does: later steps in later sessions, within the window, at the same step', async () => {
    const store = await storeWith(ABANDONING_SESSIONS);
    const query = (spec: object) => store.query({ kind: 'segments', ...range, ...spec });
    const struggling = (topEvents: { event: string; count: number }[], users: number) => ({ label: 'struggling', users, topEvents });

    // start -> finish: h, h2 and i2 abandon at step 1 in two sessions; g only in its second.
    const twoSteps = await query({ funnel: ['start', 'finish'] });
    expect(twoSteps.segments.map((s) => s.users)).to.deep.equal([0, 3, 0, 2]);
    expect(twoSteps.segments[1]).to.deep.equal(struggling([{ event: 'start', count: 6 }, { event: 'middle', count: 3 }], 3));

    // A 1-day window: g's first attempt does not finish in time either.
    const oneDay = await query({ funnel: ['start', 'finish'], funnelWindow: '1d' });
    expect(oneDay.segments.map((s) => s.users)).to.deep.equal([0, 4, 0, 1]);

    // start -> middle -> finish: g and i2 stop at step 1 twice, h2 at step 2 twice; h once at each.
    const threeSteps = await query({ funnel: ['start', 'middle', 'finish'] });
    expect(threeSteps.segments[1]).to.deep.equal(
      struggling([{ event: 'start', count: 6 }, { event: 'middle', count: 2 }, { event: 'finish', count: 1 }], 3),
    );
  });

  it('lets the first matching rule win', async () => {
    const store = await storeWith([
      // Power and struggling: power.
      ...daily('both', 12),
      ...rageClick('both', '2026-11-20T10:00:00Z'),
      ...rageClick('both', '2026-11-21T10:00:00Z'),
      // 8 names in the first session but a rage click in the second: not exploring (friction), not struggling (one session).
      ...sessions('x', 22, NAMES),
      ...rageClick('x', '2026-11-23T10:00:00Z'),
    ]);
    const result = await store.query({ kind: 'segments', ...range });
    expect(result.segments.map((s) => [s.label, s.users])).to.deep.equal([
      ['power', 1],
      ['struggling', 0],
      ['exploring', 0],
      ['casual', 1],
    ]);
  });

  it('takes the thresholds from rules, and the friction settings as the friction kind does', async () => {
    const store = await storeWith(events);
    const labels = async (spec: object) =>
      (await store.query({ kind: 'segments', ...range, ...spec })).segments.map((s) => s.users);
    // p11 becomes power.
    expect(await labels({ rules: { power: { days: 11 } } })).to.deep.equal([2, 1, 1, 4]);
    // s1's one session is enough.
    expect(await labels({ rules: { struggling: { sessions: 1 } } })).to.deep.equal([1, 2, 1, 4]);
    // f2 and f1: one abandoning session is enough (with a funnel).
    expect(await labels({ funnel: ['start', 'finish'], rules: { struggling: { abandonments: 1 } } })).to.deep.equal([1, 3, 1, 3]);
    // e7 explores with 7 names, or with its first 4 sessions.
    expect(await labels({ rules: { exploring: { events: 7 } } })).to.deep.equal([1, 1, 2, 4]);
    expect(await labels({ rules: { exploring: { sessions: 4 } } })).to.deep.equal([1, 1, 2, 4]);
    // Rage clicks of 4 clicks: s2 no longer struggles, and with no friction left, nobody else changes.
    expect(await labels({ rageClicks: { clicks: 4 } })).to.deep.equal([1, 0, 1, 6]);
  });

  it('counts power days among the last `of` days of the range, inside the range only', async () => {
    const store = await storeWith([
      ev('a', '2026-11-26T09:00:00Z'),
      ev('a', '2026-11-28T09:00:00Z'),
      // b's first day is before the last 3 days.
      ev('b', '2026-11-25T09:00:00Z'),
      ev('b', '2026-11-28T09:00:00Z'),
    ]);
    const power = async (spec: object) => (await store.query({ kind: 'segments', to: '2026-11-28', ...spec })).segments[0]!.users;
    expect(await power({ from: '2026-11-01', rules: { power: { days: 2, of: 3 } } })).to.equal(1);
    expect(await power({ from: '2026-11-01', rules: { power: { days: 2, of: 4 } } })).to.equal(2);
    // The range starts on the 27th: a's 26th is outside it.
    expect(await power({ from: '2026-11-27', rules: { power: { days: 2, of: 3 } } })).to.equal(0);
  });

  it("reads exploring from the user's first sessions that begin in the range", async () => {
    // x's first session begins on 31 October, before the range; in the range, the sessions of
    // 2..4 November hold the 8 names: exploring. Had the range cut that first session at `from`,
    // its part (alpha, bravo) would be a first session, and the first three would hold 6 names.
    const store = await storeWith([
      ev('x', '2026-10-31T23:58:00Z', 'alpha'),
      ev('x', '2026-11-01T00:01:00Z', 'alpha'),
      ev('x', '2026-11-01T00:02:00Z', 'bravo'),
      ...sessions('x', 2, NAMES.slice(0, 3), NAMES.slice(3, 6), NAMES.slice(6, 8)),
    ]);
    const result = await store.query({ kind: 'segments', from: '2026-11-01', to: '2026-11-28' });
    expect(result.segments.map((s) => [s.label, s.users])).to.deep.equal([
      ['power', 0],
      ['struggling', 0],
      ['exploring', 1],
      ['casual', 0],
    ]);
  });

  it('answers an empty range with the four labels and no users', async () => {
    const store = await storeWith(events);
    expect(await store.query({ kind: 'segments', from: '2026-12-01', to: '2026-12-05' })).to.deep.equal({
      segments: [
        { label: 'power', users: 0, topEvents: [] },
        { label: 'struggling', users: 0, topEvents: [] },
        { label: 'exploring', users: 0, topEvents: [] },
        { label: 'casual', users: 0, topEvents: [] },
      ],
    });
  });

  it('suppresses labels of 1 or 2 users, with their top events; 0 stays 0', async () => {
    const store = await storeWith(
      [...daily('a', 2), ...daily('b', 1), ...daily('c', 1, 'save'), ...sessions('d', 22, NAMES)],
      { minGroupSize: 3 },
    );
    expect(await store.query({ kind: 'segments', ...range })).to.deep.equal({
      segments: [
        { label: 'power', users: 0, topEvents: [] },
        { label: 'struggling', users: 0, topEvents: [] },
        { label: 'exploring', users: null, topEvents: [] },
        { label: 'casual', users: 3, topEvents: [{ event: 'open', count: 3 }, { event: 'save', count: 1 }] },
      ],
      suppressed: true,
    });
  });

  it('rejects bad specs, naming the field', async () => {
    const store = await storeWith([]);
    for (const [spec, field] of [
      [{ rules: { power: { days: 0 } } }, 'rules.power.days'],
      [{ rules: { power: { days: 13, of: 12 } } }, 'rules.power.days'],
      [{ rules: { power: { weeks: 2 } } }, 'rules.power.weeks'],
      [{ rules: { struggling: { sessions: 'two' } } }, 'rules.struggling.sessions'],
      [{ rules: { exploring: { events: -1 } } }, 'rules.exploring.events'],
      [{ rules: { calm: {} } }, 'rules.calm'],
      [{ rules: [] }, 'rules'],
      [{ funnel: ['only'] }, 'funnel'],
      [{ funnel: ['start', 3] }, 'funnel[1]'],
      [{ funnelWindow: '7d' }, 'funnelWindow'],
      [{ funnel: ['start', 'finish'], funnelWindow: 'soon' }, 'funnelWindow'],
      [{ rageClicks: { pixels: 'far' } }, 'rageClicks.pixels'],
      [{ interval: 'week' }, 'interval'],
    ] as const) {
      const error = await rejectionOf(store.query({ kind: 'segments', ...(spec as object) } as never));
      expect(error, field).to.be.instanceOf(SpecError);
      expect((error as SpecError).field, field).to.equal(field);
    }
  });
});
