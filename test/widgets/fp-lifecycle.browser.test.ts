import { expect } from 'chai';
import { expect as wcExpect, fixture, html } from '@open-wc/testing';
import { Chart } from 'chart.js';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../widgets/fp-lifecycle/fp-lifecycle.ts';
import type { FpLifecycle, LifecycleClick } from '../../widgets/fp-lifecycle/fp-lifecycle.ts';
import { fixtureStore, imageLabel, settled, tableText } from './widget-helpers.ts';

const at = (day: number, hour = 9) => `2026-11-${day}T${String(hour).padStart(2, '0')}:00:00Z`;
const open = (user: string, day: number) => ({ event: 'open', user_id: user, timestamp: at(day) });

// Active days (any event): a 25 26 28, b 26 27, c 20 27 28, d 25, e 28, f 26 27 28, g 24 26.
// 2026-11-26 (previous day active: a, d): a returning; b, f new; g resurrecting; d dormant.
// 2026-11-27 (previous: a b f g): b, f returning; c resurrecting; a, g dormant.
// 2026-11-28 (previous: b c f): c, f returning; e new; a resurrecting; b dormant.
const events = [
  ...[25, 26, 28].map((day) => open('a', day)),
  ...[26, 27].map((day) => open('b', day)),
  ...[20, 27, 28].map((day) => open('c', day)),
  open('d', 25),
  open('e', 28),
  ...[26, 27, 28].map((day) => open('f', day)),
  ...[24, 26].map((day) => open('g', day)),
  // Only b (on the 27th) and f (on the 28th) save.
  { event: 'save', user_id: 'b', timestamp: at(27, 10) },
  { event: 'save', user_id: 'f', timestamp: at(28, 10) },
];

async function lifecycle(attributes: Partial<FpLifecycle> = {}, options = {}): Promise<FpLifecycle> {
  const store = await fixtureStore(events, options);
  const element = await fixture<FpLifecycle>(html`<fp-lifecycle lang="en-US" label="Lifecycle" .source=${store} from="2026-11-26" to="2026-11-28"></fp-lifecycle>`);
  Object.assign(element, attributes);
  await settled(element);
  return element;
}

function clicks(element: FpLifecycle): LifecycleClick[] {
  const seen: LifecycleClick[] = [];
  element.addEventListener('fp-lifecycle-click', (event) => seen.push(event.detail));
  return seen;
}

