import { expect } from 'chai';
import { SpecError } from '../../shared/index.ts';
import { ev, rejectionOf, storeWith } from './helpers.ts';

/** The day most tables use. */
const day = '2026-11-27';

/** One user's events `names`, a minute apart from `start` (HH:MM on `day`), in this order. */
function visit(user: string, start: string, names: string[], extra: Record<string, unknown> = {}): Record<string, unknown>[] {
  const first = Date.parse(`${day}T${start}:00Z`);
  return names.map((name, i) => ev(user, first + i * 60_000, name, extra));
}

const range = { from: day, to: day };

describe('paths', () => {
  it('collapses consecutive repeats, numbering steps from 1', async () => {
    const store = await storeWith([
      ...visit('a', '10:00', ['home', 'home', 'search', 'search', 'home', 'buy']), // home search home buy
      ...visit('b', '10:00', ['home', 'home', 'search']), // home search
    ]);
    expect(await store.query({ kind: 'paths', ...range })).to.deep.equal({
      transitions: [
        { step: 1, from: 'home', to: 'search', count: 2 },
        { step: 2, from: 'search', to: 'home', count: 1 },
        { step: 3, from: 'home', to: 'buy', count: 1 },
      ],
      dropOffs: [
        { step: 2, event: 'search', count: 1 },
        { step: 4, event: 'buy', count: 1 },
      ],
    });
  });

  describe('start and end anchors', () => {
    const events = [
      ...visit('a', '10:00', ['home', 'signup', 'docs', 'signup', 'buy', 'docs', 'buy', 'home']),
      ...visit('b', '10:00', ['home', 'docs']), // neither anchor: never a path with one
      ...visit('c', '10:00', ['buy', 'signup']), // its only end is before its only start
    ];

    it('starts at the first start event; sessions without one are not paths', async () => {
      const store = await storeWith(events);
      expect(await store.query({ kind: 'paths', ...range, start: 'signup', steps: 10 })).to.deep.equal({
        transitions: [
          { step: 1, from: 'signup', to: 'docs', count: 1 },
          { step: 2, from: 'docs', to: 'signup', count: 1 },
          { step: 3, from: 'signup', to: 'buy', count: 1 },
          { step: 4, from: 'buy', to: 'docs', count: 1 },
          { step: 5, from: 'docs', to: 'buy', count: 1 },
          { step: 6, from: 'buy', to: 'home', count: 1 },
        ],
        // c's path is its lone signup.
        dropOffs: [
          { step: 1, event: 'signup', count: 1 },
          { step: 7, event: 'home', count: 1 },
        ],
      });
    });

    it('ends at the last end event; sessions without one are not paths', async () => {
      const store = await storeWith(events);
      expect(await store.query({ kind: 'paths', ...range, end: 'buy', steps: 10 })).to.deep.equal({
        transitions: [
          { step: 1, from: 'home', to: 'signup', count: 1 },
          { step: 2, from: 'signup', to: 'docs', count: 1 },
          { step: 3, from: 'docs', to: 'signup', count: 1 },
          { step: 4, from: 'signup', to: 'buy', count: 1 },
          { step: 5, from: 'buy', to: 'docs', count: 1 },
          { step: 6, from: 'docs', to: 'buy', count: 1 },
        ],
        // c's path is its lone buy.
        dropOffs: [
          { step: 1, event: 'buy', count: 1 },
          { step: 7, event: 'buy', count: 1 },
        ],
      });
      // Cut after 3 events like any path: a stops at docs, before its end.
      expect(await store.query({ kind: 'paths', ...range, end: 'buy', steps: 3 })).to.deep.equal({
        transitions: [
          { step: 1, from: 'home', to: 'signup', count: 1 },
          { step: 2, from: 'signup', to: 'docs', count: 1 },
        ],
        dropOffs: [
          { step: 1, event: 'buy', count: 1 },
          { step: 3, event: 'docs', count: 1 },
        ],
      });
    });

    it('with both, runs from the first start to the last end, and drops sessions whose end comes first', async () => {
      const store = await storeWith(events);
      expect(await store.query({ kind: 'paths', ...range, start: 'signup', end: 'buy', steps: 10 })).to.deep.equal({
        transitions: [
          { step: 1, from: 'signup', to: 'docs', count: 1 },
          { step: 2, from: 'docs', to: 'signup', count: 1 },
          { step: 3, from: 'signup', to: 'buy', count: 1 },
          { step: 4, from: 'buy', to: 'docs', count: 1 },
          { step: 5, from: 'docs', to: 'buy', count: 1 },
        ],
        dropOffs: [{ step: 6, event: 'buy', count: 1 }],
      });
    });

    it('finds no path for an anchor no event has', async () => {
      const store = await storeWith(events);
      expect(await store.query({ kind: 'paths', ...range, start: 'never' })).to.deep.equal({ transitions: [], dropOffs: [] });
    });
  });

  describe('include and exclude', () => {
    const events = [
      ...visit('a', '10:00', ['home', 'ad', 'home', 'search', 'ad', 'buy']),
      // 25 minutes apart: one session; without the ad the gap would be 50 minutes.
      ev('b', `${day}T10:00:00Z`, 'home'),
      ev('b', `${day}T10:25:00Z`, 'ad'),
      ev('b', `${day}T10:50:00Z`, 'buy'),
    ];

    it('removes excluded events before collapsing, inside the sessions of all events', async () => {
      const store = await storeWith(events);
      // a: home search buy (home ad home collapses once the ad is gone); b: home buy.
      expect(await store.query({ kind: 'paths', ...range, exclude: ['ad'] })).to.deep.equal({
        transitions: [
          { step: 1, from: 'home', to: 'buy', count: 1 },
          { step: 1, from: 'home', to: 'search', count: 1 },
          { step: 2, from: 'search', to: 'buy', count: 1 },
        ],
        dropOffs: [
          { step: 2, event: 'buy', count: 1 },
          { step: 3, event: 'buy', count: 1 },
        ],
      });
    });

    it('keeps only included events, before collapsing', async () => {
      const store = await storeWith(events);
      // a: home home buy -> home buy; b: home buy.
      expect(await store.query({ kind: 'paths', ...range, include: ['home', 'buy'] })).to.deep.equal({
        transitions: [{ step: 1, from: 'home', to: 'buy', count: 2 }],
        dropOffs: [{ step: 2, event: 'buy', count: 2 }],
      });
    });
  });

  it('cuts paths after `steps` events (default 5), counting collapsed events; a cut path stops at the last step', async () => {
    const store = await storeWith([
      ...visit('a', '10:00', ['p1', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7']),
      ...visit('b', '10:00', ['p1', 'p2']),
    ]);
    expect(await store.query({ kind: 'paths', ...range, steps: 3 })).to.deep.equal({
      transitions: [
        { step: 1, from: 'p1', to: 'p2', count: 2 },
        { step: 2, from: 'p2', to: 'p3', count: 1 },
      ],
      dropOffs: [
        { step: 2, event: 'p2', count: 1 },
        { step: 3, event: 'p3', count: 1 },
      ],
    });
    expect(await store.query({ kind: 'paths', ...range })).to.deep.equal({
      transitions: [
        { step: 1, from: 'p1', to: 'p2', count: 2 },
        { step: 2, from: 'p2', to: 'p3', count: 1 },
        { step: 3, from: 'p3', to: 'p4', count: 1 },
        { step: 4, from: 'p4', to: 'p5', count: 1 },
      ],
      dropOffs: [
        { step: 2, event: 'p2', count: 1 },
        { step: 5, event: 'p5', count: 1 },
      ],
    });
  });

  it('counts every session of one user: transitions, not users', async () => {
    const store = await storeWith([
      ...visit('a', '08:00', ['home', 'buy']),
      ...visit('a', '10:00', ['home', 'buy']),
      ...visit('a', '12:00', ['home', 'about']),
      ...visit('a', '14:00', ['home', 'buy', 'help']),
    ]);
    expect(await store.query({ kind: 'paths', ...range })).to.deep.equal({
      transitions: [
        { step: 1, from: 'home', to: 'buy', count: 3 },
        { step: 1, from: 'home', to: 'about', count: 1 },
        { step: 2, from: 'buy', to: 'help', count: 1 },
      ],
      // Within a step, the most frequent drop-off first.
      dropOffs: [
        { step: 2, event: 'buy', count: 2 },
        { step: 2, event: 'about', count: 1 },
        { step: 3, event: 'help', count: 1 },
      ],
    });
  });

  it('follows session_id when events carry one, even when sessions interleave', async () => {
    const store = await storeWith([
      ev('a', `${day}T10:00:00Z`, 'home', { session_id: 's1' }),
      ev('a', `${day}T10:01:00Z`, 'docs', { session_id: 's2' }),
      ev('a', `${day}T10:02:00Z`, 'buy', { session_id: 's1' }),
      ev('a', `${day}T10:03:00Z`, 'help', { session_id: 's2' }),
    ]);
    expect(await store.query({ kind: 'paths', ...range })).to.deep.equal({
      transitions: [
        { step: 1, from: 'docs', to: 'help', count: 1 },
        { step: 1, from: 'home', to: 'buy', count: 1 },
      ],
      dropOffs: [
        { step: 2, event: 'buy', count: 1 },
        { step: 2, event: 'help', count: 1 },
      ],
    });
  });

  it('splits sessions at a gap of more than 30 minutes, or gapMinutes', async () => {
    const store = await storeWith([
      ev('a', `${day}T10:00:00.000Z`, 'home'),
      ev('a', `${day}T10:30:00.000Z`, 'search'), // exactly 30 minutes: same session
      ev('a', `${day}T11:00:00.001Z`, 'buy'), // 30 minutes and 1 ms: a new one
      ev('a', `${day}T11:10:00.000Z`, 'help'),
    ]);
    expect(await store.query({ kind: 'paths', ...range })).to.deep.equal({
      transitions: [
        { step: 1, from: 'buy', to: 'help', count: 1 },
        { step: 1, from: 'home', to: 'search', count: 1 },
      ],
      dropOffs: [
        { step: 2, event: 'help', count: 1 },
        { step: 2, event: 'search', count: 1 },
      ],
    });
    expect(await store.query({ kind: 'paths', ...range, gapMinutes: 60 })).to.deep.equal({
      transitions: [
        { step: 1, from: 'home', to: 'search', count: 1 },
        { step: 2, from: 'search', to: 'buy', count: 1 },
        { step: 3, from: 'buy', to: 'help', count: 1 },
      ],
      dropOffs: [{ step: 4, event: 'help', count: 1 }],
    });
  });

  it('orders events by timestamp, then by ingestion order', async () => {
    const store = await storeWith([
      // Ingested first but later in time: home buy. It also stores buy before signup.
      ev('c', `${day}T10:10:00Z`, 'buy'),
      ev('c', `${day}T10:00:00Z`, 'home'),
      // At 10:05 ingested home, signup, buy: the home repeats the 10:00 one, so home signup buy.
      ev('a', `${day}T10:00:00Z`, 'home'),
      ev('a', `${day}T10:05:00Z`, 'home'),
      ev('a', `${day}T10:05:00Z`, 'signup'),
      ev('a', `${day}T10:05:00Z`, 'buy'),
    ]);
    expect(await store.query({ kind: 'paths', ...range })).to.deep.equal({
      transitions: [
        { step: 1, from: 'home', to: 'buy', count: 1 },
        { step: 1, from: 'home', to: 'signup', count: 1 },
        { step: 2, from: 'signup', to: 'buy', count: 1 },
      ],
      dropOffs: [
        { step: 2, event: 'buy', count: 1 },
        { step: 3, event: 'buy', count: 1 },
      ],
    });
  });

  describe('ranking', () => {
    // Names are stored z, y, a, c, b: ordering by stored id instead of by name would differ.
    const events = [
      ...visit('u5', '10:00', ['z', 'y', 'a']),
      ...visit('u3', '10:00', ['a', 'c', 'b']),
      ...visit('u4', '10:00', ['a', 'b', 'c']),
      ...visit('u1', '10:00', ['b', 'a']),
      ...visit('u2', '10:00', ['b', 'a']),
    ];
    // By count, then step (2 'b' after 1 'z'), then from, then to (1 a->b before 1 a->c).
    const ranked = [
      { step: 1, from: 'b', to: 'a', count: 2 },
      { step: 1, from: 'a', to: 'b', count: 1 },
      { step: 1, from: 'a', to: 'c', count: 1 },
      { step: 1, from: 'z', to: 'y', count: 1 },
      { step: 2, from: 'b', to: 'c', count: 1 },
      { step: 2, from: 'c', to: 'b', count: 1 },
      { step: 2, from: 'y', to: 'a', count: 1 },
    ];
    const dropOffs = [
      { step: 2, event: 'a', count: 2 },
      { step: 3, event: 'a', count: 1 },
      { step: 3, event: 'b', count: 1 },
      { step: 3, event: 'c', count: 1 },
    ];

    it('breaks ties by step, then from, then to', async () => {
      const store = await storeWith(events);
      expect(await store.query({ kind: 'paths', ...range })).to.deep.equal({ transitions: ranked, dropOffs });
    });

    it('reports the top `limit` transitions, and every drop-off', async () => {
      const store = await storeWith(events);
      expect(await store.query({ kind: 'paths', ...range, limit: 3 })).to.deep.equal({ transitions: ranked.slice(0, 3), dropOffs });
    });
  });

  it('follows the sessions whose first event is in [from, to], each whole', async () => {
    const store = await storeWith([
      ev('a', '2026-11-26T23:50:00Z', 'ad'), // before from: its session (ad, home, buy) is not the query's
      ev('a', `${day}T00:00:00Z`, 'home'),
      ev('a', `${day}T00:10:00Z`, 'buy'),
      ev('a', `${day}T23:55:00Z`, 'help'),
      ev('a', '2026-11-28T00:05:00Z', 'late'), // after to, 10 minutes after help: in help's session
    ]);
    expect(await store.query({ kind: 'paths', ...range })).to.deep.equal({
      transitions: [{ step: 1, from: 'help', to: 'late', count: 1 }],
      dropOffs: [{ step: 2, event: 'late', count: 1 }],
    });
  });

  it('answers an empty range with no transitions and no drop-offs', async () => {
    const store = await storeWith(visit('a', '10:00', ['home', 'buy']));
    expect(await store.query({ kind: 'paths', from: '2026-11-20', to: '2026-11-21' })).to.deep.equal({ transitions: [], dropOffs: [] });
  });

  it('is never suppressed: its counts are transitions and paths, not distinct users', async () => {
    const store = await storeWith([...visit('a', '10:00', ['home', 'buy']), ...visit('b', '10:00', ['home', 'help'])], { minGroupSize: 3 });
    expect(await store.query({ kind: 'paths', ...range })).to.deep.equal({
      transitions: [
        { step: 1, from: 'home', to: 'buy', count: 1 },
        { step: 1, from: 'home', to: 'help', count: 1 },
      ],
      dropOffs: [
        { step: 2, event: 'buy', count: 1 },
        { step: 2, event: 'help', count: 1 },
      ],
    });
  });

  it('rejects bad specs, naming the field', async () => {
    const store = await storeWith([]);
    for (const [spec, field] of [
      [{ interval: 'day' }, 'interval'],
      [{ periods: 4 }, 'periods'],
      [{ steps: 1 }, 'steps'],
      [{ steps: 21 }, 'steps'],
      [{ steps: 2.5 }, 'steps'],
      [{ limit: 0 }, 'limit'],
      [{ start: 5 }, 'start'],
      [{ end: '' }, 'end'],
      [{ include: 'home' }, 'include'],
      [{ include: [] }, 'include'],
      [{ include: ['home', 3] }, 'include[1]'],
      [{ exclude: [''] }, 'exclude[0]'],
      [{ include: ['home'], exclude: ['home'] }, 'exclude'],
      [{ start: 'ad', exclude: ['ad'] }, 'start'],
      [{ end: 'buy', include: ['home'] }, 'end'],
      [{ gapMinutes: 0 }, 'gapMinutes'],
      [{ sessionSource: 'cookie' }, 'sessionSource'],
      [{ from: '2026-11-28', to: '2026-11-27' }, 'from'],
    ] as const) {
      const error = await rejectionOf(store.query({ kind: 'paths', ...(spec as object) } as never));
      expect(error, JSON.stringify(spec)).to.be.instanceOf(SpecError);
      expect((error as SpecError).field, JSON.stringify(spec)).to.equal(field);
    }
  });
});
