import { expect } from 'chai';
import { expect as wcExpect, fixture, html } from '@open-wc/testing';
import '../../widgets/fp-kpi/fp-kpi.ts';
import type { FpKpi } from '../../widgets/fp-kpi/fp-kpi.ts';
import { fixtureStore, imageLabel, settled, tableText } from './widget-helpers.ts';

// Users per day: 2026-11-26 a; 2026-11-27 a b c d; 2026-11-28 a b c. `save`: 11-27 a; 11-28 a b.
const events = [
  { event: 'open', user_id: 'a', timestamp: '2026-11-26T09:00:00Z' },
  { event: 'open', user_id: 'a', timestamp: '2026-11-27T09:00:00Z' },
  { event: 'save', user_id: 'a', timestamp: '2026-11-27T09:05:00Z' },
  { event: 'open', user_id: 'b', timestamp: '2026-11-27T10:00:00Z' },
  { event: 'open', user_id: 'c', timestamp: '2026-11-27T11:00:00Z' },
  { event: 'open', user_id: 'd', timestamp: '2026-11-27T12:00:00Z' },
  { event: 'open', user_id: 'a', timestamp: '2026-11-28T08:00:00Z' },
  { event: 'save', user_id: 'a', timestamp: '2026-11-28T08:05:00Z' },
  { event: 'save', user_id: 'b', timestamp: '2026-11-28T09:00:00Z' },
  { event: 'open', user_id: 'c', timestamp: '2026-11-28T10:00:00Z' },
];

/** The widget over `events` (default the fixture's), its clock at NOW (2026-11-28 12:00 UTC) unless `options.now` says. */
async function kpi(attributes: Partial<FpKpi>, options = {}, data = events): Promise<FpKpi> {
  const store = await fixtureStore(data, options);
  const element = await fixture<FpKpi>(html`<fp-kpi lang="en-US" .source=${store} to="2026-11-28"></fp-kpi>`);
  Object.assign(element, attributes);
  await settled(element);
  return element;
}

const part = (element: FpKpi, name: string): HTMLElement => element.shadowRoot!.querySelector<HTMLElement>(`[part="${name}"]`)!;
const sparkline = (element: FpKpi): (string | null)[] => [...element.shadowRoot!.querySelectorAll('polyline')].map((line) => line.getAttribute('points'));
const dashes = (element: FpKpi): (string | null)[] => [...element.shadowRoot!.querySelectorAll('polyline')].map((line) => line.getAttribute('stroke-dasharray'));
/** The day after the fixture's: every day up to 2026-11-28 has ended. */
const nextDay = { now: () => Date.UTC(2026, 10, 29, 12) };
/** `count` users (`prefix`1, `prefix`2, ...) opening at `timestamp`. */
const users = (count: number, prefix: string, timestamp: string) =>
  Array.from({ length: count }, (_, i) => ({ event: 'open', user_id: `${prefix}${i + 1}`, timestamp }));

