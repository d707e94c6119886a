import { expect } from 'chai';
import { expect as wcExpect, fixture, html } from '@open-wc/testing';
import '../../widgets/fp-segments/fp-segments.ts';
import type { FpSegments } from '../../widgets/fp-segments/fp-segments.ts';
import { fixtureStore, imageLabel, settled, tableText } from './widget-helpers.ts';

const at = (user: string, timestamp: string, event: string, properties?: Record<string, unknown>) => ({ event, user_id: user, timestamp, ...(properties ? { properties } : {}) });

/** A rage click: three clicks on one spot within 400 ms. */
const rageClick = (user: string, start: string) =>
  [0, 200, 400].map((ms) => at(user, new Date(Date.parse(start) + ms).toISOString(), '$click', { target: 'button#save', x: 10, y: 10 }));

const NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
/** 8 names in 3 sessions, one a day from the 22nd. */
const explorer = (user: string) =>
  [NAMES.slice(0, 3), NAMES.slice(3, 6), NAMES.slice(6, 8)].flatMap((names, day) =>
    names.map((name, i) => at(user, `2026-11-${22 + day}T10:0${i}:00Z`, name)),
  );

/**
 * 1..28 November: p active on 12 days (power); s with a rage click in two
 * sessions (struggling); e1 and e2 with 8 event names in their first 3
 * sessions (exploring); c1..c4 with one event each (casual): 8 users.
 */
const events = [
  ...Array.from({ length: 12 }, (_, i) => at('p', `2026-11-${String(i + 1).padStart(2, '0')}T09:00:00Z`, 'open')),
  ...rageClick('s', '2026-11-20T10:00:00Z'),
  ...rageClick('s', '2026-11-21T10:00:00Z'),
  ...explorer('e1'),
  ...explorer('e2'),
  at('c1', '2026-11-27T09:00:00Z', 'open'),
  at('c2', '2026-11-27T09:00:00Z', 'open'),
  at('c3', '2026-11-27T09:00:00Z', 'open'),
  at('c4', '2026-11-27T09:00:00Z', 'save'),
];

const FRICTION = 'a friction signal (a rage click, a repeated error or thrashing)';
const RULES = {
  power: 'active on 12+ of the last 28 days',
  struggling: `2+ sessions with ${FRICTION}`,
  exploring: '8+ different events in their first 3 sessions, with no friction',
  casual: 'everyone else',
};

async function segments(attributes = '', options = {}): Promise<FpSegments> {
  const store = await fixtureStore(events, options);
  const element = await fixture<FpSegments>(html`<fp-segments label="Segments" .source=${store} from="2026-11-01" to="2026-11-28"></fp-segments>`);
  for (const [name, value] of new URLSearchParams(attributes)) element.setAttribute(name, value);
  await settled(element);
  return element;
}

const text = (node: Element | null | undefined) => node?.textContent!.replace(/\s+/g, ' ').trim();

/** Each label's box as shown: title, users and share, rule, and top events as "name count". */
function boxes(element: FpSegments) {
  return [...element.shadowRoot!.querySelectorAll('section[part="segment"]')].map((section) => ({
    title: text(section.querySelector('h3')),
    figure: text(section.querySelector('.figure')),
    rule: text(section.querySelector('[part="rule"]')),
    top: [...section.querySelectorAll('[part="top-events"] li')].map(text),
    none: text(section.querySelector('.none')),
  }));
}

/** The stacked bar's parts: label and flex-grow (its users). */
function bar(element: FpSegments): string[] {
  return [...element.shadowRoot!.querySelectorAll('[part="bar"] > span')].map((span) => `${span.className} ${getComputedStyle(span).flexGrow}`);
}

