import { expect } from 'chai';
import { expect as wcExpect, fixture, html } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../widgets/fp-paths/fp-paths.ts';
import type { FpPaths, PathNodeClick } from '../../widgets/fp-paths/fp-paths.ts';
import { fixtureStore, imageLabel, settled, tableText } from './widget-helpers.ts';

/** One session: its events two minutes apart from `start`. */
function session(user: string, start: string, names: string[]) {
  return names.map((event, i) => ({ event, user_id: user, timestamp: new Date(Date.parse(start) + i * 120_000).toISOString() }));
}

// Six sessions (u1 has two, a day apart); u2 searches twice in a row, which counts once.
const events = [
  ...session('u1', '2026-11-27T09:00:00Z', ['home', 'search', 'product']),
  ...session('u2', '2026-11-27T10:00:00Z', ['home', 'search', 'search', 'product', 'cart']),
  ...session('u3', '2026-11-27T11:00:00Z', ['home', 'product']),
  ...session('u1', '2026-11-28T09:00:00Z', ['home', 'search']),
  ...session('u4', '2026-11-28T10:00:00Z', ['search', 'product']),
  ...session('u5', '2026-11-28T11:00:00Z', ['home']),
];

async function paths(attributes: Partial<FpPaths> = {}, options = {}): Promise<FpPaths> {
  const store = await fixtureStore(events, options);
  const element = await fixture<FpPaths>(html`<fp-paths label="Journeys" .source=${store} from="2026-11-27" to="2026-11-28"></fp-paths>`);
  Object.assign(element, attributes);
  await settled(element);
  return element;
}

const nodes = (element: FpPaths) => [...element.shadowRoot!.querySelectorAll<SVGGElement>('g.node')];
const nodeNamed = (element: FpPaths, label: string) => nodes(element).find((node) => node.getAttribute('aria-label')!.startsWith(label))!;

