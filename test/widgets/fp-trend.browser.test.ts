import { expect } from 'chai';
import { expect as wcExpect, fixture, html } from '@open-wc/testing';
import { Chart } from 'chart.js';
import { sendMouse } from '@web/test-runner-commands';
import '../../widgets/fp-trend/fp-trend.ts';
import type { FpTrend, TrendPointClick } from '../../widgets/fp-trend/fp-trend.ts';
import { fixtureStore, imageLabel, settled, tableText } from './widget-helpers.ts';

const events = [
  { event: 'open', user_id: 'a', timestamp: '2026-11-26T09:00:00Z', properties: { plan: 'pro' } },
  { event: 'open', user_id: 'a', timestamp: '2026-11-26T10:00:00Z', properties: { plan: 'pro' } },
  { event: 'open', user_id: 'b', timestamp: '2026-11-27T09:00:00Z', properties: { plan: 'free' } },
  { event: 'save', user_id: 'a', timestamp: '2026-11-27T11:00:00Z' },
  { event: 'open', user_id: 'c', timestamp: '2026-11-28T08:00:00Z', properties: { plan: 'free' } },
];

const chartOf = (element: FpTrend) => Chart.getChart(element.shadowRoot!.querySelector('canvas')!)!;
/** The y scale's options as the chart holds them. */
const yAxis = (element: FpTrend) => chartOf(element).options.scales!['y'] as { ticks: { precision?: number; callback: (value: number) => string }; title: { display: boolean; text: string } };

async function trend(attributes: Partial<FpTrend>, options = {}): Promise<FpTrend> {
  const store = await fixtureStore(events, options);
  const element = await fixture<FpTrend>(html`<fp-trend lang="en-US" label="Opens" .source=${store} from="2026-11-26" to="2026-11-28"></fp-trend>`);
  Object.assign(element, attributes);
  await settled(element);
  return element;
}

