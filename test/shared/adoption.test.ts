import { expect } from 'chai';
import { SpecError, type FeatureAdoption } from '../../shared/index.ts';
import { ev, rejectionOf, storeWith } from './helpers.ts';

/**
 * A feature's row; `series` is the adopters per period, named by `periods`, those from index
 * `incompleteFrom` on not ended at the store's clock.
 */
function feature(
  name: string,
  adopters: number | null,
  adoptionRate: number | null,
  [medianDays, p75Days]: [number | null, number | null],
  repeatRate: number | null,
  periods: readonly string[],
  series: readonly (number | null)[],
  incompleteFrom = periods.length,
): FeatureAdoption {
  return {
    feature: name,
    adopters,
    adoptionRate,
    timeToAdopt: { medianDays, p75Days },
    repeatRate,
    series: periods.map((period, i) => (i < incompleteFrom ? { period, adopters: series[i]! } : { period, adopters: series[i]!, incomplete: true })),
  };
}

describe('adoption (METRICS.md section 10)', () => {
  /**
   * The range is 2..4 November (UTC). Users active in it (any event): a, b, c, d, e (5).
   * a: signed up 1 Oct, first export 15 Oct (before the range), exports on the 2nd and 3rd.
   * b: signed up 1 Nov 00:00; exports twice on the 2nd (first at 12:00, 1.5 days after signing up),
   *    shares on the 3rd at 00:00 (2 days), zooms on the 4th at 00:00 (3 days).
   * c: first event ever an export on the 3rd at 06:00 (0 days), exports again on the 4th,
   *    zooms on the 4th at 12:00 (1.25 days).
   * d: signs up on the 2nd at 00:00 (0 days), shares on the 4th at 12:00 (2.5 days).
   * e: only a page view.
   * f: exports just before and just after the range.
   * `zoom` is ingested first, so its name id is below `share`'s: a tie between them is ordered by name, not id.
   */
  const events = [
    ev('b', '2026-11-04T00:00:00Z', 'zoom'),
    ev('a', '2026-10-01T00:00:00Z', 'signup'),
    ev('a', '2026-10-15T12:00:00Z', 'export'),
    ev('a', '2026-11-02T10:00:00Z', 'export'),
    ev('a', '2026-11-03T10:00:00Z', 'export'),
    ev('b', '2026-11-01T00:00:00Z', 'signup'),
    ev('b', '2026-11-02T12:00:00Z', 'export'),
    ev('b', '2026-11-02T18:00:00Z', 'export'),
    ev('b', '2026-11-03T00:00:00Z', 'share'),
    ev('c', '2026-11-03T06:00:00Z', 'export'),
    ev('c', '2026-11-04T06:00:00Z', 'export'),
    ev('c', '2026-11-04T12:00:00Z', 'zoom'),
    ev('d', '2026-11-02T00:00:00Z', 'signup'),
    ev('d', '2026-11-04T12:00:00Z', 'share'),
    ev('e', '2026-11-03T00:00:00Z', '$pageview'),
    ev('f', '2026-11-01T23:00:00Z', 'export'),
    ev('f', '2026-11-05T00:00:00Z', 'export'),
  ];
  const range = { from: '2026-11-02', to: '2026-11-04' };
  const days = ['2026-11-02', '2026-11-03', '2026-11-04'];

  // export: a, b, c of 5 active. Time to adopt over b (1.5) and c (0), not a (first export before the range):
  // median 0.75, p75 0 + 0.75 * 1.5 = 1.125. Repeat: a (2nd, 3rd) and c (3rd, 4th); b's two exports share a day.
  const exportRow = feature('export', 3, 0.6, [0.75, 1.125], 2 / 3, days, [2, 2, 1]);
  // share: b (2 days) and d (2.5 days): median 2.25, p75 2 + 0.75 * 0.5 = 2.375; each once.
  const shareRow = feature('share', 2, 0.4, [2.25, 2.375], 0, days, [0, 1, 1]);
  // zoom: c (1.25 days) and b (3 days): median 2.125, p75 1.25 + 0.75 * 1.75 = 2.5625.
  const zoomRow = feature('zoom', 2, 0.4, [2.125, 2.5625], 0, days, [0, 0, 2]);
  // signup: d only (its first event ever is the signup: 0 days); a's and b's are before the range.
  const signupRow = feature('signup', 1, 0.2, [0, 0], 0, days, [1, 0, 0]);

  it('reports the listed features in the order given, a never-used one with zeros and nulls', async () => {
    const store = await storeWith(events);
    expect(await store.query({ kind: 'adoption', features: ['share', 'export', 'missing'], interval: 'day', ...range })).to.deep.equal({
      // missing: 0 of 5 adopted it, nobody to time, no adopters to repeat.
      features: [shareRow, exportRow, feature('missing', 0, 0, [null, null], null, days, [0, 0, 0])],
    });
  });

  it("'all' takes every non-$ event name of the range, most adopters first, ties by name", async () => {
    const store = await storeWith(events);
    // $pageview is a tracker event, not a feature; f's exports outside the range add nothing.
    const expected = { features: [exportRow, shareRow, zoomRow, signupRow] };
    expect(await store.query({ kind: 'adoption', features: 'all', ...range })).to.deep.equal(expected);
    // `day` is the default interval.
    expect(await store.query({ kind: 'adoption', features: 'all', interval: 'day', ...range })).to.deep.equal(expected);
    // A reserved name can still be asked for: e's page view, her first event ever.
    expect(await store.query({ kind: 'adoption', features: ['$pageview'], ...range })).to.deep.equal({
      features: [feature('$pageview', 1, 0.2, [0, 0], 0, days, [0, 1, 0])],
    });
  });

  it('counts totals over [from, to] exactly but a week of the series whole', async () => {
    const store = await storeWith(events);
    // From Tuesday 3 November: active a, b, c, d, e. Export adopters a (3rd) and c; b's exports are on the 2nd.
    // Only c first exported in the range (0 days); a exported on one day of it, c on two.
    // The week of Monday 2 November counts whole: a, b and c.
    expect(await store.query({ kind: 'adoption', features: ['export'], interval: 'week', from: '2026-11-03', to: '2026-11-04' })).to.deep.equal({
      features: [feature('export', 2, 0.4, [0, 0], 0.5, ['2026-11-02'], [3])],
    });
    // Two days ending on the 4th: the same totals, a series per day.
    expect(await store.query({ kind: 'adoption', features: ['export'], periods: 2, to: '2026-11-04' })).to.deep.equal({
      features: [feature('export', 2, 0.4, [0, 0], 0.5, ['2026-11-03', '2026-11-04'], [2, 1])],
    });
  });

  it('counts repeat days in the time zone of the query', async () => {
    const store = await storeWith([
      // h: two UTC days, one New York day (2 November, 10:00 and 20:00 EST).
      ev('h', '2026-11-02T15:00:00Z', 'export'),
      ev('h', '2026-11-03T01:00:00Z', 'export'),
      // i: two days anywhere.
      ev('i', '2026-11-02T12:00:00Z', 'export'),
      ev('i', '2026-11-03T12:00:00Z', 'export'),
    ]);
    const twoDays = ['2026-11-02', '2026-11-03'];
    expect(await store.query({ kind: 'adoption', features: ['export'], from: '2026-11-02', to: '2026-11-03' })).to.deep.equal({
      features: [feature('export', 2, 1, [0, 0], 1, twoDays, [2, 2])],
    });
    expect(
      await store.query({ kind: 'adoption', features: ['export'], timezone: 'America/New_York', from: '2026-11-02', to: '2026-11-03' }),
    ).to.deep.equal({
      features: [feature('export', 2, 1, [0, 0], 0.5, twoDays, [2, 1])],
    });
  });

  it('answers a range without events with zeros and nulls', async () => {
    const store = await storeWith(events);
    const december = { from: '2026-12-01', to: '2026-12-02' };
    // Nobody active: the adoption rate has no denominator.
    expect(await store.query({ kind: 'adoption', features: ['export'], ...december })).to.deep.equal({
      features: [feature('export', 0, null, [null, null], null, ['2026-12-01', '2026-12-02'], [0, 0], 0)],
    });
    expect(await store.query({ kind: 'adoption', features: 'all', ...december })).to.deep.equal({ features: [] });
  });

  describe('suppression (minGroupSize 3)', () => {
    it('nulls adopter counts of 1 or 2 and every rate or time over such a group, keeps 0, and flags the result', async () => {
      const store = await storeWith(events, { minGroupSize: 3 });
      expect(await store.query({ kind: 'adoption', features: 'all', ...range })).to.deep.equal({
        features: [
          // 3 adopters stay, but only 2 first used it in the range and only 2 repeated it.
          feature('export', 3, 0.6, [null, null], null, days, [null, null, null]),
          // The suppressed ones come after, by name, whatever their hidden counts (signup has 1, zoom 2).
          feature('share', null, null, [null, null], null, days, [0, null, null]),
          feature('signup', null, null, [null, null], null, days, [null, 0, 0]),
          feature('zoom', null, null, [null, null], null, days, [0, 0, null]),
        ],
        suppressed: true,
      });
    });

    it('carries no flag when nothing is below 3', async () => {
      const store = await storeWith(events, { minGroupSize: 3 });
      expect(await store.query({ kind: 'adoption', features: ['missing'], ...range })).to.deep.equal({
        features: [feature('missing', 0, 0, [null, null], null, days, [0, 0, 0])],
      });
    });
  });

  it('rejects bad specs, naming the field', async () => {
    const store = await storeWith(events);
    for (const [spec, field] of [
      [{}, 'features'],
      [{ features: [] }, 'features'],
      [{ features: 'export' }, 'features'],
      [{ features: { export: true } }, 'features'],
      [{ features: ['export', 'share', 5] }, 'features[2]'],
      [{ features: ['export', ''] }, 'features[1]'],
      [{ features: ['export', 'share', 'export'] }, 'features[2]'],
      [{ features: 'all', event: 'export' }, 'event'],
      [{ features: 'all', interval: 'fortnight' }, 'interval'],
      [{ features: 'all', from: '2026-11-05', to: '2026-11-04' }, 'from'],
    ] as const) {
      const error = await rejectionOf(store.query({ kind: 'adoption', ...(spec as object) } as never));
      expect(error, field).to.be.instanceOf(SpecError);
      expect((error as SpecError).field, field).to.equal(field);
    }
  });
});
