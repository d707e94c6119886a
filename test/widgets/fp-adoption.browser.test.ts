import { expect } from 'chai';
import { expect as wcExpect, fixture, html } from '@open-wc/testing';
import { Chart } from 'chart.js';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../widgets/fp-adoption/fp-adoption.ts';
import type { FeatureClick, FpAdoption } from '../../widgets/fp-adoption/fp-adoption.ts';
import { fixtureStore, imageLabel, settled, tableText } from './widget-helpers.ts';

const use = (event: string, user: string, time: string) => ({ event, user_id: user, timestamp: `2026-11-${time}:00:00Z` });

// Range 2026-11-26 .. 28; active in it: u1, u2, u3, u4 (4 users).
// export: u1 (first event ever 20th 10:00, first export 26th 10:00: 6 days; exports on two days),
//   u2 (first event 25th 20:00, export 26th 20:00: 1 day), u3 (first export on the 22nd, before the
//   range: not timed). 3 adopters, 75%; median of 1 and 6 days 3.5, p75 1 + 0.75 * 5 = 4.75; 1 of 3 repeat.
// share: u1 (28th 10:00: 8 days), u4 (first event 27th 12:00, share 28th 12:00: 1 day). 2 adopters, 50%;
//   median 4.5, p75 1 + 0.75 * 7 = 6.25; no repeat.
// import: u3 (first event 22nd 09:00, import 27th 10:00: 5 days 1 hour). 1 adopter, 25%.
const events = [
  use('$pageview', 'u1', '20T10'),
  use('export', 'u1', '26T10'),
  use('export', 'u1', '27T10'),
  use('share', 'u1', '28T10'),
  use('$pageview', 'u2', '25T20'),
  use('export', 'u2', '26T20'),
  use('export', 'u3', '22T09'),
  use('export', 'u3', '27T09'),
  use('import', 'u3', '27T10'),
  use('$pageview', 'u4', '27T12'),
  use('share', 'u4', '28T12'),
];

const HEADER = ['Feature', 'Adopters', 'Adoption rate', 'Median days to adopt', '75th percentile days to adopt', 'Repeat rate'];

async function adoption(attributes: Partial<FpAdoption> = {}, options = {}): Promise<FpAdoption> {
  const store = await fixtureStore(events, options);
  const element = await fixture<FpAdoption>(html`<fp-adoption lang="en-US" label="Adoption" .source=${store} from="2026-11-26" to="2026-11-28"></fp-adoption>`);
  Object.assign(element, attributes);
  await settled(element);
  return element;
}

function clicks(element: FpAdoption): FeatureClick[] {
  const seen: FeatureClick[] = [];
  element.addEventListener('fp-feature-click', (event) => seen.push(event.detail));
  return seen;
}

const seriesChart = (element: FpAdoption) => Chart.getChart(element.shadowRoot!.querySelector('canvas')!)!;