describe('fp-kpi', () => {
  it('is defined', () => {
    expect(customElements.get('fp-kpi')).to.not.equal(undefined);
  });

  it('is accessible', async () => {
    const element = await kpi({ label: 'Daily active users' });
    await wcExpect(element).to.be.accessible();
  });

  it('counts users over the 14 days ending with to by default', async () => {
    const element = await kpi({ label: 'Daily active users' });
    expect(element.query).to.deep.equal({ kind: 'trend', to: '2026-11-28', math: 'users', interval: 'day', periods: 14 });
    const rows = tableText(element);
    expect(rows[0]).to.deep.equal(['Period', 'Users']);
    expect(rows.length).to.equal(15);
    expect(rows[1]).to.deep.equal(['2026-11-15', '0']);
    expect(rows.slice(-3)).to.deep.equal([
      ['2026-11-26', '1'],
      ['2026-11-27', '4'],
      ['2026-11-28', '3'],
    ]);
  });

  it('shows the last complete period, its change against the one before and the running one so far, and sums them up', async () => {
    // At 12:00 on 2026-11-28 that day has not ended: the card compares 11-27 (4) with 11-26 (1).
    const element = await kpi({ label: 'Daily active users', periods: 3 });
    expect(part(element, 'value').textContent).to.equal('4');
    const change = part(element, 'change');
    // (4 - 1) / 1 = +300%.
    expect(change.textContent!.trim()).to.equal('▲ +300%');
    expect(change.classList.contains('up')).to.equal(true);
    expect(change.title).to.equal('Previous: 1 on 2026-11-26');
    expect(part(element, 'compared').textContent!.trim()).to.equal('Nov 27 vs Nov 26');
    expect(part(element, 'so-far').textContent!.trim()).to.equal('Nov 28 so far: 3');
    expect(imageLabel(element)).to.equal('Daily active users: 4 on 2026-11-27, up 300% from 1 on 2026-11-26; 3 so far on 2026-11-28, which has not ended.');
    // Values 1, 4, 3 across x 0..100; y maps 1..4 onto 29..1 (higher is up); the stretch into 11-28 is dashed.
    expect(sparkline(element)).to.deep.equal(['0.00,29.00 50.00,1.00', '50.00,1.00 100.00,10.33']);
    expect(dashes(element)).to.deep.equal([null, '4 3']);
  });

  it('compares whole days, not today so far with a whole yesterday (no "▼ -90%" at 3 a.m.)', async () => {
    // 5 users on 11-26, 10 on 11-27, and at 03:00 on 11-28 one so far: today so far against yesterday would read -90%.
    const data = [...users(5, 'p', '2026-11-26T10:00:00Z'), ...users(10, 'u', '2026-11-27T10:00:00Z'), ...users(1, 'u', '2026-11-28T02:00:00Z')];
    const element = await kpi({ label: 'Daily active users', periods: 3 }, { now: () => Date.parse('2026-11-28T03:00:00Z') }, data);
    expect(part(element, 'value').textContent).to.equal('10');
    expect(part(element, 'change').textContent!.trim()).to.equal('▲ +100%');
    expect(part(element, 'compared').textContent!.trim()).to.equal('Nov 27 vs Nov 26');
    expect(part(element, 'so-far').textContent!.trim()).to.equal('Nov 28 so far: 1');
    expect(element.shadowRoot!.textContent).to.not.contain('90%');
  });

  it('rounds a change to a whole percent: 3 users, then 2, is -33%', async () => {
    const data = [...users(3, 'u', '2026-11-26T10:00:00Z'), ...users(2, 'u', '2026-11-27T10:00:00Z')];
    const element = await kpi({ label: 'Daily active users', to: '2026-11-27', periods: 2 }, {}, data);
    expect(part(element, 'change').textContent!.trim()).to.equal('▼ -33%');
    expect(imageLabel(element)).to.equal('Daily active users: 2 on 2026-11-27, down 33% from 3 on 2026-11-26.');
  });

  it('shows a range that has not ended as its value so far, without a change', async () => {
    const element = await kpi({ label: 'Daily active users', periods: 1 });
    expect(part(element, 'value').textContent).to.equal('3');
    expect(part(element, 'change')).to.equal(null);
    expect(part(element, 'compared').textContent!.trim()).to.equal('Nov 28 so far');
    expect(imageLabel(element)).to.equal('Daily active users: 3 so far on 2026-11-28, which has not ended.');
  });

  it('queries again when an attribute changes', async () => {
    const element = await kpi({ label: 'Savers', periods: 3 }, nextDay);
    element.setAttribute('event', 'save');
    await settled(element);
    expect(tableText(element).slice(1)).to.deep.equal([
      ['2026-11-26', '0'],
      ['2026-11-27', '1'],
      ['2026-11-28', '2'],
    ]);
    expect(part(element, 'change').textContent!.trim()).to.equal('▲ +100%');
    expect(part(element, 'change').classList.contains('up')).to.equal(true);
    expect(imageLabel(element)).to.equal('Savers: 2 on 2026-11-28, up 100% from 1 on 2026-11-27.');
  });

  it('shows DAU / MAU as a percentage', async () => {
    const element = await kpi({ math: 'stickiness_ratio', periods: 2 }, nextDay);
    // 30-day MAU is a b c d on both days: 4 / 4 on 11-27, 3 / 4 on 11-28.
    expect(tableText(element).slice(1)).to.deep.equal([
      ['2026-11-27', '1'],
      ['2026-11-28', '0.75'],
    ]);
    expect(part(element, 'value').textContent).to.equal('75.0%');
    expect(imageLabel(element)).to.equal('DAU / MAU per day: 75.0% on 2026-11-28, down 25% from 100.0% on 2026-11-27.');
  });

  it('shows a DAU / MAU of 0 / 0 (a day without monthly users) as –, not as suppressed', async () => {
    // Nobody was active in the 30 days ending 11-25; a on 11-26 makes 1 / 1.
    const element = await kpi({ math: 'stickiness_ratio', to: '2026-11-26', periods: 2 });
    expect(tableText(element).slice(1)).to.deep.equal([
      ['2026-11-25', '–'],
      ['2026-11-26', '1'],
    ]);
    expect(part(element, 'change').title).to.equal('Previous: – on 2026-11-25');
    expect(element.shadowRoot!.textContent).to.not.contain('< k');
  });

  it('tells a DAU / MAU of 0 / 0 (–) from a suppressed one (< k) in the same result', async () => {
    const element = await kpi({ math: 'stickiness_ratio', to: '2026-11-26', periods: 2 }, { minGroupSize: 2 });
    expect(tableText(element).slice(1)).to.deep.equal([
      ['2026-11-25', '–'],
      ['2026-11-26', '< k'],
    ]);
    expect(part(element, 'value').textContent).to.equal('< k');
  });

  it('stays neutral when the previous value is 0', async () => {
    const element = await kpi({ to: '2026-11-26', periods: 2 });
    const change = part(element, 'change');
    expect(change.textContent!.trim()).to.equal('–');
    expect(change.classList.contains('neutral')).to.equal(true);
    expect(change.title).to.equal('Previous: 0 on 2026-11-25');
    expect(imageLabel(element)).to.equal('Users per day: 1 on 2026-11-26, against 0 on 2026-11-25.');
  });

  it('takes from instead of the default periods', async () => {
    const element = await kpi({ from: '2026-11-27' });
    expect(element.query.periods).to.equal(undefined);
    expect(tableText(element).slice(1)).to.deep.equal([
      ['2026-11-27', '4'],
      ['2026-11-28', '3'],
    ]);
  });

  it('names weeks in its summary', async () => {
    const element = await kpi({ interval: 'week', periods: 2 }, { now: () => Date.UTC(2026, 10, 30) });
    // Weeks start on Monday: 2026-11-16 has nobody, 2026-11-23 has a b c d.
    expect(imageLabel(element)).to.equal('Users per week: 4 in the week of 2026-11-23, against 0 in the week of 2026-11-16.');
    expect(part(element, 'compared').textContent!.trim()).to.equal('week of Nov 23 vs week of Nov 16');
  });

  it('shows the empty state for a range without events', async () => {
    const element = await kpi({ to: '2026-10-03' });
    expect(element.status).to.equal('empty');
    expect(element.shadowRoot!.textContent).to.contain('No data for this range.');
  });

  it('shows the error, naming the field, for a bad attribute', async () => {
    const element = await kpi({});
    element.setAttribute('math', 'dau');
    await settled(element);
    expect(element.status).to.equal('error');
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain("math: must be one of events, users, wau, mau, stickiness_ratio, got 'dau'");
  });

  it('shows suppressed counts as < k, as gaps in the sparkline and without a change', async () => {
    const element = await kpi({ periods: 3 }, { minGroupSize: 4, ...nextDay });
    // Only 11-27 (4 users) reaches the threshold.
    expect(tableText(element).slice(1)).to.deep.equal([
      ['2026-11-26', '< k'],
      ['2026-11-27', '4'],
      ['2026-11-28', '< k'],
    ]);
    expect(part(element, 'value').textContent).to.equal('< k');
    expect(part(element, 'change').textContent!.trim()).to.equal('–');
    expect(imageLabel(element)).to.equal('Users per day: < k on 2026-11-28, against 4 on 2026-11-27.');
    // One known point: a dot in the middle.
    expect(sparkline(element)).to.deep.equal(['50.00,15.00 50.00,15.00']);
    expect(element.shadowRoot!.textContent).to.contain('Groups smaller than the privacy threshold are shown as < k.');
  });
});
