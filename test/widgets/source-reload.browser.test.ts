// New data in an fp-source: every widget of the source changes state
// together. While file B loads, none shows file A's numbers (a KPI card
// whose attributes did not change included); once B is in, all show B's.
import { expect } from 'chai';
import { fixture, html } from '@open-wc/testing';
import '../../widgets/fp-source/fp-source.ts';
import '../../widgets/fp-kpi/fp-kpi.ts';
import '../../widgets/fp-trend/fp-trend.ts';
import '../../widgets/fp-paths/fp-paths.ts';
import type { FpSource } from '../../widgets/fp-source/fp-source.ts';
import { settled, tableText } from './widget-helpers.ts';

const line = (event: string, user: string, timestamp: string): string => `${JSON.stringify({ event, user_id: user, timestamp })}\n`;

/** A: users per day 1, 2, 1 over 2026-11-26..28; c opens, then saves. */
const FILE_A =
  line('open', 'a', '2026-11-26T09:00:00Z') + line('open', 'a', '2026-11-27T09:00:00Z') + line('open', 'b', '2026-11-27T10:00:00Z') + line('open', 'c', '2026-11-28T09:00:00Z') + line('save', 'c', '2026-11-28T09:01:00Z');
/** B: three users on 2026-11-28 only, each opening then saving. */
const FILE_B = ['x', 'y', 'z'].map((user) => line('open', user, '2026-11-28T09:00:00Z') + line('save', user, '2026-11-28T09:01:00Z')).join('');

const statuses = (widgets: HTMLElement[]): string[] => widgets.map((widget) => `${widget.localName}:${widget.getAttribute('status')}`);
const shown = (widget: HTMLElement): string => widget.shadowRoot!.textContent!.replace(/\s+/g, ' ').trim();

describe('fp-source: new data', () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  it('puts every widget in the loading state at once while the new file loads, then shows only its numbers', async () => {
    // B's download stays open until the test ends it: a slow file.
    let finishB!: () => void;
    const bodyB = new ReadableStream<Uint8Array>({
      start: (controller) => {
        finishB = () => {
          controller.enqueue(new TextEncoder().encode(FILE_B));
          controller.close();
        };
      },
    });
    globalThis.fetch = (input: RequestInfo | URL) =>
      Promise.resolve(new Response(String(input).endsWith('/a.ndjson') ? FILE_A : bodyB, { headers: { 'content-type': 'application/x-ndjson' } }));

    const source = await fixture<FpSource>(html`<fp-source src="https://example.test/a.ndjson">
      <fp-kpi label="Users" math="users" to="2026-11-28" periods="3"></fp-kpi>
      <fp-kpi label="Events" math="events" to="2026-11-28" periods="3"></fp-kpi>
      <fp-trend label="Trend" math="users" from="2026-11-26" to="2026-11-28"></fp-trend>
      <fp-paths label="Paths" from="2026-11-26" to="2026-11-28"></fp-paths>
    </fp-source>`);
    const widgets = [...source.querySelectorAll<HTMLElement>('fp-kpi, fp-trend, fp-paths')];
    for (const widget of widgets) await settled(widget);
    expect(statuses(widgets)).to.deep.equal(['fp-kpi:ready', 'fp-kpi:ready', 'fp-trend:ready', 'fp-paths:ready']);
    expect(tableText(widgets[0]!).slice(1)).to.deep.equal([['2026-11-26', '1'], ['2026-11-27', '2'], ['2026-11-28', '1']]);

    source.src = 'https://example.test/b.ndjson';
    // As a dashboard does for a new file: the range of some widgets changes too.
    widgets[2]!.setAttribute('from', '2026-11-20');
    await source.updateComplete;
    for (const widget of widgets) await (widget as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    expect(source.status).to.equal('loading');
    expect(statuses(widgets)).to.deep.equal(['fp-kpi:loading', 'fp-kpi:loading', 'fp-trend:loading', 'fp-paths:loading']);
    expect(widgets.map(shown)).to.deep.equal(['Users Loading…', 'Events Loading…', 'Trend Loading…', 'Paths Loading…']);
    for (const widget of widgets) expect(tableText(widget)).to.deep.equal([]);

    finishB();
    await source.ready();
    for (const widget of widgets) await settled(widget);
    expect(statuses(widgets)).to.deep.equal(['fp-kpi:ready', 'fp-kpi:ready', 'fp-trend:ready', 'fp-paths:ready']);
    expect(tableText(widgets[0]!).slice(1)).to.deep.equal([['2026-11-26', '0'], ['2026-11-27', '0'], ['2026-11-28', '3']]);
    expect(tableText(widgets[1]!).slice(1)).to.deep.equal([['2026-11-26', '0'], ['2026-11-27', '0'], ['2026-11-28', '6']]);
    expect(tableText(widgets[3]!).slice(1)).to.deep.equal([['1', 'open', 'save', '3'], ['2', 'save', '(path ends)', '3']]);
  });

  it('drops the old numbers from every widget when the source has no data any more', async () => {
    globalThis.fetch = () => Promise.resolve(new Response(FILE_A, { headers: { 'content-type': 'application/x-ndjson' } }));
    const source = await fixture<FpSource>(html`<fp-source src="https://example.test/a.ndjson">
      <fp-kpi label="Users" math="users" to="2026-11-28" periods="3"></fp-kpi>
      <fp-trend label="Trend" math="users" from="2026-11-26" to="2026-11-28"></fp-trend>
    </fp-source>`);
    const widgets = [...source.querySelectorAll<HTMLElement>('fp-kpi, fp-trend')];
    for (const widget of widgets) await settled(widget);
    source.removeAttribute('src');
    await source.updateComplete;
    for (const widget of widgets) await (widget as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    expect(source.status).to.equal('idle');
    expect(statuses(widgets)).to.deep.equal(['fp-kpi:loading', 'fp-trend:loading']);
    for (const widget of widgets) expect(tableText(widget)).to.deep.equal([]);
  });
});
