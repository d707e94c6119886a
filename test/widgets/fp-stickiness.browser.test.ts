import { expect } from 'chai';
import { expect as wcExpect, fixture, html } from '@open-wc/testing';
import { Chart } from 'chart.js';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../widgets/fp-stickiness/fp-stickiness.ts';
import type { FpStickiness, StickinessBucketClick } from '../../widgets/fp-stickiness/fp-stickiness.ts';
import { fixtureStore, imageLabel, settled, tableText } from './widget-helpers.ts';

// Days active of 2026-11-26..28: a 3 (26 27 28), b 2 (27 28), e 2 (26 28), c 1 (28), d 1 (27).
// `save` only: a 2 (27 28), c 1 (28).
const events = [
  { event: 'open', user_id: 'a', timestamp: '2026-11-26T09:00:00Z' },
  { event: 'save', user_id: 'a', timestamp: '2026-11-27T09:00:00Z' },
  { event: 'open', user_id: 'a', timestamp: '2026-11-28T09:00:00Z' },
  { event: 'save', user_id: 'a', timestamp: '2026-11-28T09:30:00Z' },
  { event: 'open', user_id: 'b', timestamp: '2026-11-27T10:00:00Z' },
  { event: 'open', user_id: 'b', timestamp: '2026-11-28T10:00:00Z' },
  { event: 'save', user_id: 'c', timestamp: '2026-11-28T11:00:00Z' },
  { event: 'open', user_id: 'd', timestamp: '2026-11-27T12:00:00Z' },
  { event: 'open', user_id: 'e', timestamp: '2026-11-26T13:00:00Z' },
  { event: 'open', user_id: 'e', timestamp: '2026-11-28T13:00:00Z' },
];

async function stickiness(attributes: Partial<FpStickiness>, options = {}): Promise<FpStickiness> {
  const store = await fixtureStore(events, options);
  const element = await fixture<FpStickiness>(html`<fp-stickiness label="Days active" .source=${store} from="2026-11-26" to="2026-11-28"></fp-stickiness>`);
  Object.assign(element, attributes);
  await settled(element);
  return element;
}

const bucketButtons = (element: FpStickiness): HTMLButtonElement[] => [...element.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="buckets"] button')];
const canvasOf = (element: FpStickiness): HTMLCanvasElement => element.shadowRoot!.querySelector('canvas')!;
async function shiftTab(): Promise<void> {
  await sendKeys({ down: 'Shift' });
  await sendKeys({ press: 'Tab' });
  await sendKeys({ up: 'Shift' });
}
const nextClick = (element: FpStickiness): Promise<StickinessBucketClick> =>
  new Promise((resolve) => element.addEventListener('fp-bucket-click', (e) => resolve(e.detail), { once: true }));

