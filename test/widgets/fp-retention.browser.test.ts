import { expect } from 'chai';
import { expect as wcExpect, fixture, html } from '@open-wc/testing';
import { Chart } from 'chart.js';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../widgets/fp-retention/fp-retention.ts';
import type { FpRetention, RetentionCohortClick } from '../../widgets/fp-retention/fp-retention.ts';
import { fixtureStore, imageLabel, settled, tableText } from './widget-helpers.ts';

/*
 * Weeks start on Monday (UTC); "now" is Saturday 2026-11-28, inside the fourth week.
 *   W0 2026-11-02: a b c d     W1 2026-11-09: a c e     W2 2026-11-16: a b e f     W3 2026-11-23: a f g
 * Cohort W0 (4): back in W1 a c (2), W2 a b (2), W3 a (1). W1 (3): W2 a e (2), W3 a (1). W2 (4): W3 a f (2). W3 (3).
 * Averages count only periods that have ended (W3 has not): week 1 = (2 + 2) / (4 + 3) = 57.1%, week 2 = 2 / 4 = 50%,
 * week 3 none.
 */
const visits: [string, string[]][] = [
  ['a', ['11-03', '11-10', '11-17', '11-24']],
  ['b', ['11-04', '11-18']],
  ['c', ['11-05', '11-11']],
  ['d', ['11-06']],
  ['e', ['11-12', '11-19']],
  ['f', ['11-20', '11-25']],
  ['g', ['11-26']],
];
const events = visits.flatMap(([user, days]) => days.map((day) => ({ event: 'open', user_id: user, timestamp: `2026-${day}T10:00:00Z` })));

const HEADER = ['Cohort', 'Size', 'Week 0', 'Week 0 %', 'Week 1', 'Week 1 %', 'Week 2', 'Week 2 %', 'Week 3', 'Week 3 %'];

async function retention(attributes: Partial<FpRetention> = {}, options = {}): Promise<FpRetention> {
  const store = await fixtureStore(events, options);
  const element = await fixture<FpRetention>(
    html`<fp-retention label="Retention" .source=${store} interval="week" from="2026-11-02" to="2026-11-28"></fp-retention>`,
  );
  Object.assign(element, attributes);
  await settled(element);
  return element;
}

const cell = (element: FpRetention, row: number, period: number): HTMLButtonElement =>
  element.shadowRoot!.querySelector<HTMLButtonElement>(`button[data-row="${row}"][data-period="${period}"]`)!;

/** [row, period] of the focused cell, or null. */
function focused(element: FpRetention): [number, number] | null {
  const active = element.shadowRoot!.activeElement;
  return active?.hasAttribute('data-row') ? [Number(active.getAttribute('data-row')), Number(active.getAttribute('data-period'))] : null;
}

