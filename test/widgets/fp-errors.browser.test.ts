import { expect } from 'chai';
import { expect as wcExpect, fixture, html } from '@open-wc/testing';
import { Chart } from 'chart.js';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../widgets/fp-errors/fp-errors.ts';
import type { ErrorClick, FpErrors } from '../../widgets/fp-errors/fp-errors.ts';
import { fixtureStore, imageLabel, settled, tableText } from './widget-helpers.ts';

const error = (user: string, timestamp: string, message: string) => ({ event: '$error', user_id: user, timestamp, properties: { type: 'Error', message } });

// Sessions (30-minute gap): a1 (26th, 2 errors), a2, b1 (1 error), b2 (1 error), c1 (two events 10 minutes apart), c2.
// Messages normalize to "Timeout after # ms loading report #" (3: a, a, b) and "Request failed with status #" (1: b).
const events = [
  { event: 'open', user_id: 'a', timestamp: '2026-11-26T09:00:00Z' },
  error('a', '2026-11-26T09:01:00Z', 'Timeout after 30000 ms loading report 8f3a9c'),
  error('a', '2026-11-26T09:02:00Z', 'Timeout after 10000 ms loading report 00b2e1'),
  { event: 'open', user_id: 'a', timestamp: '2026-11-27T10:00:00Z' },
  { event: 'open', user_id: 'b', timestamp: '2026-11-26T15:00:00Z' },
  error('b', '2026-11-26T15:05:00Z', 'Request failed with status 502'),
  error('b', '2026-11-28T08:00:00Z', 'Timeout after 10000 ms loading report 1234ab'),
  { event: 'open', user_id: 'c', timestamp: '2026-11-27T11:00:00Z' },
  { event: 'save', user_id: 'c', timestamp: '2026-11-27T11:10:00Z' },
  { event: 'open', user_id: 'c', timestamp: '2026-11-28T09:00:00Z' },
];

const TIMEOUT = 'Timeout after # ms loading report #';
const REQUEST = 'Request failed with status #';

async function errors(attributes: Partial<FpErrors>, options = {}): Promise<FpErrors> {
  const store = await fixtureStore(events, options);
  const element = await fixture<FpErrors>(html`<fp-errors lang="en-US" label="Errors" .source=${store} from="2026-11-26" to="2026-11-28"></fp-errors>`);
  Object.assign(element, attributes);
  await settled(element);
  return element;
}

const spoken = (row: Element) => row.textContent!.replace(/\s+/g, ' ').trim();
const rows = (element: FpErrors) => [...element.shadowRoot!.querySelectorAll<HTMLButtonElement>('button[part="row"]')];