describe('fp-segments', () => {
  it('is defined', () => {
    expect(customElements.get('fp-segments')).to.not.equal(undefined);
  });

  it('is accessible', async () => {
    const element = await segments();
    await wcExpect(element).to.be.accessible();
  });

  it('shows each label with its users, share, rule in words and top events', async () => {
    const element = await segments();
    expect(element.status).to.equal('ready');
    expect(tableText(element)).to.deep.equal([
      ['Segment', 'Users', 'Share of active users', 'Rule', 'Top events'],
      ['power', '1', '13%', RULES.power, 'open: 12'],
      ['struggling', '1', '13%', RULES.struggling, '$click: 6'],
      ['exploring', '2', '25%', RULES.exploring, 'alpha: 2; bravo: 2; charlie: 2; delta: 2; echo: 2'],
      ['casual', '4', '50%', RULES.casual, 'open: 3; save: 1'],
    ]);
    expect(boxes(element)).to.deep.equal([
      { title: 'Power', figure: '1 user 13%', rule: RULES.power, top: ['open 12'], none: undefined },
      { title: 'Struggling', figure: '1 user 13%', rule: RULES.struggling, top: ['$click 6'], none: undefined },
      { title: 'Exploring', figure: '2 users 25%', rule: RULES.exploring, top: ['alpha 2', 'bravo 2', 'charlie 2', 'delta 2', 'echo 2'], none: undefined },
      { title: 'Casual', figure: '4 users 50%', rule: RULES.casual, top: ['open 3', 'save 1'], none: undefined },
    ]);
    expect(bar(element)).to.deep.equal(['power 1', 'struggling 1', 'exploring 2', 'casual 4']);
    expect(imageLabel(element)).to.equal('Active users by segment: power 1 (13%), struggling 1 (13%), exploring 2 (25%), casual 4 (50%).');
  });

  it('puts custom rules and a funnel into words, and counts by them', async () => {
    const element = await segments();
    // p's 12 days are not enough; one rage-click session makes a user struggle; 7 names explore.
    element.rules = { power: { days: 13, of: 30 }, struggling: { sessions: 1 }, exploring: { events: 7, sessions: 2 } };
    await settled(element);
    expect(tableText(element).slice(1).map((row) => row.slice(0, 4))).to.deep.equal([
      ['power', '0', '0%', 'active on 13+ of the last 30 days'],
      ['struggling', '1', '13%', `a session with ${FRICTION}`],
      // e1 and e2 meet 6 names in their first 2 sessions: casual now.
      ['exploring', '0', '0%', '7+ different events in their first 2 sessions, with no friction'],
      ['casual', '7', '88%', 'everyone else'],
    ]);
    expect(boxes(element)[0]!.none).to.equal('No users in this range.');
    expect(bar(element)).to.deep.equal(['struggling 1', 'casual 7']);

    element.rules = undefined;
    element.setAttribute('funnel', 'open, save');
    await settled(element);
    expect(tableText(element)[2]!.slice(0, 4)).to.deep.equal(['struggling', '1', '13%', `2+ sessions with ${FRICTION}, or 2+ sessions that left the funnel open → save at the same step`]);
  });

  it('queries again when the range changes', async () => {
    const element = await segments();
    // From the 27th: only the casual users' events and none of p's (power needs 12 days).
    element.setAttribute('from', '2026-11-27');
    await settled(element);
    expect(tableText(element).slice(1).map((row) => row.slice(0, 3))).to.deep.equal([
      ['power', '0', '0%'],
      ['struggling', '0', '0%'],
      ['exploring', '0', '0%'],
      ['casual', '4', '100%'],
    ]);
  });

  it('shows the loading state until its data arrives', async () => {
    let answer!: (value: unknown) => void;
    const source = { query: () => new Promise((resolve) => (answer = resolve)) };
    const element = await fixture<FpSegments>(html`<fp-segments .source=${source as never}></fp-segments>`);
    expect(element.status).to.equal('loading');
    expect(text(element.shadowRoot!.querySelector('[role="status"]'))).to.equal('Loading…');
    answer({ segments: ['power', 'struggling', 'exploring', 'casual'].map((label) => ({ label, users: label === 'casual' ? 3 : 0, topEvents: [] })) });
    expect(await settled(element)).to.equal('ready');
  });

  it('shows the empty state when nobody is active in the range', async () => {
    const element = await segments('from=2026-10-01&to=2026-10-03');
    expect(element.status).to.equal('empty');
    expect(element.shadowRoot!.textContent).to.contain('No data for this range.');
  });

  it('shows the error, naming the field, for a bad rule', async () => {
    const element = await segments();
    element.rules = { power: { days: 30, of: 28 } };
    await settled(element);
    expect(element.status).to.equal('error');
    expect(text(element.shadowRoot!.querySelector('[role="alert"]'))).to.contain('rules.power.days: must not exceed rules.power.of (28)');
  });

  it('shows suppressed labels as < k, without their top events, and the others\' shares as approximate', async () => {
    const element = await segments('', { minGroupSize: 2 });
    expect(tableText(element).slice(1).map((row) => [row[0], row[1], row[2], row[4]])).to.deep.equal([
      ['power', '< k', '–', ''],
      ['struggling', '< k', '–', ''],
      ['exploring', '2', '≈ 33%', 'alpha: 2; bravo: 2; charlie: 2; delta: 2; echo: 2'],
      ['casual', '4', '≈ 67%', 'open: 3; save: 1'],
    ]);
    expect(boxes(element)[0]).to.deep.equal({ title: 'Power', figure: '< k users', rule: RULES.power, top: [], none: 'Top events hidden: too few users to show.' });
    expect(bar(element)).to.deep.equal(['exploring 2', 'casual 4']);
    expect(element.shadowRoot!.textContent).to.contain('Groups smaller than the privacy threshold are shown as < k.');
  });
});
