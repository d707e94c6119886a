// The card every widget draws: a one-line title that takes the width, a
// quiet Download CSV icon button, KPI values on one baseline, KPI cards that
// wrap evenly in fp-dashboard, and outer spacing on a plain page. Fixtures are
// rooted in an fp-source: a plain element root waits for an animation frame,
// which a background page never gets.
import { expect } from 'chai';
import { fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../widgets/fp-kpi/fp-kpi.ts';
import '../../widgets/fp-source/fp-source.ts';
import '../../widgets/fp-dashboard/fp-dashboard.ts';
import type { FpKpi } from '../../widgets/fp-kpi/fp-kpi.ts';
import type { FpDashboard } from '../../widgets/fp-dashboard/fp-dashboard.ts';
import type { Store } from '../../shared/index.ts';
import { fixtureStore, settled } from './widget-helpers.ts';

const events = [
  { event: 'open', user_id: 'a', timestamp: '2026-11-27T09:00:00Z' },
  { event: 'open', user_id: 'b', timestamp: '2026-11-28T09:00:00Z' },
  { event: 'open', user_id: 'c', timestamp: '2026-11-28T10:00:00Z' },
];

const part = (element: Element, selector: string): HTMLElement => element.shadowRoot!.querySelector<HTMLElement>(selector)!;

/** WCAG contrast of two `rgb()` colours. */
function contrast(a: string, b: string): number {
  const luminance = (colour: string) => {
    const [r, g, bl] = colour.match(/[\d.]+/g)!.slice(0, 3).map((c) => (Number(c) / 255 <= 0.03928 ? Number(c) / 255 / 12.92 : ((Number(c) / 255 + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

describe('the widget card', () => {
  let store: Store;
  before(async () => {
    store = await fixtureStore(events);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`offers Download CSV as a quiet icon button with a label and a focus ring, ${theme} theme`, async () => {
      const page = await fixture<HTMLElement>(html`<fp-source quiet .store=${store}>
        <button id="before">before</button>
        <fp-kpi label="Users" theme=${theme} math="users" to="2026-11-28" periods="2"></fp-kpi>
      </fp-source>`);
      const kpi = page.querySelector<FpKpi>('fp-kpi')!;
      await settled(kpi);
      const download = part(kpi, 'button[part="download"]');
      expect(download.getAttribute('aria-label')).to.equal('Download CSV');
      expect(download.title).to.equal('Download CSV');
      expect(download.querySelector('svg.icon')!.getAttribute('aria-hidden')).to.equal('true');
      const box = download.getBoundingClientRect();
      expect([box.width, box.height]).to.deep.equal([28, 28]);
      // The KPI's sparkline rule must not reach the icon, which is an svg too.
      const icon = download.querySelector('svg.icon')!.getBoundingClientRect();
      expect([icon.width, icon.height]).to.deep.equal([16, 16]);
      // Quiet: the muted text colour, no background, yet at least 3:1 against the card.
      const background = getComputedStyle(part(kpi, '.frame')).backgroundColor;
      const style = getComputedStyle(download);
      expect(style.color).to.equal(getComputedStyle(part(kpi, '.meta')).color);
      expect(style.backgroundColor).to.equal('rgba(0, 0, 0, 0)');
      expect(contrast(style.color, background)).to.be.at.least(3);
      // Reached with Tab, it shows a 2 px ring in the accent colour.
      page.querySelector<HTMLButtonElement>('#before')!.focus();
      await sendKeys({ press: 'Tab' });
      expect(kpi.shadowRoot!.activeElement).to.equal(download);
      const focused = getComputedStyle(download);
      expect([focused.outlineStyle, focused.outlineWidth]).to.deep.equal(['solid', '2px']);
      expect(contrast(focused.outlineColor, background)).to.be.at.least(3);
    });
  }

  it('gives the title the width: one line, never squeezed by the button, the whole title in a tooltip', async () => {
    const label = 'Stickiness (DAU / MAU)';
    const kpi = await fixture<FpKpi>(html`<fp-kpi style="width: 260px" label=${label} .source=${store} math="stickiness_ratio" to="2026-11-28" periods="2"></fp-kpi>`);
    await settled(kpi);
    const title = part(kpi, 'h2');
    const head = part(kpi, '.head');
    expect(title.getBoundingClientRect().height).to.be.closeTo(parseFloat(getComputedStyle(title).lineHeight), 0.1);
    expect(title.scrollWidth).to.be.at.most(title.clientWidth);
    // The head's width less the button (28 px, pulled 6 px into the padding) and the gap.
    expect(title.getBoundingClientRect().width).to.be.closeTo(head.getBoundingClientRect().width - 28 + 6 - 8, 0.1);
    expect(title.title).to.equal(label);
  });

  it('puts the values of KPI cards side by side on one baseline, their sparklines on one line', async () => {
    const row = await fixture<HTMLElement>(html`<fp-source quiet .store=${store} style="display: grid; grid-template-columns: 200px 200px; gap: 16px; --fp-margin: 0">
      <fp-kpi label="Users" math="users" to="2026-11-28" periods="2"></fp-kpi>
      <fp-kpi label="Stickiness (DAU / MAU) over the last days" math="stickiness_ratio" to="2026-11-28" periods="2"></fp-kpi>
    </fp-source>`);
    const kpis = [...row.querySelectorAll<FpKpi>('fp-kpi')];
    for (const kpi of kpis) await settled(kpi);
    const bottoms = (selector: string) => kpis.map((kpi) => part(kpi, selector).getBoundingClientRect().bottom);
    expect(new Set(bottoms('.value')).size).to.equal(1);
    expect(new Set(bottoms('.meta')).size).to.equal(1);
    expect(new Set(bottoms('svg[part="sparkline"]')).size).to.equal(1);
    expect(getComputedStyle(part(kpis[0]!, '.value')).fontVariantNumeric).to.equal('tabular-nums');
  });

  describe('KPI cards in fp-dashboard wrap evenly', () => {
    const rows = async (width: number): Promise<number[]> => {
      const source = await fixture<HTMLElement>(html`<fp-source .store=${store}><fp-dashboard style=${`display: block; width: ${width}px`}></fp-dashboard></fp-source>`);
      const dashboard = source.querySelector<FpDashboard>('fp-dashboard')!;
      await dashboard.updateComplete;
      const tops = [...dashboard.shadowRoot!.querySelectorAll('fp-kpi')].map((kpi) => kpi.getBoundingClientRect().top);
      // Cards per row, top to bottom.
      return [...new Set(tops)].sort((a, b) => a - b).map((top) => tops.filter((t) => t === top).length);
    };

    it('four in a row at 1280 px', async () => {
      expect(await rows(1232)).to.deep.equal([4]);
    });

    it('two by two at 800 px, not three and one', async () => {
      expect(await rows(752)).to.deep.equal([2, 2]);
    });

    it('one a row on a phone', async () => {
      expect(await rows(360)).to.deep.equal([1, 1, 1, 1]);
    });
  });

  it('keeps widgets 16 px apart on a plain page, a spacing the page can change with --fp-margin', async () => {
    const page = await fixture<HTMLElement>(html`<fp-source quiet .store=${store}>
      <fp-kpi label="Users" math="users" to="2026-11-28" periods="2"></fp-kpi>
      <fp-kpi label="Events" math="events" to="2026-11-28" periods="2"></fp-kpi>
    </fp-source>`);
    const [first, second] = [...page.querySelectorAll<FpKpi>('fp-kpi')] as [FpKpi, FpKpi];
    await Promise.all([settled(first), settled(second)]);
    const gap = () => second.getBoundingClientRect().top - first.getBoundingClientRect().bottom;
    expect(gap()).to.equal(16);
    page.style.setProperty('--fp-margin', '0 0 40px');
    expect(gap()).to.equal(40);
    // In fp-dashboard, its grid's gap spaces them instead.
    const source = await fixture<HTMLElement>(html`<fp-source .store=${store}><fp-dashboard style="display: block; width: 1232px"></fp-dashboard></fp-source>`);
    const dashboard = source.querySelector<FpDashboard>('fp-dashboard')!;
    await dashboard.updateComplete;
    const margins = [...dashboard.shadowRoot!.querySelectorAll('fp-kpi, fp-trend, fp-paths')].map((widget) => getComputedStyle(widget).marginBottom);
    expect(new Set(margins)).to.deep.equal(new Set(['0px']));
  });
});
