import { expect } from 'chai';
import { SpecError, type FunnelQuery, type FunnelResult, type Store } from '../../shared/index.ts';
import { ev, rejectionOf, storeWith } from './helpers.ts';

/** One step of an expected result: event, count, conversion, stepConversion, dropOff, meanSeconds, medianSeconds. */
type StepRow = [string, number | null, number | null, number | null, number | null, number | null, number | null];

function funnel(...rows: StepRow[]): FunnelResult {
  return {
    steps: rows.map(([event, count, conversion, stepConversion, dropOff, meanSeconds, medianSeconds]) => ({
      event,
      count,
      conversion,
      stepConversion,
      dropOff,
      meanSeconds,
      medianSeconds,
    })),
  };
}

/** An instant of the day most tables use, 20 November 2026 (UTC). */
const at = (time: string): string => `2026-11-20T${time}Z`;
const day = { from: '2026-11-20', to: '2026-11-20' };
const november = { from: '2026-11-01', to: '2026-11-20' };

async function counts(store: Store, spec: Omit<FunnelQuery, 'kind'>): Promise<(number | null)[]> {
  const result = await store.query({ kind: 'funnel', ...spec });
  return result.steps.map((step) => step.count);
}

async function specErrorField(store: Store, spec: Record<string, unknown>): Promise<string> {
  const error = await rejectionOf(store.query({ kind: 'funnel', ...day, ...spec } as unknown as FunnelQuery));
  expect(error, error.message).to.be.instanceOf(SpecError);
  return (error as SpecError).field;
}

