/**
 * The dashboard: a webview panel showing the extension's own usage with the
 * Footprint widgets. Strict Content-Security-Policy (scripts only with this
 * page's nonce, no inline styles but the widgets' constructed stylesheets,
 * nothing from the network), files only from `dist/` (`localResourceRoots`),
 * and a `WebviewPanelSerializer` so a reload brings it back as it was.
 */
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';
import { serveWebview, type DashboardMessage } from './bridge.ts';
import type { Store } from '../../shared/store/store.ts';

export const VIEW_TYPE = 'footprint.dashboard';

/** A fresh nonce per page: the only scripts that run carry it. */
export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

/**
 * The webview's page. `cspSource` is `webview.cspSource` (where the
 * extension's files are served from); `scriptUri` the webview bundle.
 * Styles: the widgets' stylesheets are constructed (adoptedStyleSheets);
 * `<style>` elements need the nonce; only style attributes are inline.
 */
export function dashboardHtml(options: { cspSource: string; nonce: string; scriptUri: string; state?: unknown }): string {
  const { cspSource, nonce, scriptUri } = options;
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Footprint: usage</title>
<style nonce="${nonce}">
  footprint-usage-dashboard { display: block; }
  .toolbar { display: flex; gap: 8px; flex-wrap: wrap; margin: 12px 0; }
  fp-dashboard { margin-bottom: 16px; }
  body { padding: 0 16px 16px; color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); }
</style>
</head>
<body>
<footprint-usage-dashboard></footprint-usage-dashboard>
<script type="module" nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}

export interface DashboardHost {
  vscode: typeof vscode;
  extensionUri: vscode.Uri;
  /** A store with everything recorded so far. */
  snapshot(): Promise<Store>;
  /** A message from the dashboard (a widget shown, the range changed). */
  onMessage(message: DashboardMessage, restored: boolean): void;
  /** The panel opened (`restored`: brought back after a reload). */
  onOpen(restored: boolean): void;
}

/** The dashboard's one panel; `show` reveals it or creates it. */
export class Dashboard {
  private panel: vscode.WebviewPanel | undefined;

  constructor(private readonly host: DashboardHost) {}

  private get dist(): vscode.Uri {
    return this.host.vscode.Uri.joinPath(this.host.extensionUri, 'dist');
  }

  /** The panel's webview options: scripts on, files only from dist/. */
  get webviewOptions(): vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [this.dist] };
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = this.host.vscode.window.createWebviewPanel(VIEW_TYPE, 'Footprint: Usage', this.host.vscode.ViewColumn.Active, { ...this.webviewOptions, retainContextWhenHidden: false });
    this.attach(panel, false);
  }

  /** Sets up a panel, new or restored by the serializer. */
  attach(panel: vscode.WebviewPanel, restored: boolean): void {
    this.panel = panel;
    panel.webview.options = this.webviewOptions;
    const scriptUri = panel.webview.asWebviewUri(this.host.vscode.Uri.joinPath(this.dist, 'webview.js')).toString();
    const bridge = serveWebview(panel.webview, () => this.host.snapshot(), (message) => this.host.onMessage(message, restored));
    panel.webview.html = dashboardHtml({ cspSource: panel.webview.cspSource, nonce: makeNonce(), scriptUri });
    panel.onDidDispose(() => {
      bridge.dispose();
      if (this.panel === panel) this.panel = undefined;
    });
    this.host.onOpen(restored);
  }

  /** Tells an open dashboard that new events were compacted. */
  refresh(): void {
    void this.panel?.webview.postMessage({ type: 'footprint.refresh' } satisfies DashboardMessage);
  }

  /** The serializer VS Code calls to restore the panel after a reload (its state lives in the webview's `setState`). */
  serializer(): vscode.WebviewPanelSerializer {
    return {
      deserializeWebviewPanel: async (panel) => this.attach(panel, true),
    };
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