describe('fp-paths', () => {
  it('is defined', () => {
    expect(customElements.get('fp-paths')).to.not.equal(undefined);
  });

  it('is accessible', async () => {
    const element = await paths();
    await wcExpect(element).to.be.accessible();
  });

  it('shows the exact numbers in its hidden table and sums them up for screen readers', async () => {
    const element = await paths();
    expect(element.status).to.equal('ready');
    expect(tableText(element)).to.deep.equal([
      ['Step', 'From', 'To', 'Paths'],
      // u1 (twice) and u2; then u1 and u2; then u3, u4 and u2, once each.
      ['1', 'home', 'search', '3'],
      ['2', 'search', 'product', '2'],
      ['1', 'home', 'product', '1'],
      ['1', 'search', 'product', '1'],
      ['3', 'product', 'cart', '1'],
      // u5 stops at once; u3 and u4 after the product, u1's second session after searching; ...
      ['1', 'home', '(path ends)', '1'],
      ['2', 'product', '(path ends)', '2'],
      ['2', 'search', '(path ends)', '1'],
      ['3', 'product', '(path ends)', '1'],
      ['4', 'cart', '(path ends)', '1'],
    ]);
    expect(imageLabel(element)).to.equal(
      '6 paths. The most common transitions: home to search at step 1 (3 paths), search to product at step 2 (2 paths) and home to product at step 1 (1 path).',
    );
  });

  it('draws a node per event and step, and a band per transition', async () => {
    const element = await paths();
    expect(nodes(element).map((node) => node.getAttribute('aria-label'))).to.deep.equal([
      'home, step 1: 5 paths, 1 end here',
      'search, step 1: 1 path',
      'search, step 2: 3 paths, 1 end here',
      'product, step 2: 2 paths, 2 end here',
      'product, step 3: 2 paths, 1 end here',
      'cart, step 4: 1 path, 1 end here',
    ]);
    const titles = [...element.shadowRoot!.querySelectorAll('path.band title')].map((title) => title.textContent);
    expect(titles).to.deep.equal(['home -> search: 3', 'search -> product: 2', 'home -> product: 1', 'search -> product: 1', 'product -> cart: 1']);
    // Heights and widths share one scale: home (5 paths) is 5 times as tall as the band of one path.
    const home = nodeNamed(element, 'home, step 1').querySelector('rect.bar')!;
    const onePath = element.shadowRoot!.querySelectorAll<SVGPathElement>('path.band')[2]!;
    expect(Number(home.getAttribute('height'))).to.be.closeTo(5 * Number(onePath.getAttribute('stroke-width')), 0.001);
    // Within a column the busiest node is on top.
    const y = (label: string) => Number(nodeNamed(element, label).querySelector('rect.bar')!.getAttribute('y'));
    expect(y('search, step 2')).to.be.below(y('product, step 2'));
  });

  it('queries again when an attribute changes', async () => {
    const element = await paths();
    element.setAttribute('start', 'search');
    await settled(element);
    expect(tableText(element).slice(1)).to.deep.equal([
      ['1', 'search', 'product', '3'],
      ['2', 'product', 'cart', '1'],
      ['1', 'search', '(path ends)', '1'],
      ['2', 'product', '(path ends)', '2'],
      ['3', 'cart', '(path ends)', '1'],
    ]);
    element.removeAttribute('start');
    element.setAttribute('exclude', 'search, ');
    element.setAttribute('limit', '1');
    await settled(element);
    expect(tableText(element).slice(1)).to.deep.equal([
      ['1', 'home', 'product', '3'],
      ['1', 'home', '(path ends)', '2'],
      ['1', 'product', '(path ends)', '1'],
      ['2', 'product', '(path ends)', '2'],
      ['3', 'cart', '(path ends)', '1'],
    ]);
    // One minute without events ends a session: every event is a path of its own, with no transition, and each is drawn.
    element.removeAttribute('exclude');
    element.setAttribute('gap-minutes', '1');
    await settled(element);
    expect(element.status).to.equal('ready');
    expect(tableText(element).slice(1)).to.deep.equal([
      ['1', 'home', '(path ends)', '5'],
      ['1', 'search', '(path ends)', '5'],
      ['1', 'product', '(path ends)', '4'],
      ['1', 'cart', '(path ends)', '1'],
    ]);
    expect(nodes(element).map((node) => node.getAttribute('aria-label'))).to.deep.equal([
      'home, step 1: 5 paths, 5 end here',
      'search, step 1: 5 paths, 5 end here',
      'product, step 1: 4 paths, 4 end here',
      'cart, step 1: 1 path, 1 end here',
    ]);
    expect(imageLabel(element)).to.equal('15 paths, each of one event: home (5 paths), search (5 paths) and product (4 paths).');
  });

  it('draws the paths that stop at their first event: every session is in the diagram', async () => {
    // Nine sessions: three go from home to search, four open settings only, two open help only.
    const store = await fixtureStore([
      ...['a', 'b', 'c'].flatMap((user) => session(user, '2026-11-27T09:00:00Z', ['home', 'search'])),
      ...['d', 'e', 'f', 'g'].flatMap((user) => session(user, '2026-11-27T10:00:00Z', ['settings'])),
      ...['h', 'i'].flatMap((user) => session(user, '2026-11-27T11:00:00Z', ['help'])),
    ]);
    const element = await fixture<FpPaths>(html`<fp-paths .source=${store} from="2026-11-27" to="2026-11-28"></fp-paths>`);
    expect(await settled(element)).to.equal('ready');
    expect(nodes(element).map((node) => node.getAttribute('aria-label'))).to.deep.equal([
      'settings, step 1: 4 paths, 4 end here',
      'home, step 1: 3 paths',
      'help, step 1: 2 paths, 2 end here',
      'search, step 2: 3 paths, 3 end here',
    ]);
    // The first column holds all nine: its nodes are as tall as their paths, on the scale of the band of three.
    const height = (label: string) => Number(nodeNamed(element, label).querySelector('rect.bar')!.getAttribute('height'));
    const band = Number(element.shadowRoot!.querySelector('path.band')!.getAttribute('stroke-width'));
    expect(height('settings, step 1') + height('home, step 1') + height('help, step 1')).to.be.closeTo(3 * band, 0.001);
    expect(imageLabel(element)).to.equal('9 paths. The most common transition: home to search at step 1 (3 paths).');
  });

  it('gathers the least travelled nodes of a crowded column into one, so every path still shows', async () => {
    // Three sessions go from home to search; eleven open one page each, a to k.
    const pages = 'abcdefghijk'.split('');
    const store = await fixtureStore([
      ...['u1', 'u2', 'u3'].flatMap((user) => session(user, '2026-11-27T09:00:00Z', ['home', 'search'])),
      ...pages.flatMap((page, i) => session(`v${i}`, '2026-11-27T10:00:00Z', [page])),
    ]);
    const element = await fixture<FpPaths>(html`<fp-paths .source=${store} from="2026-11-27" to="2026-11-28"></fp-paths>`);
    await settled(element);
    // Ten nodes at most in a column: home and a to h, then i, j and k as one, which is no button.
    expect(nodes(element).map((node) => [node.getAttribute('role'), node.getAttribute('aria-label')])).to.deep.equal([
      ['button', 'home, step 1: 3 paths'],
      ...pages.slice(0, 8).map((page) => ['button', `${page}, step 1: 1 path, 1 end here`]),
      ['img', '3 other events, step 1: 3 paths, 3 end here: i, j, k'],
      ['button', 'search, step 2: 3 paths, 3 end here'],
    ]);
    expect(nodes(element).filter((node) => node.tabIndex === 0).length).to.equal(10);
  });

  it('tells the page which node was clicked or activated with the keyboard', async () => {
    const element = await paths();
    const next = () => new Promise<PathNodeClick>((resolve) => element.addEventListener('fp-path-node-click', (e) => resolve(e.detail), { once: true }));

    let clicked = next();
    const box = nodeNamed(element, 'search, step 2').querySelector('rect.bar')!.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(box.left + box.width / 2), Math.round(box.top + box.height / 2)] });
    expect(await clicked).to.deep.equal({ step: 2, event: 'search', count: 3 });

    const cart = nodeNamed(element, 'cart, step 4');
    cart.focus();
    clicked = next();
    await sendKeys({ press: 'Enter' });
    expect(await clicked).to.deep.equal({ step: 4, event: 'cart', count: 1 });

    // The tab order goes column by column, top to bottom: back from cart is the product of step 3.
    clicked = next();
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ press: 'Space' });
    expect(await clicked).to.deep.equal({ step: 3, event: 'product', count: 2 });
    expect(nodes(element).map((node) => node.getAttribute('aria-label')!.split(':')[0])).to.deep.equal([
      'home, step 1',
      'search, step 1',
      'search, step 2',
      'product, step 2',
      'product, step 3',
      'cart, step 4',
    ]);
  });

  it('shows the empty state for a range without events', async () => {
    const element = await paths({ from: '2026-10-01', to: '2026-10-03' });
    expect(element.status).to.equal('empty');
    expect(element.shadowRoot!.textContent).to.contain('No data for this range.');
  });

  it('shows the error, naming the field, for a bad attribute', async () => {
    const element = await paths();
    element.setAttribute('steps', '1');
    await settled(element);
    expect(element.status).to.equal('error');
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain("steps: must be a whole number from 2 to 20, got '1'");
    element.removeAttribute('steps');
    element.setAttribute('start', 'search');
    element.setAttribute('exclude', 'search');
    await settled(element);
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain("start: 'search' is in exclude, so no path could contain it; remove it from exclude");
  });

  it('shows counts below the privacy threshold: paths count sessions, not distinct users', async () => {
    // METRICS.md section 15 suppresses distinct-user counts only, so the core never suppresses paths.
    const element = await paths({}, { minGroupSize: 3 });
    expect(tableText(element)[3]).to.deep.equal(['1', 'home', 'product', '1']);
    expect(element.shadowRoot!.textContent).to.not.contain('< k');
  });

  it('shares its width between the columns, never narrower than 96 px each', async () => {
    const store = await fixtureStore(events);
    const svgWidth = (element: FpPaths) => Number(element.shadowRoot!.querySelector('svg[part="diagram"]')!.getAttribute('width'));
    const inWide = await fixture<FpPaths>(html`<fp-paths style="width: 1000px" .source=${store} from="2026-11-27" to="2026-11-28"></fp-paths>`);
    const inNarrow = await fixture<FpPaths>(html`<fp-paths style="width: 300px" .source=${store} from="2026-11-27" to="2026-11-28"></fp-paths>`);
    await Promise.all([settled(inWide), settled(inNarrow)]);
    // 1000 px less the frame's border and padding (2 x 17) leaves 966: four columns of 239 px and a 4 px margin each side.
    expect(svgWidth(inWide)).to.equal(4 * 239 + 8);
    // Four columns of 96 px, in a box that scrolls.
    expect(svgWidth(inNarrow)).to.equal(4 * 96 + 8);
    expect(getComputedStyle(inNarrow.shadowRoot!.querySelector('.scroll')!).overflowX).to.equal('auto');
  });

  it('follows its width when resized, also after moving', async function () {
    // A hidden page (another test file in front) is not rendered, so no ResizeObserver reports.
    if (document.visibilityState === 'hidden') this.skip();
    const element = await paths();
    const svgWidth = () => Number(element.shadowRoot!.querySelector('svg[part="diagram"]')!.getAttribute('width'));
    const resized = async (width: number) => {
      for (let i = 0; i < 200 && svgWidth() !== width; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      return svgWidth();
    };
    element.style.width = '1000px';
    expect(await resized(4 * 239 + 8)).to.equal(4 * 239 + 8);
    element.style.width = '300px';
    expect(await resized(4 * 96 + 8)).to.equal(4 * 96 + 8);
    const parent = element.parentElement!;
    element.remove();
    parent.append(element);
    await settled(element);
    element.style.width = '1000px';
    expect(await resized(4 * 239 + 8)).to.equal(4 * 239 + 8);
  });

  it('fits five steps in a card of an 800 px page, cutting long names and showing them whole on hover', async () => {
    const name = 'onboarding_checklist_completed';
    const store = await fixtureStore([
      ...session('u1', '2026-11-27T09:00:00Z', ['home', name, 'search', 'product', 'cart']),
      ...session('u2', '2026-11-27T10:00:00Z', ['home', name, 'search', 'product', 'cart']),
    ]);
    // The dashboard's paths card on an 800 px page: 752 px wide.
    const element = await fixture<FpPaths>(html`<fp-paths style="width: 752px" .source=${store} from="2026-11-27" to="2026-11-28"></fp-paths>`);
    await settled(element);
    const box = element.shadowRoot!.querySelector<HTMLElement>('.scroll')!;
    expect(box.scrollWidth).to.equal(box.clientWidth);
    // 752 less the frame (2 x 17) and the diagram's margins (2 x 4), in five columns of 142 px.
    expect(Number(element.shadowRoot!.querySelector('svg[part="diagram"]')!.getAttribute('width'))).to.equal(5 * 142 + 8);
    const node = nodeNamed(element, `${name}, step 2`);
    const texts = [...element.shadowRoot!.querySelectorAll('text.name')].map((text) => text.textContent);
    expect(texts).to.deep.equal(['home', 'onboarding_chec…', 'search', 'product', 'cart']);
    expect(node.querySelector(':scope > title')!.textContent).to.equal(`${name}, step 2: 2 paths`);
    // Every label stays inside its column, the last one inside the card.
    const right = Math.max(...[...element.shadowRoot!.querySelectorAll('text')].map((text) => text.getBoundingClientRect().right));
    expect(right).to.be.at.most(box.getBoundingClientRect().right);
  });

  it('draws its bands in the dark theme with at least 2:1 contrast against the background', async () => {
    const luminance = (rgb: number[]) => {
      const [r, g, b] = rgb.map((c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const channels = (colour: string) => colour.match(/[\d.]+/g)!.slice(0, 3).map(Number);
    const contrast = async (theme: 'light' | 'dark') => {
      const element = await paths({ theme });
      const band = element.shadowRoot!.querySelector<SVGPathElement>('path.band')!;
      const style = getComputedStyle(band);
      const alpha = Number(style.strokeOpacity);
      const background = channels(getComputedStyle(element.shadowRoot!.querySelector('.frame')!).backgroundColor);
      const seen = channels(style.stroke).map((c, i) => background[i]! + alpha * (c - background[i]!));
      const [light, dark] = [luminance(seen), luminance(background)].sort((a, b) => b - a);
      return (light! + 0.05) / (dark! + 0.05);
    };
    expect(await contrast('dark')).to.be.at.least(2);
    expect(await contrast('dark')).to.be.above(await contrast('light'));
  });

  it('offers its numbers as CSV', async () => {
    const element = await paths();
    const download = element.shadowRoot!.querySelector<HTMLButtonElement>('button[part="download"]')!;
    expect(download.textContent).to.equal('Download CSV');
  });
});
