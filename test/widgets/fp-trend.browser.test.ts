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

async function trend(attributes: Partial<FpTrend>, options = {}): Promise<FpTrend> {
  const store = await fixtureStore(events, options);
  const element = await fixture<FpTrend>(html`<fp-trend label="Opens" .source=${store} from="2026-11-26" to="2026-11-28"></fp-trend>`);
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

  it('shortens hour names on the axis, keeping them whole in the table', async () => {
    const element = await trend({ math: 'events', interval: 'hour', from: '2026-11-26T09:00:00Z', to: '2026-11-26T10:59:59Z' });
    const chart = Chart.getChart(element.shadowRoot!.querySelector('canvas')!)!;
    expect(chart.data.labels).to.deep.equal(['11-26 09:00', '11-26 10:00']);
    expect(tableText(element).slice(1)).to.deep.equal([
      ['2026-11-26T09:00+00:00', '1'],
      ['2026-11-26T10:00+00:00', '1'],
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