describe('fp-errors', () => {
  it('is defined', () => {
    expect(customElements.get('fp-errors')).to.not.equal(undefined);
  });

  it('is accessible', async () => {
    const element = await errors({});
    await wcExpect(element).to.be.accessible();
  });

  it('shows the exact numbers in its hidden table and sums them up for screen readers', async () => {
    const element = await errors({});
    expect(element.status).to.equal('ready');
    // Per day: 26th 3 errors of 5 events, 27th 0 of 3, 28th 1 of 2.
    expect(tableText(element)).to.deep.equal([
      ['Period or message', 'Errors', 'Users', 'Sessions', 'Errors per 1,000 events'],
      ['All errors', '4', '2', '3', ''],
      ['2026-11-26', '3', '', '', '600'],
      ['2026-11-27', '0', '', '', '0'],
      ['2026-11-28', '1', '', '', '500'],
      [TIMEOUT, '3', '2', '', ''],
      [REQUEST, '1', '1', '', ''],
    ]);
    // 3 of 6 sessions have an error.
    expect(imageLabel(element)).to.equal(`4 errors from 2 users in 3 sessions; 50.0% of sessions error-free; most frequent: ${TIMEOUT}.`);
    const figures = [...element.shadowRoot!.querySelectorAll('[part="figures"] dd')].map((dd) => dd.textContent);
    expect(figures).to.deep.equal(['4', '2', '3', '50.0%']);
    // What a screen reader reads for each row (the nouns are visually hidden).
    expect(rows(element).map(spoken)).to.deep.equal([`${TIMEOUT}, 3 errors, 2 users`, `${REQUEST}, 1 error, 1 user`]);
  });

  it('draws errors as bars and the rate per 1,000 events as a line on a second axis', async () => {
    const element = await errors({});
    const chart = Chart.getChart(element.shadowRoot!.querySelector('canvas')!)!;
    expect(chart.data.datasets.map((d) => [d.type, d.label, d.data])).to.deep.equal([
      ['bar', 'Errors', [3, 0, 1]],
      ['line', 'Errors per 1,000 events', [600, 0, 500]],
    ]);
    expect(chart.scales.perThousand!.position).to.equal('right');
  });

  it('titles both value axes, counts with whole ticks, names periods short and draws a straight line', async () => {
    const element = await errors({});
    const chart = Chart.getChart(element.shadowRoot!.querySelector('canvas')!)!;
    const scales = chart.options.scales as unknown as Record<string, { ticks: { precision?: number; maxRotation?: number }; title: { display: boolean; text: string } }>;
    expect([scales['y']!.title.display, scales['y']!.title.text, scales['y']!.ticks.precision]).to.deep.equal([true, 'Errors', 0]);
    // The rate keeps its decimals.
    expect([scales['perThousand']!.title.display, scales['perThousand']!.title.text, scales['perThousand']!.ticks.precision]).to.deep.equal([true, 'Per 1,000 events', undefined]);
    expect(chart.data.labels).to.deep.equal(['Nov 26', 'Nov 27', 'Nov 28']);
    expect(scales['x']!.ticks.maxRotation).to.equal(0);
    expect((chart.data.datasets[1] as { tension?: number }).tension).to.equal(0);
  });

  it('hatches the bar and dashes the line of a period that has not ended', async () => {
    // The fixture's clock is 2026-11-28 12:00: that day has not ended.
    const element = await errors({});
    const chart = Chart.getChart(element.shadowRoot!.querySelector('canvas')!)!;
    const fill = chart.data.datasets[0]!.backgroundColor as unknown as (context: { type: string; dataIndex: number }) => unknown;
    expect([0, 1, 2].map((dataIndex) => fill({ type: 'data', dataIndex }) instanceof CanvasPattern)).to.deep.equal([false, false, true]);
    const line = chart.data.datasets[1] as unknown as { segment: { borderDash: (context: { p1DataIndex: number }) => number[] | undefined } };
    expect([1, 2].map((p1DataIndex) => line.segment.borderDash({ p1DataIndex }))).to.deep.equal([undefined, [5, 4]]);
    expect(element.shadowRoot!.querySelector('[part="incomplete-note"]')!.textContent).to.equal('Hatched bar and dashed line: incomplete period (not ended yet, may still grow).');
  });

  it('queries again when an attribute changes', async () => {
    const element = await errors({});
    element.setAttribute('interval', 'week');
    // c's two events 10 minutes apart become two sessions: 3 of 7 sessions have an error.
    element.setAttribute('gap-minutes', '5');
    await settled(element);
    expect(tableText(element).slice(1, 3)).to.deep.equal([
      ['All errors', '4', '2', '3', ''],
      ['2026-11-23', '4', '', '', '400'],
    ]);
    expect(imageLabel(element)).to.equal(`4 errors from 2 users in 3 sessions; 57.1% of sessions error-free; most frequent: ${TIMEOUT}.`);
  });

  it('tells the page which error was clicked', async () => {
    const element = await errors({});
    const box = rows(element)[1]!.getBoundingClientRect();
    const clicked = new Promise<ErrorClick>((resolve) => element.addEventListener('fp-error-click', (e) => resolve(e.detail)));
    await sendMouse({ type: 'click', position: [Math.round(box.left + 10), Math.round(box.top + box.height / 2)] });
    expect(await clicked).to.deep.equal({ message: REQUEST, count: 1, users: 1 });
  });

  it('lets the keyboard reach and choose a top error', async () => {
    const element = await errors({});
    const chosen: ErrorClick[] = [];
    element.addEventListener('fp-error-click', (e) => chosen.push(e.detail));
    element.shadowRoot!.querySelector<HTMLButtonElement>('button[part="download"]')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(element.shadowRoot!.activeElement).to.equal(rows(element)[0]);
    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Space' });
    expect(chosen).to.deep.equal([
      { message: TIMEOUT, count: 3, users: 2 },
      { message: REQUEST, count: 1, users: 1 },
    ]);
  });

  it('shows a range with events but no error as error-free, not as empty', async () => {
    const element = await errors({ from: '2026-11-27', to: '2026-11-27' });
    expect(element.status).to.equal('ready');
    // Sessions a2 and c1.
    expect(imageLabel(element)).to.equal('No errors; 100.0% of sessions error-free.');
    expect(element.shadowRoot!.textContent).to.contain('No errors in this range');
  });

  it('shows the empty state for a range without events', async () => {
    const element = await errors({ from: '2026-10-01', to: '2026-10-03' });
    expect(element.status).to.equal('empty');
    expect(element.shadowRoot!.textContent).to.contain('No data for this range.');
  });

  it('shows the error, naming the field, for a bad attribute', async () => {
    const element = await errors({});
    element.setAttribute('session-source', 'cookie');
    await settled(element);
    expect(element.status).to.equal('error');
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain("sessionSource: must be one of auto, property, gap, got 'cookie'");
  });

  it('shows suppressed counts as < k', async () => {
    const element = await errors({}, { minGroupSize: 3 });
    expect(tableText(element).slice(1, 2)).to.deep.equal([['All errors', '4', '< k', '3', '']]);
    expect(tableText(element).slice(-2)).to.deep.equal([
      [TIMEOUT, '3', '< k', '', ''],
      [REQUEST, '1', '< k', '', ''],
    ]);
    expect(imageLabel(element)).to.equal(`4 errors from < k users in 3 sessions; 50.0% of sessions error-free; most frequent: ${TIMEOUT}.`);
    expect(element.shadowRoot!.textContent).to.contain('Groups smaller than the privacy threshold are shown as < k.');
  });

  it('leaves no chart behind when removed', async () => {
    const element = await errors({});
    const canvas = element.shadowRoot!.querySelector('canvas')!;
    expect(Chart.getChart(canvas)).to.not.equal(undefined);
    element.remove();
    expect(Chart.getChart(canvas)).to.equal(undefined);
  });
});