describe('fp-lifecycle', () => {
  it('is defined', () => {
    expect(customElements.get('fp-lifecycle')).to.not.equal(undefined);
  });

  it('is accessible', async () => {
    const element = await lifecycle();
    await wcExpect(element).to.be.accessible();
  });

  it('shows the exact numbers in its hidden table and sums them up for screen readers', async () => {
    const element = await lifecycle();
    expect(element.status).to.equal('ready');
    expect(tableText(element)).to.deep.equal([
      ['Period', 'New', 'Returning', 'Resurrecting', 'Dormant'],
      ['2026-11-26', '2', '1', '1', '1'],
      ['2026-11-27', '0', '2', '1', '2'],
      ['2026-11-28', '1', '2', '1', '1'],
    ]);
    expect(imageLabel(element)).to.equal(
      'Over 3 days, 2026-11-26 to 2026-11-28: 3 new, 5 returning, 3 resurrecting and 4 dormant user-days; latest day, 2026-11-28: 1 new, 2 returning, 1 resurrecting and 1 dormant.',
    );
  });

  it('stacks new, returning and resurrecting above zero and dormant below, in four series colours', async () => {
    const element = await lifecycle();
    const chart = Chart.getChart(element.shadowRoot!.querySelector('canvas')!)!;
    expect(chart.data.datasets.map((d) => [d.label, d.data])).to.deep.equal([
      ['New', [2, 0, 1]],
      ['Returning', [1, 2, 2]],
      ['Resurrecting', [1, 1, 1]],
      ['Dormant', [-1, -2, -1]],
    ]);
    expect(new Set(chart.data.datasets.map((d) => d.borderColor)).size).to.equal(4);
  });

  it('hatches the bars of a period that has not ended, keeping the legend plain, and says so', async () => {
    // The fixture's clock is 2026-11-28 12:00: that day has not ended.
    const element = await lifecycle();
    const chart = Chart.getChart(element.shadowRoot!.querySelector('canvas')!)!;
    for (const dataset of chart.data.datasets) {
      const fill = dataset.backgroundColor as unknown as (context: { type: string; dataIndex: number }) => unknown;
      expect([0, 1, 2].map((dataIndex) => fill({ type: 'data', dataIndex }) === dataset.borderColor)).to.deep.equal([true, true, false]);
      expect(fill({ type: 'data', dataIndex: 2 })).to.be.instanceOf(CanvasPattern);
      expect(fill({ type: 'dataset', dataIndex: 2 })).to.equal(dataset.borderColor);
    }
    const title = chart.options.plugins!.tooltip!.callbacks!.title as unknown as (items: { label: string; dataIndex: number }[]) => string | string[];
    expect(title([{ label: 'Nov 28', dataIndex: 2 }])).to.deep.equal(['Nov 28', '(incomplete period)']);
    expect(element.shadowRoot!.querySelector('[part="incomplete-note"]')!.textContent).to.equal('Hatched bars: incomplete period (not ended yet, may still grow).');
  });

  it('names periods short on a level axis and titles the count axis', async () => {
    const element = await lifecycle();
    const chart = Chart.getChart(element.shadowRoot!.querySelector('canvas')!)!;
    expect(chart.data.labels).to.deep.equal(['Nov 26', 'Nov 27', 'Nov 28']);
    const { x, y } = chart.options.scales as unknown as Record<'x' | 'y', { ticks: { maxRotation?: number; precision?: number }; title: { text: string } }>;
    expect([x.ticks.maxRotation, y.ticks.precision, y.title.text]).to.deep.equal([0, 0, 'Users']);
    expect(tableText(element)[1]![0]).to.equal('2026-11-26');
  });

  it('queries again when an attribute changes', async () => {
    const element = await lifecycle();
    // Only saves make a user active: b resurrects on the 27th (first event ever the 26th), f on the 28th, when b goes dormant.
    element.setAttribute('event', 'save');
    await settled(element);
    expect(tableText(element).slice(1)).to.deep.equal([
      ['2026-11-26', '0', '0', '0', '0'],
      ['2026-11-27', '0', '0', '1', '0'],
      ['2026-11-28', '0', '0', '1', '1'],
    ]);
    // One week, Monday 2026-11-23: everyone but c (active the week before) has a first event in it.
    element.removeAttribute('event');
    element.setAttribute('interval', 'week');
    await settled(element);
    expect(tableText(element).slice(1)).to.deep.equal([['2026-11-23', '6', '1', '0', '0']]);
    expect(imageLabel(element)).to.equal('Over 1 week, 2026-11-23: 6 new, 1 returning, 0 resurrecting and 0 dormant user-weeks; latest week, 2026-11-23: 6 new, 1 returning, 0 resurrecting and 0 dormant.');
  });

  it('tells the page which bar segment was clicked, dormant users as a positive count', async () => {
    const element = await lifecycle();
    const seen = clicks(element);
    const canvas = element.shadowRoot!.querySelector('canvas')!;
    const chart = Chart.getChart(canvas)!;
    const box = canvas.getBoundingClientRect();
    for (const datasetIndex of [1, 3]) {
      const bar = chart.getDatasetMeta(datasetIndex).data[1]!.getProps(['x', 'y', 'base']);
      await sendMouse({ type: 'click', position: [Math.round(box.left + bar.x), Math.round(box.top + (bar.y + bar.base) / 2)] });
    }
    expect(seen).to.deep.equal([
      { period: '2026-11-27', status: 'returning', users: 2 },
      { period: '2026-11-27', status: 'dormant', users: 2 },
    ]);
  });

  it('lets the keyboard reach every segment with one Tab stop and the arrow keys', async () => {
    const element = await lifecycle();
    const seen = clicks(element);
    const buttons = [...element.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="segments"] button')];
    expect(buttons).to.have.length(12);
    expect(buttons.filter((b) => b.tabIndex === 0).map((b) => b.textContent)).to.deep.equal(['2026-11-28, new: 1 user']);
    element.shadowRoot!.querySelector<HTMLButtonElement>('button[part="download"]')!.focus();
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    // Left: the 27th; Up: returning, stacked above new; Space activates it.
    await sendKeys({ press: 'ArrowLeft' });
    await sendKeys({ press: 'ArrowUp' });
    await sendKeys({ press: 'Space' });
    // Down twice: new, then dormant, below zero; Home: the first period.
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Home' });
    await sendKeys({ press: 'Enter' });
    expect(seen).to.deep.equal([
      { period: '2026-11-28', status: 'new', users: 1 },
      { period: '2026-11-27', status: 'returning', users: 2 },
      { period: '2026-11-26', status: 'dormant', users: 1 },
    ]);
    // The focused segment shows as active in the chart, with its tooltip.
    const chart = Chart.getChart(element.shadowRoot!.querySelector('canvas')!)!;
    expect(chart.getActiveElements().map((e) => [e.datasetIndex, e.index])).to.deep.equal([[3, 0]]);
    expect(element.shadowRoot!.activeElement!.textContent).to.equal('2026-11-26, dormant: 1 user');
  });

  it('shows the empty state for a range without activity', async () => {
    const element = await lifecycle({ from: '2026-10-01', to: '2026-10-03' });
    expect(element.status).to.equal('empty');
    expect(element.shadowRoot!.textContent).to.contain('No data for this range.');
  });

  it('shows the error, naming the field, for a bad attribute', async () => {
    const element = await lifecycle();
    element.setAttribute('interval', 'fortnight');
    await settled(element);
    expect(element.status).to.equal('error');
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('interval:');
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain("'fortnight'");
  });

  it('shows suppressed counts as < k', async () => {
    const element = await lifecycle({}, { minGroupSize: 2 });
    expect(tableText(element).slice(1)).to.deep.equal([
      ['2026-11-26', '2', '< k', '< k', '< k'],
      ['2026-11-27', '0', '2', '< k', '2'],
      ['2026-11-28', '< k', '2', '< k', '< k'],
    ]);
    expect(imageLabel(element)).to.equal(
      'Over 3 days, 2026-11-26 to 2026-11-28: at least 3 new, at least 5 returning, at least 3 resurrecting and at least 4 dormant user-days; latest day, 2026-11-28: < k new, 2 returning, < k resurrecting and < k dormant.',
    );
    expect(element.shadowRoot!.textContent).to.contain('Groups smaller than the privacy threshold are shown as < k.');
  });

  it('leaves no chart behind when removed', async () => {
    const element = await lifecycle();
    const canvas = element.shadowRoot!.querySelector('canvas')!;
    expect(Chart.getChart(canvas)).to.not.equal(undefined);
    element.remove();
    expect(Chart.getChart(canvas)).to.equal(undefined);
  });
});
