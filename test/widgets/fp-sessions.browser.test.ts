import { expect } from 'chai';
import { expect as wcExpect, fixture, html } from '@open-wc/testing';
import { Chart } from 'chart.js';
import '../../widgets/fp-sessions/fp-sessions.ts';
import type { FpSessions } from '../../widgets/fp-sessions/fp-sessions.ts';
import { fixtureStore, imageLabel, settled, tableText } from './widget-helpers.ts';

// With the default 30-minute gap: a 600 s, 0 s (bounce), 300 s; b 0 s (bounce), 4200 s (gaps of 20, 25, 25 min); c 45 s.
// Sorted: 0 0 45 300 600 4200: median (45 + 300) / 2 = 172.5 s, p90 at rank 4.5 = 600 + 0.5 * 3600 = 2400 s.
const events = [
  { event: 'open', user_id: 'a', timestamp: '2026-11-26T09:00:00Z' },
  { event: 'save', user_id: 'a', timestamp: '2026-11-26T09:10:00Z' },
  { event: 'open', user_id: 'a', timestamp: '2026-11-26T12:00:00Z' },
  { event: 'open', user_id: 'a', timestamp: '2026-11-27T10:00:00Z' },
  { event: 'save', user_id: 'a', timestamp: '2026-11-27T10:02:00Z' },
  { event: 'save', user_id: 'a', timestamp: '2026-11-27T10:05:00Z' },
  { event: 'open', user_id: 'b', timestamp: '2026-11-27T09:00:00Z' },
  { event: 'open', user_id: 'b', timestamp: '2026-11-28T08:00:00Z' },
  { event: 'save', user_id: 'b', timestamp: '2026-11-28T08:20:00Z' },
  { event: 'save', user_id: 'b', timestamp: '2026-11-28T08:45:00Z' },
  { event: 'save', user_id: 'b', timestamp: '2026-11-28T09:10:00Z' },
  { event: 'open', user_id: 'c', timestamp: '2026-11-28T10:00:00Z' },
  { event: 'save', user_id: 'c', timestamp: '2026-11-28T10:00:45Z' },
];

async function sessions(attributes: Partial<FpSessions>, options = {}): Promise<FpSessions> {
  const store = await fixtureStore(events, options);
  const element = await fixture<FpSessions>(html`<fp-sessions label="Sessions" .source=${store} from="2026-11-26" to="2026-11-28"></fp-sessions>`);
  Object.assign(element, attributes);
  await settled(element);
  return element;
}

const figures = (element: FpSessions): string[][] =>
  [...element.shadowRoot!.querySelectorAll('[part="figures"] > div')].map((figure) => [figure.querySelector('dt')!.textContent!, figure.querySelector('dd')!.textContent!]);

const HISTOGRAM = [
  ['Sessions lasting < 10 s', '2'],
  ['Sessions lasting 10–30 s', '0'],
  ['Sessions lasting 30 s–1 min', '1'],
  ['Sessions lasting 1–3 min', '0'],
  ['Sessions lasting 3–10 min', '1'],
  ['Sessions lasting 10–30 min', '1'],
  ['Sessions lasting 30 min–1 h', '0'],
  ['Sessions lasting ≥ 1 h', '1'],
];

