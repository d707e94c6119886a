import { expect } from '@open-wc/testing';
import { SpecError } from '../../shared/errors.ts';
import { serveStore } from '../../shared/remote/serve.ts';
import { openStore, type Store } from '../../shared/store/store.ts';
import { HostSource, webviewPort, type VsCodeWebviewApi } from '../../extension/webview/bridge-source.ts';
import { mountDashboard, type DashboardState } from '../../extension/webview/panel.ts';

const DAY = 86_400_000;
const now = Date.now();

function events(count: number, offset = 0) {
  const commands = ['footprint.showDashboard', 'footprint.exportData', 'footprint.showDashboard'];
  return Array.from({ length: count }, (_, i) => {
    const command = commands[i % commands.length]!;
    return { event: command, user_id: 'machine-1', timestamp: now - ((i + offset) % 5) * DAY - 1000 * i, session_id: `s${i % 3}`, uuid: `u-${offset + i}`, properties: { command } };
  });
}

/**
 * A fake extension host: a MessageChannel whose one end runs `serveStore`
 * with a real store (as bridge.ts does over the webview), and a fake
 * `acquireVsCodeApi()` on the other end whose incoming messages arrive as
 * `message` events on `target`, as a webview's do on its window.
 */
async function fakeHost(initial: unknown[], state?: DashboardState) {
  const recorded: unknown[] = [...initial];
  const opened: Store[] = [];
  const channel = new MessageChannel();
  serveStore(channel.port1, async () => {
    const store = await openStore();
    await store.ingest(recorded);
    opened.push(store);
    return store;
  });
  const fromWebview: unknown[] = [];
  channel.port1.addEventListener('message', (event) => {
    if ((event.data as { type?: string }).type?.startsWith('footprint.')) fromWebview.push(event.data);
  });
  const target = new EventTarget();
  channel.port2.onmessage = (event) => target.dispatchEvent(new MessageEvent('message', { data: event.data }));
  let saved: unknown = state;
  const api: VsCodeWebviewApi = {
    postMessage: (message) => channel.port2.postMessage(message),
    getState: () => saved,
    setState: (value) => void (saved = value),
  };
  const direct = await openStore();
  await direct.ingest(recorded);
  return {
    api,
    target,
    fromWebview,
    direct,
    opened,
    state: () => saved,
    /** Records more events and tells the webview, as the host does after a compaction. */
    async record(more: unknown[]) {
      recorded.push(...more);
      await direct.ingest(more);
      channel.port1.postMessage({ type: 'footprint.refresh' });
    },
  };
}

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('extension webview bridge (fake host over a MessageChannel)', () => {
  let root: HTMLElement;
  beforeEach(() => {
    root = document.createElement('div');
    document.body.append(root);
  });
  afterEach(() => root.remove());

  it('answers queries with the host store, the same as the store itself', async () => {
    const host = await fakeHost(events(30));
    const source = new HostSource(webviewPort(host.api, host.target));
    const spec = { kind: 'trend', math: 'events', interval: 'day', breakdown: 'command', periods: 7 } as const;
    const viaBridge = await source.query(spec);
    expect(viaBridge).to.deep.equal(await host.direct.query(spec));
    expect(viaBridge.series.map((s) => s.label)).to.deep.equal(['footprint.showDashboard', 'footprint.exportData']);
    const listed = await source.query({ kind: 'events', limit: 5 });
    expect(listed.total).to.equal(30);
    expect(listed.events).to.have.length(5);
  });

  it('a bad spec arrives as a SpecError naming the field', async () => {
    const host = await fakeHost(events(3));
    const source = new HostSource(webviewPort(host.api, host.target));
    const error = await source.query({ kind: 'trend', interval: 'fortnight' } as never).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(SpecError);
    expect((error as SpecError).field).to.equal('interval');
  });

  it('the dashboard page: every panel shows the host data, reports which widgets showed data, restores and saves its state', async () => {
    const error = { event: '$error', user_id: 'machine-1', timestamp: now - DAY, session_id: 's0', uuid: 'err-1', properties: { name: 'TypeError', message: 'x is undefined', stack: 'at <path>:1:2' } };
    const host = await fakeHost([...events(30), error], { range: '7d', interval: 'week' });
    const page = mountDashboard(root, host.api, host.target);
    expect(page.dashboard.range).to.equal('7d');
    expect(page.dashboard.interval).to.equal('week');
    const tags = ['fp-trend', 'fp-sessions', 'fp-retention', 'fp-adoption', 'fp-errors'];
    const widget = (tag: string) => root.querySelector(tag) as HTMLElement & { status: string };
    await until(() => tags.every((tag) => ['ready', 'empty', 'error'].includes(widget(tag).status)), 'the widgets');
    expect(tags.map((tag) => `${tag}:${widget(tag).status}`)).to.deep.equal(['fp-trend:ready', 'fp-sessions:ready', 'fp-retention:ready', 'fp-adoption:ready', 'fp-errors:ready']);
    // The events table: all 31 events are within 7 days.
    const table = root.querySelector('footprint-events-table')!;
    await until(() => table.shadowRoot?.querySelectorAll('tbody tr').length === 31, 'the events table');
    await until(() => host.fromWebview.length >= 6, 'the widget reports');
    expect(host.fromWebview.map((m) => (m as { widget: string }).widget).sort()).to.deep.equal(['footprint-events-table', 'fp-adoption', 'fp-errors', 'fp-retention', 'fp-sessions', 'fp-trend']);
    // The toolbar is made of vscode-elements buttons; one asks the host to run a command.
    const buttons = [...root.querySelectorAll('vscode-button')];
    expect(buttons.map((b) => b.textContent?.trim())).to.deep.equal(['Refresh', 'Show events as text', 'Export…', 'Delete…']);
    (buttons[2] as HTMLElement).click();
    await until(() => host.fromWebview.some((m) => (m as { type: string }).type === 'footprint.run'), 'the run message');
    expect(host.fromWebview.find((m) => (m as { type: string }).type === 'footprint.run')).to.deep.equal({ type: 'footprint.run', command: 'footprint.exportData' });
    // Choosing another range is saved for the serializer and reported.
    const bar = page.dashboard.shadowRoot!.querySelectorAll<HTMLButtonElement>('.segmented button');
    bar[1]!.click();
    expect(host.state()).to.deep.include({ range: '30d', interval: 'week' });
    await until(() => host.fromWebview.some((m) => (m as { type: string }).type === 'footprint.range'), 'the range message');
  });

  it('a refresh from the host opens a fresh snapshot and every panel queries again', async () => {
    const host = await fakeHost(events(6));
    mountDashboard(root, host.api, host.target);
    const table = root.querySelector('footprint-events-table')!;
    await until(() => table.shadowRoot?.querySelectorAll('tbody tr').length === 6, 'the first rows');
    await host.record(events(4, 100));
    await until(() => table.shadowRoot?.querySelectorAll('tbody tr').length === 10, 'the rows after the refresh');
    expect(host.opened).to.have.length(2);
  });

  it('with sharing: the sent table lists what the host says was sent, newest first, and its button asks the host to stop sharing', async () => {
    const host = await fakeHost(events(2));
    const config = {
      title: 'Word <Count>',
      commands: ['wordCount.countWords'],
      run: { exportData: 'wordCount.usage.exportData', toggleSharing: 'wordCount.usage.toggleSharing' },
      shareTarget: 'https://fp.example.com',
    };
    mountDashboard(root, host.api, host.target, config);
    // The toolbar has only the buttons the host gave commands for; the title is text, not markup.
    expect([...root.querySelectorAll('.toolbar vscode-button')].map((b) => [b.getAttribute('data-run'), b.textContent])).to.deep.equal([
      ['refresh', 'Refresh'],
      ['wordCount.usage.exportData', 'Export…'],
    ]);
    expect(root.querySelector('fp-dashboard')!.getAttribute('label')).to.equal('Word <Count>: usage of this extension');
    await until(() => host.fromWebview.some((m) => (m as { type: string }).type === 'footprint.sent.request'), 'the request for the sent list');
    const sent = root.querySelector('footprint-sent-table')!;
    await sent.updateComplete;
    expect(sent.shadowRoot!.querySelector('[role="status"]')!.textContent).to.equal('Loading…');

    host.target.dispatchEvent(new MessageEvent('message', { data: { type: 'footprint.sent', sharing: true, target: 'https://fp.example.com', events: [] } }));
    await until(() => sent.shadowRoot!.querySelector('[role="status"]')?.textContent === 'No event has been sent.', 'the empty list');
    const at = Date.UTC(2026, 11, 4, 10, 0, 0);
    const list = [
      { uuid: 'u1', event: 'wordCount.countWords', timestamp: at, sent_at: at + 2_000, url: 'https://fp.example.com' },
      { uuid: 'u2', event: '$error', timestamp: at + 60_000, sent_at: at + 62_500, url: 'https://fp.example.com' },
    ];
    host.target.dispatchEvent(new MessageEvent('message', { data: { type: 'footprint.sent', sharing: true, target: 'https://fp.example.com', events: list } }));
    await until(() => sent.shadowRoot!.querySelectorAll('tbody tr').length === 2, 'the two rows');
    const rows = [...sent.shadowRoot!.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent));
    expect(rows).to.deep.equal([
      ['2026-12-04 10:01:02', '$error', '2026-12-04 10:01:00', 'https://fp.example.com'],
      ['2026-12-04 10:00:02', 'wordCount.countWords', '2026-12-04 10:00:00', 'https://fp.example.com'],
    ]);
    expect(sent.shadowRoot!.querySelector('.note')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Sharing is on: the events recorded from now on are sent to https://fp.example.com. Stop sharing…');
    sent.shadowRoot!.querySelector<HTMLButtonElement>('button[data-run]')!.click();
    await until(() => host.fromWebview.some((m) => (m as { command?: string }).command === 'wordCount.usage.toggleSharing'), 'the stop-sharing command');

    host.target.dispatchEvent(new MessageEvent('message', { data: { type: 'footprint.sent', sharing: false, target: 'https://fp.example.com', events: list } }));
    await until(() => !sent.shadowRoot!.querySelector('button[data-run]'), 'the button to go');
    expect(sent.shadowRoot!.querySelector('.note')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Sharing is off: nothing is sent to https://fp.example.com.');
  });

  it('without sharing there is no sent table', async () => {
    const host = await fakeHost(events(1));
    mountDashboard(root, host.api, host.target);
    expect(root.querySelector('footprint-sent-table')).to.equal(null);
  });
});