describe('fp-adoption', () => {
  it('is defined', () => {
    expect(customElements.get('fp-adoption')).to.not.equal(undefined);
  });

  it('is accessible', async () => {
    const element = await adoption();
    element.selected = 'export';
    await element.updateComplete;
    await wcExpect(element).to.be.accessible();
  });

  it('shows the exact numbers in its hidden table and names the top features for screen readers', async () => {
    const element = await adoption();
    expect(element.status).to.equal('ready');
    expect(tableText(element)).to.deep.equal([
      HEADER,
      ['export', '3', '75%', '3.5', '4.8', '33%'],
      ['share', '2', '50%', '4.5', '6.3', '0%'],
      ['import', '1', '25%', '5', '5', '0%'],
    ]);
    expect(imageLabel(element)).to.equal('Most adopted features: export (75% of active users, 3 adopters), share (50%, 2 adopters) and import (25%, 1 adopter); 3 features in all.');
    const rows = [...element.shadowRoot!.querySelectorAll('[part="feature"]')];
    expect(rows.map((row) => row.querySelector('.name')!.textContent)).to.deep.equal(['export', 'share', 'import']);
    expect(rows.map((row) => getComputedStyle(row.querySelector('.bar > span')!).getPropertyValue('--rate').trim())).to.deep.equal(['0.75', '0.5', '0.25']);
  });

  it('queries again when an attribute changes, ranking the named features', async () => {
    const element = await adoption();
    element.setAttribute('features', 'import, share, nothing');
    await settled(element);
    expect(tableText(element).slice(1)).to.deep.equal([
      ['share', '2', '50%', '4.5', '6.3', '0%'],
      ['import', '1', '25%', '5', '5', '0%'],
      // Nobody used it: nothing to time, no repeat rate.
      ['nothing', '0', '0%', '–', '–', '–'],
    ]);
    // Weeks start on Monday the 23rd: the export series counts u1, u2 and u3 in it.
    element.selected = 'share';
    element.setAttribute('features', 'all');
    element.setAttribute('interval', 'week');
    await settled(element);
    expect(seriesChart(element).data.labels).to.deep.equal(['Nov 23']);
    expect(seriesChart(element).data.datasets[0]!.data).to.deep.equal([2]);
    element.selected = 'export';
    await element.updateComplete;
    expect(seriesChart(element).data.datasets[0]!.data).to.deep.equal([3]);
  });

  it('tells the page which feature was clicked and shows its adopters per period', async () => {
    const element = await adoption();
    const seen = clicks(element);
    expect(element.shadowRoot!.querySelector('canvas')).to.equal(null);
    const row = element.shadowRoot!.querySelectorAll('[part="feature"]')[1]!.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(row.left + row.width / 2), Math.round(row.top + row.height / 2)] });
    await element.updateComplete;
    expect(seen).to.deep.equal([{ feature: 'share', adopters: 2 }]);
    expect(element.selected).to.equal('share');
    expect(seriesChart(element).data.labels).to.deep.equal(['Nov 26', 'Nov 27', 'Nov 28']);
    expect(seriesChart(element).data.datasets[0]!.data).to.deep.equal([0, 0, 2]);
    expect(element.shadowRoot!.querySelector('.series-title')!.textContent).to.equal('share: adopters per day');
  });

  it('lets the keyboard choose a feature through its button, ringing the row', async () => {
    const element = await adoption();
    const seen = clicks(element);
    element.shadowRoot!.querySelector<HTMLButtonElement>('button[part="download"]')!.focus();
    await sendKeys({ press: 'Tab' });
    await element.updateComplete;
    const focused = element.shadowRoot!.activeElement!;
    expect(focused.textContent!.trim()).to.equal('export: 75% of active users, 3 adopters, median 3.5 days to adopt, 33% repeat use');
    expect(element.shadowRoot!.querySelector('.feature.focused .name')!.textContent).to.equal('export');
    await sendKeys({ press: 'Enter' });
    await element.updateComplete;
    expect(focused.getAttribute('aria-pressed')).to.equal('true');
    expect(seriesChart(element).data.datasets[0]!.data).to.deep.equal([2, 2, 0]);
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Space' });
    // Space on the chosen feature again hides its chart.
    await sendKeys({ press: 'Space' });
    await element.updateComplete;
    expect(seen).to.deep.equal([
      { feature: 'export', adopters: 3 },
      { feature: 'share', adopters: 2 },
      { feature: 'share', adopters: 2 },
    ]);
    expect(element.selected).to.equal(undefined);
    expect(element.shadowRoot!.querySelector('canvas')).to.equal(null);
  });

  it('gives names the room they need, up to 40% of the row, and cuts longer ones with the full name in a title', async () => {
    const long = 'integration_connected_from_the_settings_page_of_a_workspace';
    const store = await fixtureStore([use('keyboard_shortcut_used', 'u1', '27T10'), use(long, 'u2', '27T10'), use('export', 'u3', '27T10')]);
    // The adoption card of the dashboard at 1280 px: about 610 px wide, in the columns layout.
    const element = await fixture<FpAdoption>(html`<fp-adoption style="width: 610px" .source=${store} from="2026-11-26" to="2026-11-28"></fp-adoption>`);
    await settled(element);
    const name = (feature: string) => [...element.shadowRoot!.querySelectorAll<HTMLElement>('.feature .name')].find((span) => span.title === feature)!;
    const row = name(long).closest('li')!;
    const rowWidth = row.clientWidth - 16; // less its padding
    // Shown whole, where the 6em name column cut it to "keyboar…" at this width.
    expect(name('keyboard_shortcut_used').scrollWidth).to.be.at.most(name('keyboard_shortcut_used').clientWidth);
    expect(name('keyboard_shortcut_used').textContent).to.equal('keyboard_shortcut_used');
    // The longest is cut, at most 40% of the row wide, with an ellipsis, whole in its title.
    expect(name(long).clientWidth).to.be.within(0.3 * rowWidth, 0.4 * rowWidth);
    expect(name(long).scrollWidth).to.be.above(name(long).clientWidth);
    expect(getComputedStyle(name(long)).textOverflow).to.equal('ellipsis');
    // The bar keeps some room, and the header's columns line up with the rows'.
    expect(row.querySelector<HTMLElement>('.bar')!.clientWidth).to.be.at.least(42);
    const header = element.shadowRoot!.querySelector('.columns')!.children;
    expect(header[1]!.getBoundingClientRect().left).to.equal(row.querySelector('.bar')!.getBoundingClientRect().left);
  });

  it('shows the empty state for a range without features', async () => {
    const element = await adoption({ from: '2026-10-01', to: '2026-10-03' });
    expect(element.status).to.equal('empty');
    expect(element.shadowRoot!.textContent).to.contain('No data for this range.');
  });

  it('shows the error, naming the field, for a bad attribute', async () => {
    const element = await adoption();
    element.setAttribute('features', ' , ');
    await settled(element);
    expect(element.status).to.equal('error');
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain("features: must be a non-empty array of event names or 'all', got '[]'");
  });

  it('shows suppressed counts as < k', async () => {
    const element = await adoption({}, { minGroupSize: 2 });
    expect(tableText(element)).to.deep.equal([
      HEADER,
      // One repeater of export, one adopter of import: too few to tell.
      ['export', '3', '75%', '3.5', '4.8', '< k'],
      ['share', '2', '50%', '4.5', '6.3', '0%'],
      ['import', '< k', '< k', '< k', '< k', '< k'],
    ]);
    expect(imageLabel(element)).to.equal('Most adopted features: export (75% of active users, 3 adopters), share (50%, 2 adopters) and import (< k adopters); 3 features in all.');
    expect(element.shadowRoot!.textContent).to.contain('Groups smaller than the privacy threshold are shown as < k.');
  });

  it('leaves no chart behind when removed', async () => {
    const element = await adoption();
    element.selected = 'export';
    await element.updateComplete;
    const canvas = element.shadowRoot!.querySelector('canvas')!;
    expect(Chart.getChart(canvas)).to.not.equal(undefined);
    element.remove();
    expect(Chart.getChart(canvas)).to.equal(undefined);
  });

  it('draws its series as a straight line under a titled count axis, dashed into the period that has not ended', async () => {
    // The fixture's clock is 2026-11-28 12:00: that day has not ended.
    const element = await adoption();
    element.selected = 'share';
    await element.updateComplete;
    const chart = seriesChart(element);
    const dataset = chart.data.datasets[0] as unknown as { tension: number; segment: { borderDash: (context: { p1DataIndex: number }) => number[] | undefined } };
    expect(dataset.tension).to.equal(0);
    expect([1, 2].map((p1DataIndex) => dataset.segment.borderDash({ p1DataIndex }))).to.deep.equal([undefined, [5, 4]]);
    const y = chart.options.scales!['y'] as unknown as { ticks: { precision: number }; title: { text: string } };
    expect([y.title.text, y.ticks.precision]).to.deep.equal(['Adopters', 0]);
  });
});