/** WCAG contrast of two computed `rgb()` colours. */
function contrast(a: string, b: string): number {
  const luminance = (colour: string): number => {
    const [r, g, bl] = colour.match(/\d+(\.\d+)?/g)!.slice(0, 3).map((c) => {
      const s = Number(c) / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

describe('fp-retention', () => {
  it('is defined', () => {
    expect(customElements.get('fp-retention')).to.not.equal(undefined);
  });

  it('is accessible', async () => {
    const element = await retention();
    await wcExpect(element).to.be.accessible();
  });

  it('shows the exact counts and percentages in its hidden table and sums them up for screen readers', async () => {
    const element = await retention();
    expect(element.status).to.equal('ready');
    expect(tableText(element)).to.deep.equal([
      HEADER,
      ['Average', '', '', '100', '', '57.1', '', '50', '', ''],
      ['2026-11-02', '4', '4', '100', '2', '50', '2', '50', '1', '25'],
      ['2026-11-09', '3', '3', '100', '2', '66.7', '1', '33.3', '', ''],
      ['2026-11-16', '4', '4', '100', '2', '50', '', '', '', ''],
      ['2026-11-23', '3', '3', '100', '', '', '', '', '', ''],
    ]);
    expect(imageLabel(element)).to.equal('Weekly retention of 4 cohorts: on average 57.1% came back after 1 week, 50.0% after 2 weeks.');
  });

  it('draws the heat map: percentages in the cells, counts in their names, blank cells not reached yet', async () => {
    const element = await retention();
    const rows = [...element.shadowRoot!.querySelectorAll('table.heat tbody tr')].map((row) => [...row.children].map((c) => c.textContent!.replace(/\s+/g, ' ').trim()));
    expect(rows).to.deep.equal([
      ['Average', '100.0%', '57.1%', '50.0%', ''],
      ['2026-11-02 4 users', '100.0%', '50.0%', '50.0%', '25.0%'],
      ['2026-11-09 3 users', '100.0%', '66.7%', '33.3%', ''],
      ['2026-11-16 4 users', '100.0%', '50.0%', '', ''],
      ['2026-11-23 3 users', '100.0%', '', '', ''],
    ]);
    expect(cell(element, 1, 1).getAttribute('aria-label')).to.equal('66.7%: 2 of 3 users, week 1, cohort 2026-11-09');
    expect(cell(element, 1, 1).title).to.equal('66.7%: 2 of 3 users, week 1, cohort 2026-11-09');
    expect(element.shadowRoot!.querySelectorAll('table.heat button')).to.have.length(10);
  });

  it('shades cells by percentage and keeps their text readable in both themes', async () => {
    const element = await retention();
    for (const theme of ['light', 'dark'] as const) {
      element.theme = theme;
      await element.updateComplete;
      const full = getComputedStyle(cell(element, 0, 0)).backgroundColor;
      const quarter = getComputedStyle(cell(element, 0, 3)).backgroundColor;
      expect(full, theme).to.not.equal(quarter);
      // The fuller cell stands further from the widget's background.
      const page = getComputedStyle(element.shadowRoot!.querySelector('.frame')!).backgroundColor;
      expect(contrast(full, page), theme).to.be.greaterThan(contrast(quarter, page));
      for (const value of element.shadowRoot!.querySelectorAll<HTMLElement>('table.heat .value')) {
        const style = getComputedStyle(value);
        expect(contrast(style.color, style.backgroundColor), `${theme} ${value.textContent}`).to.be.at.least(4.5);
      }
    }
  });

  it('draws the average curve in percent, straight, under a titled axis', async () => {
    const element = await retention();
    const chart = Chart.getChart(element.shadowRoot!.querySelector('canvas')!)!;
    expect(chart.data.labels).to.deep.equal(['Week 0', 'Week 1', 'Week 2', 'Week 3']);
    expect(chart.data.datasets[0]!.data).to.deep.equal([100, (4 / 7) * 100, 50, null]);
    expect((chart.data.datasets[0] as { tension?: number }).tension).to.equal(0);
    const y = chart.options.scales!['y'] as unknown as { title: { display: boolean; text: string } };
    expect([y.title.display, y.title.text]).to.deep.equal([true, 'Came back']);
  });

  it('hatches the cells whose period has not ended and says so in their names', async () => {
    // Now is in the week of 2026-11-23: each cohort's cell for that week has not ended.
    const element = await retention();
    const hatched = [...element.shadowRoot!.querySelectorAll<HTMLButtonElement>('table.heat button.not-ended')].map((b) => [b.dataset['row'], b.dataset['period']]);
    expect(hatched).to.deep.equal([
      ['0', '3'],
      ['1', '2'],
      ['2', '1'],
      ['3', '0'],
    ]);
    expect(cell(element, 1, 2).getAttribute('aria-label')).to.equal('33.3%: 1 of 3 users, week 2, cohort 2026-11-09, period not ended');
    expect(cell(element, 1, 1).getAttribute('aria-label')).to.equal('66.7%: 2 of 3 users, week 1, cohort 2026-11-09');
    expect(getComputedStyle(cell(element, 1, 2)).backgroundImage).to.contain('repeating-linear-gradient');
    expect(getComputedStyle(cell(element, 1, 1)).backgroundImage).to.equal('none');
    expect(element.shadowRoot!.querySelector('[part="incomplete-note"]')!.textContent).to.equal('Hatched cells: incomplete period (not ended yet, may still grow).');
  });

  it('folds consecutive cohorts of 0 users into one row, and the keyboard steps over it', async () => {
    // Nobody starts in the weeks of 11-09 and 11-16 (a's return week 1 is not a start with start-event "signup").
    const signups = [
      { event: 'signup', user_id: 'a', timestamp: '2026-11-03T10:00:00Z' },
      { event: 'open', user_id: 'a', timestamp: '2026-11-10T10:00:00Z' },
      { event: 'signup', user_id: 'b', timestamp: '2026-11-24T10:00:00Z' },
    ];
    const store = await fixtureStore(signups);
    const element = await fixture<FpRetention>(
      html`<fp-retention .source=${store} start-event="signup" interval="week" from="2026-11-02" to="2026-11-28"></fp-retention>`,
    );
    await settled(element);
    const rows = [...element.shadowRoot!.querySelectorAll('table.heat tbody tr')].map((row) => [...row.children].map((c) => c.textContent!.replace(/\s+/g, ' ').trim()));
    expect(rows).to.deep.equal([
      ['Average', '100.0%', '100.0%', '0.0%', ''],
      ['2026-11-02 1 user', '100.0%', '100.0%', '0.0%', '0.0%'],
      ['2026-11-09 to 2026-11-16 0 users', 'No users started in these 2 weeks'],
      ['2026-11-23 1 user', '100.0%', '', '', ''],
    ]);
    // The CSV keeps every cohort.
    expect(tableText(element).slice(2).map((row) => row.slice(0, 2))).to.deep.equal([
      ['2026-11-02', '1'],
      ['2026-11-09', '0'],
      ['2026-11-16', '0'],
      ['2026-11-23', '1'],
    ]);
    cell(element, 0, 2).focus();
    await sendKeys({ press: 'ArrowDown' });
    expect(focused(element)).to.deep.equal([3, 0]);
    await sendKeys({ press: 'ArrowUp' });
    expect(focused(element)).to.deep.equal([0, 0]);
    await wcExpect(element).to.be.accessible();
  });

  it('queries again when an attribute changes', async () => {
    const element = await retention();
    element.setAttribute('criterion', 'on_or_after');
    await settled(element);
    // W0: back in W1 or later a b c (3), W2 or later a b (2); W1: W2 or later a e (2). Week 1 average (3 + 2) / 7.
    expect(tableText(element).slice(1, 4)).to.deep.equal([
      ['Average', '', '', '100', '', '71.4', '', '50', '', ''],
      ['2026-11-02', '4', '4', '100', '3', '75', '2', '50', '1', '25'],
      ['2026-11-09', '3', '3', '100', '2', '66.7', '1', '33.3', '', ''],
    ]);
    element.setAttribute('cohort', 'first_time');
    await settled(element);
    // First visits: a b c d in W0, e in W1, f in W2, g in W3.
    expect(tableText(element).slice(2).map((row) => row.slice(0, 2))).to.deep.equal([
      ['2026-11-02', '4'],
      ['2026-11-09', '1'],
      ['2026-11-16', '1'],
      ['2026-11-23', '1'],
    ]);
  });

  it('tells the page which cohort and period a clicked cell means', async () => {
    const element = await retention();
    const box = cell(element, 2, 1).getBoundingClientRect();
    const clicked = new Promise<RetentionCohortClick>((resolve) => element.addEventListener('fp-cohort-click', (e) => resolve(e.detail)));
    await sendMouse({ type: 'click', position: [Math.round(box.left + box.width / 2), Math.round(box.top + box.height / 2)] });
    expect(await clicked).to.deep.equal({ start: '2026-11-16', period: 1, users: 2, size: 4 });
    expect(cell(element, 2, 1).tabIndex).to.equal(0);
  });

  it('moves across the grid with arrow keys, one Tab stop, and activates with Enter and Space', async () => {
    const element = await retention();
    const details: RetentionCohortClick[] = [];
    element.addEventListener('fp-cohort-click', (e) => details.push(e.detail));
    element.shadowRoot!.querySelector<HTMLButtonElement>('button[part="download"]')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(focused(element)).to.deep.equal([0, 0]);
    expect([...element.shadowRoot!.querySelectorAll('table.heat button')].filter((b) => (b as HTMLElement).tabIndex === 0)).to.have.length(1);
    for (let i = 0; i < 4; i++) await sendKeys({ press: 'ArrowRight' });
    expect(focused(element)).to.deep.equal([0, 3]);
    // The row below is one period shorter: down lands on its last cell.
    await sendKeys({ press: 'ArrowDown' });
    expect(focused(element)).to.deep.equal([1, 2]);
    await sendKeys({ press: 'ArrowLeft' });
    expect(focused(element)).to.deep.equal([1, 1]);
    await sendKeys({ press: 'Enter' });
    await sendKeys({ down: 'Control' });
    await sendKeys({ press: 'End' });
    await sendKeys({ up: 'Control' });
    expect(focused(element)).to.deep.equal([3, 0]);
    await sendKeys({ press: 'ArrowUp' });
    await sendKeys({ press: 'End' });
    expect(focused(element)).to.deep.equal([2, 1]);
    await sendKeys({ press: 'Space' });
    expect(details).to.deep.equal([
      { start: '2026-11-09', period: 1, users: 2, size: 3 },
      { start: '2026-11-16', period: 1, users: 2, size: 4 },
    ]);
    expect(cell(element, 2, 1).tabIndex).to.equal(0);
    expect(cell(element, 0, 0).tabIndex).to.equal(-1);
  });

  it('shows the empty state for a range without events', async () => {
    const element = await retention({ from: '2026-10-05', to: '2026-10-18' });
    expect(element.status).to.equal('empty');
    expect(element.shadowRoot!.textContent).to.contain('No data for this range.');
  });

  it('shows the error, naming the field, for a bad attribute', async () => {
    const element = await retention();
    element.setAttribute('interval', 'fortnight');
    await settled(element);
    expect(element.status).to.equal('error');
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain("interval: must be one of hour, day, week, month, got 'fortnight'");
  });

  it('shows suppressed counts as < k and reports them as null', async () => {
    const element = await retention({}, { minGroupSize: 2 });
    expect(tableText(element).slice(1)).to.deep.equal([
      ['Average', '', '', '100', '', '57.1', '', '50', '', ''],
      ['2026-11-02', '4', '4', '100', '2', '50', '2', '50', '< k', '< k'],
      ['2026-11-09', '3', '3', '100', '2', '66.7', '< k', '< k', '', ''],
      ['2026-11-16', '4', '4', '100', '2', '50', '', '', '', ''],
      ['2026-11-23', '3', '3', '100', '', '', '', '', '', ''],
    ]);
    expect(cell(element, 0, 3).textContent!.trim()).to.equal('< k');
    expect(cell(element, 0, 3).getAttribute('aria-label')).to.equal('< k: too few users to show, week 3, cohort 2026-11-02, period not ended');
    expect(element.shadowRoot!.textContent).to.contain('Groups smaller than the privacy threshold are shown as < k.');
    const clicked = new Promise<RetentionCohortClick>((resolve) => element.addEventListener('fp-cohort-click', (e) => resolve(e.detail)));
    cell(element, 0, 3).focus();
    await sendKeys({ press: 'Enter' });
    expect(await clicked).to.deep.equal({ start: '2026-11-02', period: 3, users: null, size: 4 });
  });

  it('leaves no chart behind when removed', async () => {
    const element = await retention();
    const canvas = element.shadowRoot!.querySelector('canvas')!;
    expect(Chart.getChart(canvas)).to.not.equal(undefined);
    element.remove();
    expect(Chart.getChart(canvas)).to.equal(undefined);
  });
});