describe('fp-trend', () => {
  it('is defined', () => {
    expect(customElements.get('fp-trend')).to.not.equal(undefined);
  });

  it('is accessible', async () => {
    const element = await trend({ math: 'users' });
    await wcExpect(element).to.be.accessible();
  });

  it('shows the exact numbers in its hidden table and sums them up for screen readers', async () => {
    const element = await trend({ math: 'users' });
    expect(element.status).to.equal('ready');
    expect(tableText(element)).to.deep.equal([
      ['Period', 'all'],
      ['2026-11-26', '1'],
      ['2026-11-27', '2'],
      ['2026-11-28', '1'],
    ]);
    expect(imageLabel(element)).to.equal('Users per day, 2026-11-26 to 2026-11-28: latest 1, highest 2 on 2026-11-27.');
  });

  it('queries again when an attribute changes', async () => {
    const element = await trend({ math: 'users' });
    element.setAttribute('math', 'events');
    element.setAttribute('event', 'open');
    await settled(element);
    expect(tableText(element).slice(1)).to.deep.equal([
      ['2026-11-26', '2'],
      ['2026-11-27', '1'],
      ['2026-11-28', '1'],
    ]);
  });

  it('draws one line per breakdown value', async () => {
    const element = await trend({ math: 'users', breakdown: 'plan' });
    expect(tableText(element)).to.deep.equal([
      // free and pro have two events each (ties by name), the plan-less save one.
      ['Period', 'free', 'pro', '(none)'],
      ['2026-11-26', '0', '1', '0'],
      ['2026-11-27', '1', '0', '1'],
      ['2026-11-28', '1', '0', '0'],
    ]);
    const chart = Chart.getChart(element.shadowRoot!.querySelector('canvas')!)!;
    expect(chart.data.datasets.map((d) => d.label)).to.deep.equal(['free', 'pro', '(none)']);
  });

  it('leaves out the (none) line with known-only, without querying again', async () => {
    const element = await trend({ math: 'users', breakdown: 'plan' });
    let results = 0;
    element.addEventListener('fp-result', () => results++);
    element.knownOnly = true;
    await element.updateComplete;
    expect(results).to.equal(0);
    expect(tableText(element)).to.deep.equal([
      ['Period', 'free', 'pro'],
      ['2026-11-26', '0', '1'],
      ['2026-11-27', '1', '0'],
      ['2026-11-28', '1', '0'],
    ]);
  });

  it('names periods short and local on a level axis, keeping them whole in the table', async () => {
    const days = await trend({ math: 'users' });
    expect(chartOf(days).data.labels).to.deep.equal(['Nov 26', 'Nov 27', 'Nov 28']);
    const x = chartOf(days).options.scales!['x'] as { ticks: { maxRotation: number; autoSkip: boolean } };
    expect([x.ticks.maxRotation, x.ticks.autoSkip]).to.deep.equal([0, true]);
    expect(tableText(days)[1]).to.deep.equal(['2026-11-26', '1']);
    const months = await trend({ math: 'users', interval: 'month', from: '2026-09-01' });
    expect(chartOf(months).data.labels).to.deep.equal(['Sep 2026', 'Oct 2026', 'Nov 2026']);
  });

  it('names hours by their own wall clock, in the store\'s zone, not the browser\'s', async () => {
    const element = await trend({ math: 'events', interval: 'hour', from: '2026-11-26T09:00:00Z', to: '2026-11-26T10:59:59Z' });
    expect(chartOf(element).data.labels).to.deep.equal(['Thu 09:00', 'Thu 10:00']);
    expect(tableText(element).slice(1)).to.deep.equal([
      ['2026-11-26T09:00+00:00', '1'],
      ['2026-11-26T10:00+00:00', '1'],
    ]);
    // Kathmandu is UTC+05:45: the hour holding 09:00 UTC is 14:00 there, named 2026-11-26T14:00+05:45.
    const kathmandu = await trend({ math: 'events', interval: 'hour', from: '2026-11-26T14:00:00+05:45', to: '2026-11-26T14:59:00+05:45' }, { timezone: 'Asia/Kathmandu' });
    expect(chartOf(kathmandu).data.labels).to.deep.equal(['Thu 14:00']);
    expect(tableText(kathmandu).slice(1)).to.deep.equal([['2026-11-26T14:00+05:45', '1']]);
  });

  it('draws straight lines, which invent no values between points', async () => {
    const element = await trend({ math: 'users', breakdown: 'plan' });
    expect(chartOf(element).data.datasets.map((d) => (d as { tension?: number }).tension)).to.deep.equal([0, 0, 0]);
  });

  it('labels the value axis by its unit, with whole ticks for counts and percentages for DAU / MAU', async () => {
    const users = await trend({ math: 'users' });
    expect([yAxis(users).ticks.precision, yAxis(users).title.display, yAxis(users).title.text]).to.deep.equal([0, true, 'Users']);
    const events = await trend({ math: 'events' });
    expect([yAxis(events).ticks.precision, yAxis(events).title.text]).to.deep.equal([0, 'Events']);
    const ratio = await trend({ math: 'stickiness_ratio' });
    expect(yAxis(ratio).ticks.precision).to.equal(undefined);
    expect([yAxis(ratio).title.text, yAxis(ratio).ticks.callback(0.25)]).to.deep.equal(['DAU / MAU', '25%']);
  });

  it('dashes the line into a period that has not ended and says so in the tooltip and a note', async () => {
    // The fixture's clock is 2026-11-28 12:00: that day has not ended.
    const element = await trend({ math: 'users' });
    const dataset = chartOf(element).data.datasets[0] as unknown as { segment: { borderDash: (context: { p1DataIndex: number }) => number[] | undefined } };
    expect([1, 2].map((p1DataIndex) => dataset.segment.borderDash({ p1DataIndex }))).to.deep.equal([undefined, [5, 4]]);
    const title = chartOf(element).options.plugins!.tooltip!.callbacks!.title as unknown as (items: { label: string; dataIndex: number }[]) => string | string[];
    expect(title([{ label: 'Nov 27', dataIndex: 1 }])).to.equal('Nov 27');
    expect(title([{ label: 'Nov 28', dataIndex: 2 }])).to.deep.equal(['Nov 28', '(incomplete period)']);
    expect(element.shadowRoot!.querySelector('[part="incomplete-note"]')!.textContent).to.equal('Dashed line: incomplete period (not ended yet, may still grow).');
    const ended = await trend({ math: 'users', to: '2026-11-27' });
    expect(ended.shadowRoot!.querySelector('[part="incomplete-note"]')).to.equal(null);
  });

  it('shows a DAU / MAU of 0 / 0 as –, keeping < k for suppression', async () => {
    // Nobody was active in the 30 days ending 11-25.
    const element = await trend({ math: 'stickiness_ratio', from: '2026-11-25', to: '2026-11-26' });
    expect(tableText(element).slice(1)).to.deep.equal([
      ['2026-11-25', '–'],
      ['2026-11-26', '1'],
    ]);
    expect(element.shadowRoot!.textContent).to.not.contain('< k');
  });

  it('tells a DAU / MAU of 0 / 0 (–) from a suppressed one (< k) in the same result', async () => {
    // 11-25: nobody in the 30 days; 11-26: a alone, 1 user, below the threshold of 2.
    const element = await trend({ math: 'stickiness_ratio', from: '2026-11-25', to: '2026-11-26' }, { minGroupSize: 2 });
    expect(tableText(element).slice(1)).to.deep.equal([
      ['2026-11-25', '–'],
      ['2026-11-26', '< k'],
    ]);
  });

  it('tells the page which point was clicked', async () => {
    const element = await trend({ math: 'users' });
    const canvas = element.shadowRoot!.querySelector('canvas')!;
    const chart = Chart.getChart(canvas)!;
    const point = chart.getDatasetMeta(0).data[1]!;
    const box = canvas.getBoundingClientRect();
    const clicked = new Promise<TrendPointClick>((resolve) => element.addEventListener('fp-point-click', (e) => resolve(e.detail)));
    await sendMouse({ type: 'click', position: [Math.round(box.left + point.x), Math.round(box.top + point.y)] });
    expect(await clicked).to.deep.equal({ label: 'all', period: '2026-11-27', value: 2 });
  });

  it('shows the empty state for a range without events', async () => {
    const element = await trend({ from: '2026-10-01', to: '2026-10-03' });
    expect(element.status).to.equal('empty');
    expect(element.shadowRoot!.textContent).to.contain('No data for this range.');
  });

  it('shows the error, naming the field, for a bad attribute', async () => {
    const element = await trend({ from: 'last week' });
    expect(element.status).to.equal('error');
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain("from: not a YYYY-MM-DD date or an ISO 8601 date-time: 'last week'");
  });

  it('shows suppressed counts as < k', async () => {
    const element = await trend({ math: 'users' }, { minGroupSize: 2 });
    expect(tableText(element).slice(1)).to.deep.equal([
      ['2026-11-26', '< k'],
      ['2026-11-27', '2'],
      ['2026-11-28', '< k'],
    ]);
    expect(element.shadowRoot!.textContent).to.contain('Groups smaller than the privacy threshold are shown as < k.');
  });

  it('leaves no chart behind when removed', async () => {
    const element = await trend({ math: 'users' });
    const canvas = element.shadowRoot!.querySelector('canvas')!;
    expect(Chart.getChart(canvas)).to.not.equal(undefined);
    element.remove();
    expect(Chart.getChart(canvas)).to.equal(undefined);
  });

  it('offers its numbers as CSV', async () => {
    const element = await trend({ math: 'users' });
    const download = element.shadowRoot!.querySelector<HTMLButtonElement>('button[part="download"]')!;
    expect(download.textContent).to.equal('Download CSV');
  });
});