describe('fp-sessions', () => {
  it('is defined', () => {
    expect(customElements.get('fp-sessions')).to.not.equal(undefined);
  });

  it('is accessible', async () => {
    const element = await sessions({});
    await wcExpect(element).to.be.accessible();
  });

  it('shows the exact figures, the histogram, and says durations include bounces', async () => {
    const element = await sessions({});
    expect(element.status).to.equal('ready');
    expect(figures(element)).to.deep.equal([
      ['Sessions', '6'],
      ['Users', '3'],
      ['Sessions per user', '2'],
      ['Bounce rate', '33.3%'],
      ['Median duration', '2.9 min'],
      ['p90 duration', '40 min'],
    ]);
    expect(tableText(element)).to.deep.equal([
      ['Measure', 'Value'],
      ['Sessions', '6'],
      ['Users', '3'],
      ['Sessions per user', '2'],
      ['Bounce rate (%)', '33.333'],
      ['Median duration (s)', '172.5'],
      ['p90 duration (s)', '2,400'],
      ...HISTOGRAM,
    ]);
    expect(imageLabel(element)).to.equal('6 sessions by 3 users (2 per user); bounce rate 33.3%; median duration 2.9 min, p90 40 min. Durations include bounces (0 s).');
    expect(element.shadowRoot!.querySelector('[part="note"]')!.textContent).to.equal('Durations include bounces (one-event sessions, 0 s).');
    const chart = Chart.getChart(element.shadowRoot!.querySelector('canvas')!)!;
    expect(chart.data.labels).to.deep.equal(HISTOGRAM.map(([label]) => label!.replace('Sessions lasting ', '')));
    expect(chart.data.datasets[0]!.data).to.deep.equal([2, 0, 1, 0, 1, 1, 0, 1]);
    const { x, y } = chart.options.scales as unknown as Record<'x' | 'y', { ticks: { precision?: number; maxRotation?: number }; title: { display: boolean; text: string } }>;
    expect([x.title.text, x.ticks.maxRotation, y.title.text, y.ticks.precision]).to.deep.equal(['Session duration', 0, 'Sessions', 0]);
  });

  it('queries again with the session options of its attributes', async () => {
    const element = await sessions({});
    element.setAttribute('gap-minutes', '20');
    element.setAttribute('max-minutes', '600');
    element.setAttribute('split-at-midnight', '');
    element.setAttribute('session-source', 'gap');
    await settled(element);
    expect(element.query).to.deep.equal({ kind: 'sessions', from: '2026-11-26', to: '2026-11-28', gapMinutes: 20, maxMinutes: 600, splitAtMidnight: true, sessionSource: 'gap' });
    // b's two 25-minute gaps now split 08:00-09:10 into 1200 s and two bounces: 0 0 0 0 45 300 600 1200,
    // 4 bounces of 8, median (0 + 45) / 2 = 22.5 s, p90 at rank 6.3 = 600 + 0.3 * 600 = 780 s.
    // Nothing crosses midnight or lasts 600 minutes, and no event has a session_id.
    expect(tableText(element).slice(1, 7)).to.deep.equal([
      ['Sessions', '8'],
      ['Users', '3'],
      ['Sessions per user', '2.667'],
      ['Bounce rate (%)', '50'],
      ['Median duration (s)', '22.5'],
      ['p90 duration (s)', '780'],
    ]);
    expect(figures(element).slice(2)).to.deep.equal([
      ['Sessions per user', '2.7'],
      ['Bounce rate', '50.0%'],
      ['Median duration', '22.5 s'],
      ['p90 duration', '13 min'],
    ]);
  });

  it('splits sessions at midnight when split-at-midnight is set', async () => {
    const store = await fixtureStore([
      { event: 'open', user_id: 'd', timestamp: '2026-11-27T23:50:00Z' },
      { event: 'save', user_id: 'd', timestamp: '2026-11-28T00:10:00Z' },
    ]);
    const element = await fixture<FpSessions>(html`<fp-sessions .source=${store} from="2026-11-27" to="2026-11-28"></fp-sessions>`);
    await settled(element);
    expect(figures(element).map(([, value]) => value)).to.deep.equal(['1', '1', '1', '0.0%', '20 min', '20 min']);
    element.setAttribute('split-at-midnight', '');
    await settled(element);
    // Two one-event sessions: both bounces of 0 s.
    expect(figures(element).map(([, value]) => value)).to.deep.equal(['2', '1', '2', '100.0%', '0 s', '0 s']);
  });

  it('shows the empty state for a range without events', async () => {
    const element = await sessions({ from: '2026-10-01', to: '2026-10-03' });
    expect(element.status).to.equal('empty');
    expect(element.shadowRoot!.textContent).to.contain('No data for this range.');
  });

  it('shows the error, naming the field, for a bad attribute', async () => {
    const element = await sessions({});
    element.setAttribute('gap-minutes', '0');
    await settled(element);
    expect(element.status).to.equal('error');
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain("gapMinutes: must be a whole number from 1 to 10080, got '0'");
  });

  it('shows suppressed counts as < k', async () => {
    const element = await sessions({}, { minGroupSize: 4 });
    expect(figures(element).slice(0, 3)).to.deep.equal([
      ['Sessions', '6'],
      ['Users', '< k'],
      ['Sessions per user', '–'],
    ]);
    expect(tableText(element).slice(1, 4)).to.deep.equal([
      ['Sessions', '6'],
      ['Users', '< k'],
      ['Sessions per user', '–'],
    ]);
    expect(imageLabel(element)).to.equal('6 sessions by < k users; bounce rate 33.3%; median duration 2.9 min, p90 40 min. Durations include bounces (0 s).');
    expect(element.shadowRoot!.textContent).to.contain('Groups smaller than the privacy threshold are shown as < k.');
  });

  it('leaves no chart behind when removed', async () => {
    const element = await sessions({});
    const canvas = element.shadowRoot!.querySelector('canvas')!;
    expect(Chart.getChart(canvas)).to.not.equal(undefined);
    element.remove();
    expect(Chart.getChart(canvas)).to.equal(undefined);
  });
});
