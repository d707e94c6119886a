import { expect } from 'chai';
import { expect as wcExpect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../widgets/index.ts';
import type { DashboardRangeChange, FpDashboard } from '../../widgets/fp-dashboard/fp-dashboard.ts';
import type { FpSource } from '../../widgets/fp-source/fp-source.ts';
import { fixtureStore, settled, tableText } from './widget-helpers.ts';

const events = [
  { event: 'signup', user_id: 'a', timestamp: '2026-11-20T09:00:00Z' },
  { event: 'open', user_id: 'a', timestamp: '2026-11-27T09:00:00Z' },
  { event: 'signup', user_id: 'b', timestamp: '2026-11-27T10:00:00Z' },
  { event: 'open', user_id: 'b', timestamp: '2026-11-28T10:00:00Z' },
];

async function dashboard(inner = html``, funnel = 'signup, open'): Promise<FpDashboard> {
  const store = await fixtureStore(events);
  const source = await fixture<FpSource>(html`<fp-source .store=${store}><fp-dashboard label="Usage" to="2026-11-28" funnel=${funnel}>${inner}</fp-dashboard></fp-source>`);
  return source.querySelector('fp-dashboard')!;
}

/** The widgets the dashboard laid out itself. */
function widgets(element: FpDashboard): HTMLElement[] {
  return [...element.shadowRoot!.querySelectorAll<HTMLElement>('[status]')];
}

describe('fp-dashboard', () => {
  it('is defined', () => {
    expect(customElements.get('fp-dashboard')).to.not.equal(undefined);
  });

  it('lays out every widget on its source, in step with the range', async () => {
    const element = await dashboard();
    const laidOut = widgets(element);
    expect(laidOut.map((w) => w.localName)).to.deep.equal([
      'fp-kpi', 'fp-kpi', 'fp-kpi', 'fp-kpi', 'fp-trend', 'fp-sessions', 'fp-stickiness', 'fp-retention',
      'fp-lifecycle', 'fp-segments', 'fp-funnel-steps', 'fp-funnel', 'fp-errors', 'fp-paths', 'fp-adoption', 'fp-friction',
    ]);
    const states = await Promise.all(laidOut.map((w) => settled(w)));
    // Every session of the fixture is one event (paths draws them, with no transition), and it has no $click or
    // repeated event (friction is empty); errors shows "No errors" over its events.
    expect(states).to.deep.equal(['ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'ready', 'empty']);
    // a and b are casual; the dashboard's funnel is the segments' too.
    const segments = element.shadowRoot!.querySelector('fp-segments')!;
    expect(tableText(segments).slice(1).map((row) => row.slice(0, 2))).to.deep.equal([['power', '0'], ['struggling', '0'], ['exploring', '0'], ['casual', '2']]);
    expect(segments.funnel).to.deep.equal(['signup', 'open']);
    expect(laidOut[4]!.getAttribute('from')).to.equal('2026-10-30');
    expect(laidOut[4]!.getAttribute('to')).to.equal('2026-11-28');
  });

  it("lets the visitor pick the funnel's steps from the data's event names when the data lacks the given ones", async () => {
    // No paid event in the data: signup alone is no funnel.
    const element = await dashboard(html``, 'signup, paid');
    const picker = element.shadowRoot!.querySelector('fp-funnel-steps')!;
    await settled(picker);
    await element.updateComplete;
    expect(picker.value).to.deep.equal(['signup']);
    expect(element.shadowRoot!.querySelector('fp-funnel')).to.equal(null);
    expect(element.shadowRoot!.querySelector('.funnel-placeholder')!.textContent).to.contain('No funnel yet: pick its steps from your events above.');
    expect(picker.shadowRoot!.textContent).to.contain('Pick one more step to see the funnel.');
    const add = picker.shadowRoot!.querySelector('select')!;
    // Both users did both events: by name.
    expect([...add.options].map((option) => option.textContent!.trim())).to.deep.equal(['Add a step…', 'open (2 users)', 'signup (2 users)']);

    add.value = 'open';
    add.dispatchEvent(new Event('change'));
    await element.updateComplete;
    const funnel = element.shadowRoot!.querySelector('fp-funnel')!;
    expect(funnel.steps).to.deep.equal(['signup', 'open']);
    expect(element.shadowRoot!.querySelector('fp-segments')!.funnel).to.deep.equal(['signup', 'open']);
    expect(await settled(funnel)).to.equal('ready');
    // a signed up on the 20th and opened on the 27th; b both on the 27th and 28th.
    expect(tableText(funnel).slice(1).map((row) => row.slice(0, 2))).to.deep.equal([['1. signup', '2'], ['2. open', '2']]);
  });

  it('is accessible', async () => {
    const element = await dashboard();
    await Promise.all(widgets(element).map((w) => settled(w)));
    await wcExpect(element).to.be.accessible();
  });

  it('changes the range from its bar, and tells the page', async () => {
    const element = await dashboard();
    const changed = new Promise<DashboardRangeChange>((resolve) => element.addEventListener('fp-range-change', (e) => resolve(e.detail)));
    const week = [...element.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent === '7 days')!;
    week.focus();
    await sendKeys({ press: 'Enter' });
    expect(await changed).to.deep.equal({ range: '7d', from: '2026-11-22', to: '2026-11-28', interval: 'day' });
    await element.updateComplete;
    const trend = element.shadowRoot!.querySelector('fp-trend')!;
    expect(trend.getAttribute('from')).to.equal('2026-11-22');
    expect(week.getAttribute('aria-pressed')).to.equal('true');
  });

  it('changes the interval of every widget but the KPIs', async () => {
    const element = await dashboard();
    const select = element.shadowRoot!.querySelector('select')!;
    select.value = 'week';
    select.dispatchEvent(new Event('change'));
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('fp-trend')!.getAttribute('interval')).to.equal('week');
    expect(element.shadowRoot!.querySelector('fp-kpi')!.hasAttribute('interval')).to.equal(false);
  });

  it('offers custom dates', async () => {
    const element = await dashboard();
    [...element.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent === 'Custom')!.click();
    await element.updateComplete;
    const [from, to] = element.shadowRoot!.querySelectorAll('input[type=date]');
    expect([(from as HTMLInputElement).value, (to as HTMLInputElement).value]).to.deep.equal(['2026-10-30', '2026-11-28']);
    (from as HTMLInputElement).value = '2026-11-25';
    from!.dispatchEvent(new Event('change'));
    await element.updateComplete;
    expect(element.dates).to.deep.equal({ from: '2026-11-25', to: '2026-11-28' });
  });

  it('keeps slotted widgets in step instead of laying out its own', async () => {
    const element = await dashboard(html`<fp-trend math="users"></fp-trend>`);
    expect(widgets(element)).to.deep.equal([]);
    const trend = element.querySelector('fp-trend')!;
    await element.updateComplete;
    expect([trend.getAttribute('from'), trend.getAttribute('to'), trend.getAttribute('interval')]).to.deep.equal(['2026-10-30', '2026-11-28', 'day']);
    expect(await settled(trend)).to.equal('ready');
  });
});
