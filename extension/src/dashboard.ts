/**
 * The dashboard: a webview panel showing the extension's own usage with the
 * Footprint widgets. Strict Content-Security-Policy (scripts only with this
 * page's nonce, no inline styles but the widgets' constructed stylesheets,
 * nothing from the network), files only from the library's media folder
 * (`localResourceRoots`), and a `WebviewPanelSerializer` so a reload brings
 * it back as it was.
 */
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';
import type { DashboardMessage } from './bridge.ts';
import { escapeHtml } from './html-escape.ts';
import { loadStoreSide } from './store-side-loader.ts';
import type { Store } from '../../shared/store/store.ts';

/** What the page shows, set by the host: written into the page as JSON (dashboard-config.ts reads it). */
export interface DashboardConfig {
  /** The extension's display name, in the page's title. */
  title: string;
  /** The extension's commands, for adoption (the library's own included). */
  commands: string[];
  /** The commands the toolbar's buttons run (a button without one is left out). */
  run: { showEvents?: string; exportData?: string; deleteData?: string; toggleSharing?: string };
  /** Where shared events go (`https://host`), when the extension shares. */
  shareTarget?: string;
}


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
export function dashboardHtml(options: { cspSource: string; nonce: string; scriptUri: string; config?: DashboardConfig }): string {
  const { cspSource, nonce, scriptUri, config } = options;
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
<title>${escapeHtml(config?.title ?? 'Footprint')}: usage</title>
<style nonce="${nonce}">
  footprint-usage-dashboard { display: block; }
  .toolbar { display: flex; gap: 8px; flex-wrap: wrap; margin: 12px 0; }
  fp-dashboard { margin-bottom: 16px; }
  body { padding: 0 16px 16px; color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); }
</style>
</head>
<body>
<footprint-usage-dashboard${config ? ` data-config="${escapeHtml(JSON.stringify(config))}"` : ''}></footprint-usage-dashboard>
<script type="module" nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}

export interface DashboardHost {
  vscode: typeof vscode;
  /** The library's media folder: webview.js, sql.js and its wasm. */
  media: vscode.Uri;
  /** The panel's view type (its serializer is registered under it). */
  viewType: string;
  config: DashboardConfig;
  /** A store with everything recorded so far. */
  snapshot(): Promise<Store>;
  /** A message from the dashboard (a widget shown, the range changed); a value returned is posted back to the page. */
  onMessage(message: DashboardMessage, restored: boolean): PromiseLike<DashboardMessage | undefined> | DashboardMessage | undefined | void;
  /** The panel opened (`restored`: brought back after a reload). */
  onOpen(restored: boolean): void;
}

/** The dashboard's one panel; `show` reveals it or creates it. */
export class Dashboard {
  private panel: vscode.WebviewPanel | undefined;

  constructor(private readonly host: DashboardHost) {}

  /** The panel's webview options: scripts on, files only from the media folder. */
  get webviewOptions(): vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [this.host.media] };
  }

  /** Reveals the panel or creates it; resolves once its page is written. */
  async show(): Promise<void> {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = this.host.vscode.window.createWebviewPanel(this.host.viewType, `${this.host.config.title}: Usage`, this.host.vscode.ViewColumn.Active, { ...this.webviewOptions, retainContextWhenHidden: false });
    await this.attach(panel, false);
  }

  /** Sets up a panel, new or restored by the serializer; resolves once its page is written. */
  attach(panel: vscode.WebviewPanel, restored: boolean): Promise<void> {
    this.panel = panel;
    panel.webview.options = this.webviewOptions;
    const scriptUri = panel.webview.asWebviewUri(this.host.vscode.Uri.joinPath(this.host.media, 'webview.js')).toString();
    let disposed = false;
    let bridge: { dispose(): void } | undefined;
    panel.onDidDispose(() => {
      disposed = true;
      bridge?.dispose();
      if (this.panel === panel) this.panel = undefined;
    });
    this.host.onOpen(restored);
    // The page is written once the bridge listens, so its first request (open) is never missed.
    return loadStoreSide().then((side) => {
      if (disposed) return;
      bridge = side.serveWebview(panel.webview, () => this.host.snapshot(), async (message) => {
        const answer = await this.host.onMessage(message, restored);
        if (answer) void panel.webview.postMessage(answer);
      });
      panel.webview.html = dashboardHtml({ cspSource: panel.webview.cspSource, nonce: makeNonce(), scriptUri, config: this.host.config });
    });
  }

  /** Tells an open dashboard that new events were compacted. */
  refresh(): void {
    void this.panel?.webview.postMessage({ type: 'footprint.refresh' } satisfies DashboardMessage);
  }

  /** Posts a message to the open dashboard, if any. */
  post(message: DashboardMessage): void {
    void this.panel?.webview.postMessage(message);
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