describe('fp-stickiness', () => {
  it('is defined', () => {
    expect(customElements.get('fp-stickiness')).to.not.equal(undefined);
  });

  it('is accessible', async () => {
    const element = await stickiness({});
    await wcExpect(element).to.be.accessible();
  });

  it('shows the exact numbers in its hidden table, its chart and its summary', async () => {
    const element = await stickiness({});
    expect(element.status).to.equal('ready');
    expect(tableText(element)).to.deep.equal([
      ['Active days', 'Users'],
      ['1 day', '2'],
      ['2 days', '2'],
      ['3 days', '1'],
    ]);
    expect(imageLabel(element)).to.equal('Users by number of days active, of 3: 5 users in all; most on 1 day (2 users); 1 user on all 3 days.');
    const chart = Chart.getChart(canvasOf(element))!;
    expect(chart.data.labels).to.deep.equal(['1', '2', '3']);
    expect(chart.data.datasets[0]!.data).to.deep.equal([2, 2, 1]);
    const title = chart.options.plugins!.tooltip!.callbacks!.title as unknown as (items: { dataIndex: number }[]) => string;
    expect(title([{ dataIndex: 1 }])).to.equal('2 days');
  });

  it('titles its axes by their units, with whole ticks for users', async () => {
    const scalesOf = (element: FpStickiness) =>
      Chart.getChart(canvasOf(element))!.options.scales as unknown as Record<'x' | 'y', { ticks: { precision?: number }; title: { display: boolean; text: string } }>;
    const { x, y } = scalesOf(await stickiness({}));
    expect([x.title.display, x.title.text, y.title.text, y.ticks.precision]).to.deep.equal([true, 'Days active', 'Users', 0]);
    expect(scalesOf(await stickiness({ interval: 'week', cumulative: true })).x.title.text).to.equal('Active on at least n weeks');
  });

  it('keeps 90 days readable: level labels, skipped where they would crowd, thin bars apart', async () => {
    const element = await stickiness({ from: undefined, periods: 90 });
    element.style.width = '600px';
    await settled(element);
    const chart = Chart.getChart(canvasOf(element))!;
    chart.resize();
    expect(chart.data.labels).to.have.length(90);
    const x = chart.scales['x']!;
    // Level labels (no rotation), a few of them: at most one per 25 px.
    expect(x.labelRotation).to.equal(0);
    expect(x.ticks.length).to.be.within(2, 600 / 25);
    const bars = chart.getDatasetMeta(0).data as unknown as { x: number; width: number }[];
    expect(bars[1]!.x - bars[0]!.x - bars[0]!.width).to.be.greaterThan(0);
  });

  it('queries again when an attribute changes', async () => {
    const element = await stickiness({});
    element.setAttribute('event', 'save');
    await settled(element);
    expect(tableText(element).slice(1)).to.deep.equal([
      ['1 day', '1'],
      ['2 days', '1'],
      ['3 days', '0'],
    ]);
    element.removeAttribute('event');
    element.setAttribute('cumulative', '');
    await settled(element);
    expect(element.query.cumulative).to.equal(true);
    expect(tableText(element)).to.deep.equal([
      ['At least (days)', 'Users'],
      ['1+ days', '5'],
      ['2+ days', '3'],
      ['3+ days', '1'],
    ]);
    expect(imageLabel(element)).to.equal('Users active on at least n of 3 days: 5 users on 1+ days; 1 user on all 3 days.');
  });

  it('names the buckets after the interval', async () => {
    const element = await stickiness({ interval: 'week' });
    // 2026-11-26..28 lie in one week (Monday 2026-11-23): all five users in 1 week.
    expect(tableText(element)).to.deep.equal([
      ['Active weeks', 'Users'],
      ['1 week', '5'],
    ]);
  });

  it('tells the page which bar was clicked', async () => {
    const element = await stickiness({});
    const canvas = canvasOf(element);
    const bar = Chart.getChart(canvas)!.getDatasetMeta(0).data[1]! as unknown as { x: number; y: number; base: number };
    const box = canvas.getBoundingClientRect();
    const clicked = nextClick(element);
    await sendMouse({ type: 'click', position: [Math.round(box.left + bar.x), Math.round(box.top + (bar.y + bar.base) / 2)] });
    expect(await clicked).to.deep.equal({ n: 2, users: 2 });
  });

  it('offers every bar to the keyboard as a labelled button', async () => {
    const element = await stickiness({});
    expect(bucketButtons(element).map((b) => b.textContent!.trim())).to.deep.equal(['1 day: 2 users', '2 days: 2 users', '3 days: 1 user']);
    element.shadowRoot!.querySelector<HTMLButtonElement>('button[part="download"]')!.focus();
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(element.shadowRoot!.activeElement!.textContent!.trim()).to.equal('3 days: 1 user');
    // The invisible button shows itself on the chart: a focus ring and the bar's tooltip.
    expect(element.shadowRoot!.querySelector('.chart')!.classList.contains('focused')).to.equal(true);
    expect(Chart.getChart(canvasOf(element))!.getActiveElements().map((a) => a.index)).to.deep.equal([2]);
    let pressed = nextClick(element);
    await sendKeys({ press: 'Enter' });
    expect(await pressed).to.deep.equal({ n: 3, users: 1 });
    await shiftTab();
    pressed = nextClick(element);
    await sendKeys({ press: 'Space' });
    expect(await pressed).to.deep.equal({ n: 2, users: 2 });
    await shiftTab();
    await shiftTab();
    expect(element.shadowRoot!.querySelector('.chart')!.classList.contains('focused')).to.equal(false);
  });

  it('shows the empty state for a range without events', async () => {
    const element = await stickiness({ from: '2026-10-01', to: '2026-10-03' });
    expect(element.status).to.equal('empty');
    expect(element.shadowRoot!.textContent).to.contain('No data for this range.');
    expect(bucketButtons(element)).to.deep.equal([]);
  });

  it('shows the error, naming the field, for a bad attribute', async () => {
    const element = await stickiness({});
    element.setAttribute('interval', 'fortnight');
    await settled(element);
    expect(element.status).to.equal('error');
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain("interval: must be one of hour, day, week, month, got 'fortnight'");
  });

  it('shows suppressed counts as < k', async () => {
    const element = await stickiness({}, { minGroupSize: 2 });
    expect(tableText(element).slice(1)).to.deep.equal([
      ['1 day', '2'],
      ['2 days', '2'],
      ['3 days', '< k'],
    ]);
    expect(bucketButtons(element)[2]!.textContent!.trim()).to.equal('3 days: < k users');
    expect(imageLabel(element)).to.equal('Users by number of days active, of 3: most on 1 day (2 users); < k users on all 3 days.');
    expect(element.shadowRoot!.textContent).to.contain('Groups smaller than the privacy threshold are shown as < k.');
    const pressed = nextClick(element);
    bucketButtons(element)[2]!.focus();
    await sendKeys({ press: 'Enter' });
    expect(await pressed).to.deep.equal({ n: 3, users: null });
  });

  it('leaves no chart behind when removed', async () => {
    const element = await stickiness({});
    const canvas = canvasOf(element);
    expect(Chart.getChart(canvas)).to.not.equal(undefined);
    element.remove();
    expect(Chart.getChart(canvas)).to.equal(undefined);
  });
});