describe('funnel (METRICS.md section 8)', () => {
  /**
   * a: view, cart, buy in a row. b: buy before cart. c: cart before view.
   * d: clicks between the steps. e: only buy. f: view twice, then cart.
   */
  const shop = [
    ev('a', at('10:00:00'), 'view'),
    ev('a', at('10:01:00'), 'cart'),
    ev('a', at('10:03:00'), 'buy'),
    ev('b', at('10:00:00'), 'view'),
    ev('b', at('10:02:00'), 'buy'),
    ev('b', at('10:05:00'), 'cart'),
    ev('c', at('09:00:00'), 'cart'),
    ev('c', at('10:00:00'), 'view'),
    ev('d', at('10:00:00'), 'view'),
    ev('d', at('10:05:00'), 'click'),
    ev('d', at('10:10:00'), 'cart'),
    ev('d', at('10:15:00'), 'click'),
    ev('d', at('10:20:00'), 'buy'),
    ev('e', at('10:00:00'), 'buy'),
    ev('f', at('10:00:00'), 'view'),
    ev('f', at('10:01:00'), 'view'),
    ev('f', at('10:02:00'), 'cart'),
  ];
  const steps = ['view', 'cart', 'buy'];

  it('ordered (the default): steps follow in order, other events in between allowed', async () => {
    const store = await storeWith(shop);
    // a 3 (60 s, 120 s), b 2 (300 s; its buy came before cart), c 1, d 3 (600 s, 600 s),
    // e not at all (no view), f 2 (120 s: its first view starts the earliest of two equal attempts).
    const expected = funnel(
      ['view', 5, 1, 1, 0, null, null],
      // [60, 120, 300, 600]: mean 270, median (120 + 300) / 2.
      ['cart', 4, 0.8, 0.8, 1, 270, 210],
      ['buy', 2, 0.4, 0.5, 2, 360, 360],
    );
    expect(await store.query({ kind: 'funnel', steps, ...day })).to.deep.equal(expected);
    expect(await store.query({ kind: 'funnel', steps, order: 'ordered', ...day })).to.deep.equal(expected);
  });

  it("strict: each step is the user's very next event, whatever its name", async () => {
    const store = await storeWith(shop);
    // a 3 (60 s, 120 s); b, c, d stop at view (buy, nothing, a click come next); f's second view is followed by cart (60 s).
    expect(await store.query({ kind: 'funnel', steps, order: 'strict', ...day })).to.deep.equal(
      funnel(['view', 5, 1, 1, 0, null, null], ['cart', 2, 0.4, 0.4, 3, 60, 60], ['buy', 1, 0.2, 0.5, 1, 120, 120]),
    );
  });

  it('any: steps 1..k each by its own event, in any order; step k is reached when the last of them happens', async () => {
    const store = await storeWith(shop);
    // a 3 (60 s, 120 s). b 3: cart at 10:05 completes view + cart, and buy (10:02) was already there (300 s, 0 s).
    // c 2: the view at 10:00 completes both, its cart being earlier (0 s). d 3 (600 s, 600 s). e: no view, not counted.
    // f 2 (120 s).
    expect(await store.query({ kind: 'funnel', steps, order: 'any', ...day })).to.deep.equal(
      funnel(
        ['view', 5, 1, 1, 0, null, null],
        // [0, 60, 120, 300, 600]
        ['cart', 5, 1, 1, 0, 216, 120],
        // [0, 120, 600]
        ['buy', 3, 0.6, 0.6, 2, 240, 120],
      ),
    );
  });

  it('any: a repeated step needs a second event, and the window starts at the earliest event of the attempt', async () => {
    const repeated = await storeWith([
      ev('i', at('10:00:00'), 'view'),
      ev('i', at('10:05:00'), 'cart'),
      ev('j', at('10:00:00'), 'cart'),
      ev('j', at('10:05:00'), 'view'),
      ev('j', at('10:10:00'), 'view'),
    ]);
    // i: view, cart, but no second view. j: view + cart at 10:05 (0 s), the second view at 10:10 (300 s).
    expect(await repeated.query({ kind: 'funnel', steps: ['view', 'cart', 'view'], order: 'any', ...day })).to.deep.equal(
      funnel(['view', 2, 1, 1, 0, null, null], ['cart', 2, 1, 1, 0, 150, 150], ['view', 1, 0.5, 0.5, 1, 300, 300]),
    );

    const spread = await storeWith([
      ev('g', '2026-11-01T10:00:00Z', 'buy'),
      ev('g', '2026-11-10T10:00:00Z', 'view'),
      ev('g', '2026-11-20T10:00:00Z', 'cart'),
    ]);
    // From the buy (1 Nov) the window ends on 15 Nov: only view. From the view (10 Nov): view and cart (10 days),
    // but the buy is before that attempt's start.
    expect(await spread.query({ kind: 'funnel', steps, order: 'any', ...november })).to.deep.equal(
      funnel(['view', 1, 1, 1, 0, null, null], ['cart', 1, 1, 1, 0, 864_000, 864_000], ['buy', 0, 0, 0, 1, null, null]),
    );
  });

  it('counts a conversion exactly 14 days (the default window) after step 1, not a millisecond later', async () => {
    const store = await storeWith([
      ev('a', '2026-11-01T10:00:00.000Z', 'view'),
      ev('a', '2026-11-15T10:00:00.000Z', 'cart'),
      ev('b', '2026-11-01T10:00:00.000Z', 'view'),
      ev('b', '2026-11-15T10:00:00.001Z', 'cart'),
    ]);
    const expected = funnel(['view', 2, 1, 1, 0, null, null], ['cart', 1, 0.5, 0.5, 1, 1_209_600, 1_209_600]);
    expect(await store.query({ kind: 'funnel', steps: ['view', 'cart'], ...november })).to.deep.equal(expected);
    expect(await store.query({ kind: 'funnel', steps: ['view', 'cart'], window: { value: 2, unit: 'week' }, ...november })).to.deep.equal(expected);
  });

  it('reads windows as { value, unit } or the widget shorthand 30m, 2h, 7d, 2w', async () => {
    // Cart 30 minutes, 2 hours, 7 days and 14 days after view.
    const store = await storeWith([
      ev('p', '2026-11-01T10:00:00Z', 'view'),
      ev('p', '2026-11-01T10:30:00Z', 'cart'),
      ev('q', '2026-11-01T10:00:00Z', 'view'),
      ev('q', '2026-11-01T12:00:00Z', 'cart'),
      ev('r', '2026-11-01T10:00:00Z', 'view'),
      ev('r', '2026-11-08T10:00:00Z', 'cart'),
      ev('s', '2026-11-01T10:00:00Z', 'view'),
      ev('s', '2026-11-15T10:00:00Z', 'cart'),
    ]);
    const converted = async (window: FunnelQuery['window']): Promise<number | null> => (await counts(store, { steps: ['view', 'cart'], window, ...november }))[1]!;
    expect(await converted('29m')).to.equal(0);
    expect(await converted('30m')).to.equal(1);
    expect(await converted({ value: 30, unit: 'minute' })).to.equal(1);
    expect(await converted('2h')).to.equal(2);
    expect(await converted({ value: 119, unit: 'minute' })).to.equal(1);
    expect(await converted({ value: 2, unit: 'hour' })).to.equal(2);
    expect(await converted('7d')).to.equal(3);
    expect(await converted({ value: 7, unit: 'day' })).to.equal(3);
    expect(await converted('2w')).to.equal(4);
    expect(await converted({ value: 1, unit: 'week' })).to.equal(3);
  });

  describe('stepWindows', () => {
    /** a: cart exactly 1 h after view, buy 4 h later. b: cart 1 h + 1 ms after view. c: two carts, buy 30 min after the second. */
    const events = [
      ev('a', at('10:00:00'), 'view'),
      ev('a', at('11:00:00'), 'cart'),
      ev('a', at('15:00:00'), 'buy'),
      ev('b', at('10:00:00'), 'view'),
      ev('b', at('11:00:00.001'), 'cart'),
      ev('c', at('10:00:00'), 'view'),
      ev('c', at('10:30:00'), 'cart'),
      ev('c', at('14:00:00'), 'cart'),
      ev('c', at('14:30:00'), 'buy'),
    ];

    it('bounds the time from the previous step (inclusive); entries left out are unbounded', async () => {
      const store = await storeWith(events);
      // Cart within 1 h of view: a (3600 s, exactly), c (its first cart, 1800 s); not b. Buy is unbounded: a 14400 s, c 14400 s.
      expect(await store.query({ kind: 'funnel', steps, stepWindows: [null, '1h'], ...day })).to.deep.equal(
        funnel(['view', 3, 1, 1, 0, null, null], ['cart', 2, 2 / 3, 2 / 3, 1, 2700, 2700], ['buy', 2, 2 / 3, 1, 0, 14_400, 14_400]),
      );
    });

    it("reaches a step through a later event of the previous step when only that one is close enough, and uses that attempt's times", async () => {
      const store = await storeWith(events);
      // Buy within 1 h of cart: a's buy is 4 h after its cart (a stops at cart, 3600 s); b stops at cart (3600.001 s);
      // c's first cart is 4 h before buy, its second 30 min: c reaches buy through the second (14400 s, 1800 s).
      expect(await store.query({ kind: 'funnel', steps, stepWindows: [null, null, { value: 1, unit: 'hour' }], ...day })).to.deep.equal(
        funnel(
          ['view', 3, 1, 1, 0, null, null],
          // (3600 + 3600.001 + 14400) / 3 = 7200.000333..., to the millisecond.
          ['cart', 3, 1, 1, 0, 7200, 3600.001],
          ['buy', 1, 1 / 3, 1 / 3, 2, 1800, 1800],
        ),
      );
    });
  });

  describe('exclusions', () => {
    /**
     * a: cancel between cart and buy. b: cancel between view and cart (outside the exclusion's steps).
     * c: cancel after cart, buy never comes. d: cancel after cart but after the 14-day window.
     * e: a first attempt cancelled between cart and buy, a second one (view, cart) without cancel.
     */
    const events = [
      ev('a', at('10:00:00'), 'view'),
      ev('a', at('10:05:00'), 'cart'),
      ev('a', at('10:06:00'), 'cancel'),
      ev('a', at('10:10:00'), 'buy'),
      ev('b', at('10:00:00'), 'view'),
      ev('b', at('10:01:00'), 'cancel'),
      ev('b', at('10:05:00'), 'cart'),
      ev('b', at('10:10:00'), 'buy'),
      ev('c', at('10:00:00'), 'view'),
      ev('c', at('10:05:00'), 'cart'),
      ev('c', at('10:06:00'), 'cancel'),
      ev('d', '2026-11-01T10:00:00Z', 'view'),
      ev('d', '2026-11-01T10:05:00Z', 'cart'),
      ev('d', '2026-11-16T10:00:00Z', 'cancel'),
      ev('e', at('10:00:00'), 'view'),
      ev('e', at('10:05:00'), 'cart'),
      ev('e', at('10:06:00'), 'cancel'),
      ev('e', at('10:10:00'), 'buy'),
      ev('e', at('11:00:00'), 'view'),
      ev('e', at('11:30:00'), 'cart'),
    ];

    it('discards attempts with the exclusion event between its steps; a user without a valid attempt is not counted at all', async () => {
      const store = await storeWith(events);
      // Without the exclusion: a, b, e reach buy (300 s, 300 s each), c and d reach cart (300 s).
      expect(await store.query({ kind: 'funnel', steps, ...november })).to.deep.equal(
        funnel(['view', 5, 1, 1, 0, null, null], ['cart', 5, 1, 1, 0, 300, 300], ['buy', 3, 0.6, 0.6, 2, 300, 300]),
      );
      // With it: a and c are gone entirely, b keeps 3, d keeps 2 (its cancel is after the window),
      // e counts with its second attempt (cart 1800 s after view).
      expect(await store.query({ kind: 'funnel', steps, exclusions: [{ event: 'cancel', from: 1, to: 2 }], ...november })).to.deep.equal(
        funnel(['view', 3, 1, 1, 0, null, null], ['cart', 3, 1, 1, 0, 800, 300], ['buy', 1, 1 / 3, 1 / 3, 2, 300, 300]),
      );
    });

    it('spans the whole funnel from step 0', async () => {
      const store = await storeWith(events);
      // Every user but d has a cancel after its view within the window (e's second attempt included: the first
      // attempt's cancel is before it, so e counts with it).
      expect(await counts(store, { steps, exclusions: [{ event: 'cancel', from: 0, to: 2 }], ...november })).to.deep.equal([2, 2, 0]);
    });
  });

  describe('steps with where', () => {
    const signups = [
      ev('a', at('10:00:00'), 'signup', { properties: { plan: 'pro', seats: 10 } }),
      ev('b', at('10:00:00'), 'signup', { properties: { plan: 'Pro Plus', seats: '9' } }),
      ev('c', at('10:00:00'), 'signup', { properties: { plan: 'free', seats: 2.5 } }),
      ev('d', at('10:00:00'), 'signup', { properties: { beta: true, seats: 'many' } }),
      ev('e', at('10:00:00'), 'signup'),
      ev('f', at('10:00:00'), 'signup', { properties: { plan: 5 } }),
    ];
    const signedUp = async (store: Store, where: Record<string, unknown>): Promise<number | null> =>
      (await counts(store, { steps: [{ event: 'signup', where } as FunnelQuery['steps'][number], 'buy'], ...day }))[0]!;

    it('compares with =, !=, contains, > and <, numbers as numbers and text as text', async () => {
      const store = await storeWith(signups);
      expect(await signedUp(store, { plan: 'pro' })).to.equal(1);
      expect(await signedUp(store, { plan: { op: '=', value: 'pro' } })).to.equal(1);
      // != also matches the events without the property (d, e), as PostHog's is_not.
      expect(await signedUp(store, { plan: { op: '!=', value: 'pro' } })).to.equal(5);
      // Case-insensitive: pro, Pro Plus.
      expect(await signedUp(store, { plan: { op: 'contains', value: 'PRO' } })).to.equal(2);
      // Numerically 10 > 3 and '9' > 3; as text '10' < '3' and 'many' > '3'.
      expect(await signedUp(store, { seats: { op: '>', value: 3 } })).to.equal(2);
      // '9' and 2.5; 'many' is not a number (as a number cast it would be 0), e has no seats.
      expect(await signedUp(store, { seats: { op: '<', value: 9.5 } })).to.equal(2);
      expect(await signedUp(store, { seats: 10 })).to.equal(1);
      // The number 9 matches the text '9'; the text '10' matches the number 10.
      expect(await signedUp(store, { seats: 9 })).to.equal(1);
      expect(await signedUp(store, { seats: '10' })).to.equal(1);
      expect(await signedUp(store, { seats: { op: '!=', value: 9 } })).to.equal(5);
      // The number 5 stored in plan, asked as text and as a number.
      expect(await signedUp(store, { plan: '5' })).to.equal(1);
      expect(await signedUp(store, { plan: 5 })).to.equal(1);
      expect(await signedUp(store, { beta: true })).to.equal(1);
      expect(await signedUp(store, { beta: 'true' })).to.equal(1);
      expect(await signedUp(store, { beta: false })).to.equal(0);
      // Every condition must hold.
      expect(await signedUp(store, { plan: 'pro', seats: { op: '>', value: 5 } })).to.equal(1);
      expect(await signedUp(store, { plan: 'pro', seats: { op: '<', value: 5 } })).to.equal(0);
      expect(await signedUp(store, {})).to.equal(6);
    });

    it("skips events whose properties do not match (in strict order they are the user's other events) and names the step by its event", async () => {
      const store = await storeWith([
        ev('a', at('10:00:00'), 'signup'),
        ev('a', at('10:05:00'), 'buy', { properties: { amount: 50 } }),
        ev('a', at('10:10:00'), 'buy', { properties: { amount: 150 } }),
      ]);
      const bigBuy = { event: 'buy', where: { amount: { op: '>' as const, value: 100 } } };
      expect(await store.query({ kind: 'funnel', steps: ['signup', bigBuy], ...day })).to.deep.equal(
        funnel(['signup', 1, 1, 1, 0, null, null], ['buy', 1, 1, 1, 0, 600, 600]),
      );
      expect(await store.query({ kind: 'funnel', steps: ['signup', bigBuy], order: 'strict', ...day })).to.deep.equal(
        funnel(['signup', 1, 1, 1, 0, null, null], ['buy', 0, 0, 0, 1, null, null]),
      );
    });
  });

  it('orders events of equal timestamps by ingestion', async () => {
    const store = await storeWith([
      ev('a', at('10:00:00'), 'cart'),
      ev('a', at('10:00:00'), 'view'),
      ev('b', at('10:00:00'), 'view'),
      ev('b', at('10:00:00'), 'cart'),
    ]);
    // a's cart was ingested before its view, so it does not follow it; b's did.
    const expected = funnel(['view', 2, 1, 1, 0, null, null], ['cart', 1, 0.5, 0.5, 1, 0, 0]);
    expect(await store.query({ kind: 'funnel', steps: ['view', 'cart'], ...day })).to.deep.equal(expected);
    expect(await store.query({ kind: 'funnel', steps: ['view', 'cart'], order: 'strict', ...day })).to.deep.equal(expected);
  });

  it('counts the attempt reaching the furthest step, the earliest on a tie, with its own times', async () => {
    const store = await storeWith([
      // a: the first attempt reaches cart (its buy is past the 2-hour window), the second reaches buy (600 s, 600 s).
      ev('a', at('08:00:00'), 'view'),
      ev('a', at('09:00:00'), 'cart'),
      ev('a', at('12:00:00'), 'view'),
      ev('a', at('12:10:00'), 'cart'),
      ev('a', at('12:20:00'), 'buy'),
      // b: two attempts reach cart; the first counts (1800 s, not 300 s).
      ev('b', at('08:00:00'), 'view'),
      ev('b', at('08:30:00'), 'cart'),
      ev('b', at('12:00:00'), 'view'),
      ev('b', at('12:05:00'), 'cart'),
    ]);
    expect(await store.query({ kind: 'funnel', steps, window: '2h', ...day })).to.deep.equal(
      funnel(['view', 2, 1, 1, 0, null, null], ['cart', 2, 1, 1, 0, 1200, 1200], ['buy', 1, 0.5, 0.5, 1, 600, 600]),
    );
  });

  it('never counts more users at a step than at the one before', async () => {
    // Many carts and buys without a view before them.
    const store = await storeWith([
      ev('a', at('10:00:00'), 'view'),
      ev('a', at('10:01:00'), 'cart'),
      ...['b', 'c', 'd'].flatMap((user) => [ev(user, at('10:00:00'), 'cart'), ev(user, at('10:01:00'), 'buy'), ev(user, at('10:02:00'), 'view')]),
    ]);
    for (const order of ['ordered', 'strict'] as const) {
      // b, c, d: a view with nothing after it.
      expect(await counts(store, { steps, order, ...day }), order).to.deep.equal([4, 1, 0]);
    }
    // In any order b, c, d did all three.
    expect(await counts(store, { steps, order: 'any', ...day })).to.deep.equal([4, 4, 3]);
  });

  it('ignores events before from and after to', async () => {
    const store = await storeWith([
      ev('a', '2026-11-09T23:59:59.999Z', 'view'),
      ev('a', '2026-11-10T10:00:00Z', 'cart'),
      ev('b', '2026-11-20T23:00:00Z', 'view'),
      ev('b', '2026-11-21T00:00:00.000Z', 'cart'),
      ev('c', '2026-11-10T00:00:00.000Z', 'view'),
      ev('c', '2026-11-20T23:59:59.999Z', 'cart'),
    ]);
    // a's view is before the range, b's cart after it; c's are on both edges, 10 days 23:59:59.999 apart.
    expect(await store.query({ kind: 'funnel', steps: ['view', 'cart'], from: '2026-11-10', to: '2026-11-20' })).to.deep.equal(
      funnel(['view', 2, 1, 1, 0, null, null], ['cart', 1, 0.5, 0.5, 1, 950_399.999, 950_399.999]),
    );
  });

  it('gives zero counts and null rates for an empty range', async () => {
    const store = await storeWith(shop);
    expect(await store.query({ kind: 'funnel', steps, from: '2026-10-01', to: '2026-10-31' })).to.deep.equal(
      funnel(['view', 0, null, null, 0, null, null], ['cart', 0, null, null, 0, null, null], ['buy', 0, null, null, 0, null, null]),
    );
  });

  describe('suppression (minGroupSize 3)', () => {
    const events = [
      // 20 Nov: 5 users view, 3 cart (60, 120, 180 s), 1 buys, nobody pays.
      ev('u1', at('10:00:00'), 'view'),
      ev('u1', at('10:01:00'), 'cart'),
      ev('u1', at('10:02:00'), 'buy'),
      ev('u2', at('10:00:00'), 'view'),
      ev('u2', at('10:02:00'), 'cart'),
      ev('u3', at('10:00:00'), 'view'),
      ev('u3', at('10:03:00'), 'cart'),
      ev('u4', at('10:00:00'), 'view'),
      ev('u5', at('10:00:00'), 'view'),
      // 21 Nov: 2 users view, 1 carts.
      ev('v1', '2026-11-21T10:00:00Z', 'view'),
      ev('v1', '2026-11-21T10:01:00Z', 'cart'),
      ev('v2', '2026-11-21T10:00:00Z', 'view'),
    ];
    const paid = [...steps, 'pay'];

    it('nulls counts of 1 or 2 and what is derived from them; 0 stays 0', async () => {
      const store = await storeWith(events, { minGroupSize: 3 });
      expect(await store.query({ kind: 'funnel', steps: paid, ...day })).to.deep.equal({
        ...funnel(
          ['view', 5, 1, 1, 0, null, null],
          ['cart', 3, 0.6, 0.6, 2, 120, 120],
          // 1 buyer: the count, its rates, its drop-off and its times.
          ['buy', null, null, null, null, null, null],
          // 0 of 5 converted, but 0 of a suppressed count is unknown, and so is the drop-off from it.
          ['pay', 0, 0, null, null, null, null],
        ),
        suppressed: true,
      });
    });

    it('nulls a suppressed first step and every rate from it', async () => {
      const store = await storeWith(events, { minGroupSize: 3 });
      expect(await store.query({ kind: 'funnel', steps: paid, from: '2026-11-21', to: '2026-11-21' })).to.deep.equal({
        ...funnel(
          ['view', null, null, null, 0, null, null],
          ['cart', null, null, null, null, null, null],
          ['buy', 0, null, null, null, null, null],
          ['pay', 0, null, null, 0, null, null],
        ),
        suppressed: true,
      });
    });

    it('reports everything, without the flag, when no count is small', async () => {
      const store = await storeWith(events, { minGroupSize: 3 });
      expect(await store.query({ kind: 'funnel', steps: ['view', 'cart'], ...day })).to.deep.equal(
        funnel(['view', 5, 1, 1, 0, null, null], ['cart', 3, 0.6, 0.6, 2, 120, 120]),
      );
    });
  });

  describe('spec errors name the field', () => {
    let store: Store;
    before(async () => {
      store = await storeWith(shop);
    });

    it('steps: missing, not an array, one step, too many', async () => {
      expect(await specErrorField(store, {})).to.equal('steps');
      expect(await specErrorField(store, { steps: 'view' })).to.equal('steps');
      expect(await specErrorField(store, { steps: ['view'] })).to.equal('steps');
      expect(await specErrorField(store, { steps: Array.from({ length: 21 }, () => 'view') })).to.equal('steps');
    });

    it('a bad step, its event and its where', async () => {
      expect(await specErrorField(store, { steps: ['view', 'cart', { event: '' }] })).to.equal('steps[2].event');
      expect(await specErrorField(store, { steps: ['view', { where: { plan: 'pro' } }] })).to.equal('steps[1].event');
      expect(await specErrorField(store, { steps: ['view', ''] })).to.equal('steps[1].event');
      expect(await specErrorField(store, { steps: ['view', 42] })).to.equal('steps[1]');
      expect(await specErrorField(store, { steps: ['view', { event: 'cart', filter: {} }] })).to.equal('steps[1].filter');
      expect(await specErrorField(store, { steps: [{ event: 'view', where: ['plan'] }, 'cart'] })).to.equal('steps[0].where');
      expect(await specErrorField(store, { steps: [{ event: 'view', where: { plan: { op: '~', value: 'pro' } } }, 'cart'] })).to.equal(
        'steps[0].where.plan.op',
      );
      expect(await specErrorField(store, { steps: [{ event: 'view', where: { plan: { value: 'pro' } } }, 'cart'] })).to.equal('steps[0].where.plan.op');
      expect(await specErrorField(store, { steps: [{ event: 'view', where: { seats: { op: '>', value: '3' } } }, 'cart'] })).to.equal(
        'steps[0].where.seats.value',
      );
      expect(await specErrorField(store, { steps: [{ event: 'view', where: { plan: null } }, 'cart'] })).to.equal('steps[0].where.plan');
      expect(await specErrorField(store, { steps: [{ event: 'view', where: { '': 1 } }, 'cart'] })).to.equal('steps[0].where');
    });

    it('window and stepWindows', async () => {
      expect(await specErrorField(store, { steps, window: '3x' })).to.equal('window');
      expect(await specErrorField(store, { steps, window: '0d' })).to.equal('window');
      expect(await specErrorField(store, { steps, window: 7 })).to.equal('window');
      expect(await specErrorField(store, { steps, window: { value: 0, unit: 'day' } })).to.equal('window.value');
      expect(await specErrorField(store, { steps, window: { value: 1.5, unit: 'day' } })).to.equal('window.value');
      expect(await specErrorField(store, { steps, window: { value: 1, unit: 'month' } })).to.equal('window.unit');
      expect(await specErrorField(store, { steps, stepWindows: ['1h', null] })).to.equal('stepWindows[0]');
      expect(await specErrorField(store, { steps, stepWindows: [null, '1y'] })).to.equal('stepWindows[1]');
      expect(await specErrorField(store, { steps, stepWindows: [null, null, null, '1h'] })).to.equal('stepWindows');
      expect(await specErrorField(store, { steps, order: 'any', stepWindows: [null, '1h'] })).to.equal('stepWindows');
    });

    it('exclusions: an index out of range, a step event, a bad shape', async () => {
      expect(await specErrorField(store, { steps, exclusions: [{ event: 'cancel', from: 0, to: 3 }] })).to.equal('exclusions[0].to');
      expect(await specErrorField(store, { steps, exclusions: [{ event: 'cancel', from: -1, to: 1 }] })).to.equal('exclusions[0].from');
      expect(await specErrorField(store, { steps, exclusions: [{ event: 'cancel', from: 2, to: 2 }] })).to.equal('exclusions[0].from');
      expect(await specErrorField(store, { steps, exclusions: [{ event: 'cancel', from: 1, to: 1 }] })).to.equal('exclusions[0].to');
      expect(await specErrorField(store, { steps, exclusions: [{ event: 'cancel', from: 0 }] })).to.equal('exclusions[0].to');
      expect(await specErrorField(store, { steps, exclusions: [{ from: 0, to: 1 }] })).to.equal('exclusions[0].event');
      expect(await specErrorField(store, { steps, exclusions: [{ event: 'cart', from: 0, to: 2 }] })).to.equal('exclusions[0].event');
      expect(await specErrorField(store, { steps, exclusions: { event: 'cancel', from: 0, to: 1 } })).to.equal('exclusions');
    });

    it('order, unknown fields and the range', async () => {
      expect(await specErrorField(store, { steps, order: 'random' })).to.equal('order');
      expect(await specErrorField(store, { steps, interval: 'day' })).to.equal('interval');
      expect(await specErrorField(store, { steps, periods: 4 })).to.equal('periods');
      expect(await specErrorField(store, { steps, from: '2026-11-31' })).to.equal('from');
    });
  });
});
