import { expect } from 'chai';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { connectStore } from '../../shared/remote/client.ts';
import { openStore } from '../../shared/store/store.ts';
import { Dashboard, dashboardHtml } from '../../extension/src/dashboard.ts';
import type { DashboardMessage } from '../../extension/src/bridge.ts';
import { statusView } from '../../extension/src/status-bar.ts';

describe('extension: dashboard panel', () => {
  it('the page has a strict CSP: scripts only with its nonce, nothing from the network', () => {
    const page = dashboardHtml({ cspSource: 'vscode-webview://abc', nonce: 'N0nce', scriptUri: 'vscode-webview://abc/dist/webview.js' });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(page)![1];
    expect(csp).to.equal(
      "default-src 'none'; script-src 'nonce-N0nce'; style-src vscode-webview://abc 'nonce-N0nce'; font-src vscode-webview://abc; img-src vscode-webview://abc data:",
    );
    expect(page).to.contain('<script type="module" nonce="N0nce" src="vscode-webview://abc/dist/webview.js"></script>');
    expect(page.match(/<script/g)).to.have.length(1);
    expect(page).to.contain('<style nonce="N0nce">');
  });

  /** A panel stand-in whose webview talks to a client through plain listeners. */
  function fakePanel() {
    const toHost = new Set<(data: unknown) => void>();
    const toPage = new Set<(event: MessageEvent) => void>();
    const disposed = new Set<() => void>();
    const webview = {
      options: {} as vscode.WebviewOptions,
      html: '',
      cspSource: 'vscode-webview://x',
      asWebviewUri: (uri: { fsPath: string }) => ({ toString: () => `vscode-webview://x${uri.fsPath}` }),
      postMessage: async (message: unknown) => {
        for (const l of toPage) l({ data: structuredClone(message) } as MessageEvent);
        return true;
      },
      onDidReceiveMessage: (listener: (data: unknown) => void) => {
        toHost.add(listener);
        return { dispose: () => toHost.delete(listener) };
      },
    };
    const panel = { webview, reveal: () => undefined, dispose: () => disposed.forEach((d) => d()), onDidDispose: (l: () => void) => (disposed.add(l), { dispose: () => undefined }) };
    /** The page's end: what `webviewPort` gives the webview. */
    const page = {
      postMessage: (message: unknown) => {
        for (const l of toHost) l(structuredClone(message));
      },
      addEventListener: (type: string, l: (event: MessageEvent) => void) => void (type === 'message' && toPage.add(l)),
      removeEventListener: (_t: 'message', l: (event: MessageEvent) => void) => toPage.delete(l),
    };
    return { panel, page, toHost };
  }

  it('a restored panel gets the same page and bridge: its queries are answered by the host store, its messages reported', async () => {
    const opens: boolean[] = [];
    const messages: [DashboardMessage, boolean][] = [];
    const fakeVscode = { Uri: { joinPath: (base: { fsPath: string }, ...parts: string[]) => ({ fsPath: join(base.fsPath, ...parts) }) } } as unknown as typeof vscode;
    const dashboard = new Dashboard({
      vscode: fakeVscode,
      media: { fsPath: '/ext/dist/footprint-media' } as vscode.Uri,
      viewType: 'footprint.showDashboard.panel',
      config: { title: 'Word <Count>', commands: ['wordCount.countWords'], run: { exportData: 'wordCount.usage.exportData' }, shareTarget: 'https://fp.example.com' },
      snapshot: async () => {
        const store = await openStore();
        await store.ingest([{ event: 'footprint.showDashboard', user_id: 'm', timestamp: Date.now(), uuid: 'x1' }]);
        return store;
      },
      onOpen: (restored) => opens.push(restored),
      onMessage: (message, restored) => {
        messages.push([message, restored]);
        return message.type === 'footprint.sent.request' ? { type: 'footprint.sent', sharing: true, target: 'https://fp.example.com', events: [] } : undefined;
      },
    });
    const { panel, page } = fakePanel();
    await dashboard.serializer().deserializeWebviewPanel(panel as unknown as vscode.WebviewPanel, { range: '7d' });
    expect(opens).to.deep.equal([true]);
    expect(panel.webview.options).to.deep.equal({ enableScripts: true, localResourceRoots: [{ fsPath: '/ext/dist/footprint-media' }] });
    expect(panel.webview.html).to.contain('src="vscode-webview://x/ext/dist/footprint-media/webview.js"');
    // The host's config, escaped into an attribute: the page reads it back whole.
    expect(panel.webview.html).to.contain('<title>Word &lt;Count&gt;: usage</title>');
    const attribute = /data-config="([^"]*)"/.exec(panel.webview.html)![1]!;
    const decoded = attribute.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(JSON.parse(decoded)).to.deep.equal({ title: 'Word <Count>', commands: ['wordCount.countWords'], run: { exportData: 'wordCount.usage.exportData' }, shareTarget: 'https://fp.example.com' });
    const client = connectStore(page);
    await client.open();
    expect((await client.query({ kind: 'events', limit: 10 })).events.map((e) => e.uuid)).to.deep.equal(['x1']);
    page.postMessage({ type: 'footprint.widget', widget: 'fp-trend' });
    expect(messages).to.deep.equal([[{ type: 'footprint.widget', widget: 'fp-trend' }, true]]);
    // A message the host answers: the answer is posted back to the page.
    const answers: unknown[] = [];
    page.addEventListener('message', (event) => answers.push(event.data));
    page.postMessage({ type: 'footprint.sent.request' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(answers.filter((a) => (a as { type?: string }).type === 'footprint.sent')).to.deep.equal([{ type: 'footprint.sent', sharing: true, target: 'https://fp.example.com', events: [] }]);
    panel.dispose();
    page.postMessage({ type: 'footprint.widget', widget: 'fp-errors' });
    expect(messages).to.have.length(2);
  });
});

describe('extension: status-bar item', () => {
  it('says whether it records, and why not', () => {
    expect(statusView('Footprint', false, { usage: false, errors: false, share: false }, 'all').text).to.equal('$(circle-slash) Footprint');
    expect(statusView('Footprint', true, { usage: true, errors: true, share: false }, 'all')).to.deep.equal({ text: '$(record) Footprint', tooltip: 'Footprint records your usage of this extension, on this machine only. Click to stop.' });
    expect(statusView('Word Count', true, { usage: true, errors: true, share: true }, 'all')).to.deep.equal({ text: '$(record) Word Count', tooltip: 'Word Count records your usage of this extension, on this machine, and shares it with the author. Click to stop.' });
    expect(statusView('Footprint', true, { usage: false, errors: true, share: false }, 'error').tooltip).to.contain("telemetry level is 'error'");
    expect(statusView('Footprint', true, { usage: false, errors: false, share: false }, 'off').tooltip).to.contain("telemetry level is 'off'");
  });
});
