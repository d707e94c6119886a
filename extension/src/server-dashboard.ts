/**
 * "Footprint: Open a Server Project's Dashboard": the author's view of their
 * extension's users, from the Footprint server their extension shares with
 * (the library's `upload`). It asks for the server, the project and a read
 * key once; the key is kept in VS Code's SecretStorage (the operating
 * system's keychain), never in settings. The dashboard is the library's,
 * with every query sent by the extension host (the webview talks to no
 * server, so its Content-Security-Policy stays closed to the network).
 */
import type * as vscode from 'vscode';
import { NONE_LABEL, OTHER_LABEL } from '../../shared/metrics/trend.ts';
import { connectServer, type ServerSource } from '../../shared/remote/http-source.ts';
import { PROJECT_NAME } from '../../shared/remote/project-name.ts';
import type { Store } from '../../shared/store/store.ts';
import { Dashboard } from './dashboard.ts';
import { mediaFolder } from './media.ts';

export const SERVER_COMMANDS = {
  open: 'footprint.openServerDashboard',
  forgetKey: 'footprint.forgetServerKey',
} as const;

const LAST_SERVER = 'footprint.server.last';

/** Where a project lives: the server's base URL (no `/v1`) and the project's name. */
export interface ServerProject {
  url: string;
  project: string;
}

/** The SecretStorage key of a project's read key. */
export function secretKeyOf(target: ServerProject): string {
  return `footprint.readKey:${target.url}|${target.project}`;
}

/** The base URL typed by the user, checked: http or https, no query; `/v1` and a trailing slash taken off. Throws naming the problem. */
export function normalizeServerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error(`not a URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`the server's URL must start with http:// or https://, not ${url.protocol}`);
  if (url.search || url.hash) throw new Error('the server URL takes no query or fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')}`;
}

/** The commands the author's dashboard lists: the ten `command` values most used in the last 90 days. */
async function commandsSeen(source: ServerSource): Promise<string[]> {
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10);
  const result = await source.query({ kind: 'trend', from, to, interval: 'month', math: 'events', breakdown: 'command' });
  return result.series.map((s) => s.label).filter((label) => label !== OTHER_LABEL && label !== NONE_LABEL);
}

/** Registers the two commands on the Footprint extension. */
export function registerServerDashboard(api: typeof vscode, context: vscode.ExtensionContext): void {
  const dashboards = new Map<string, Dashboard>();

  async function ask(): Promise<ServerProject | undefined> {
    const last = context.globalState.get<ServerProject>(LAST_SERVER);
    const urlText = await api.window.showInputBox({
      title: 'Footprint server',
      prompt: "The server's address (where your extension's `upload.url` points)",
      value: last?.url ?? 'http://127.0.0.1:8787',
      ignoreFocusOut: true,
      validateInput: (text) => {
        try {
          normalizeServerUrl(text);
          return undefined;
        } catch (error) {
          return (error as Error).message;
        }
      },
    });
    if (urlText === undefined) return undefined;
    const project = await api.window.showInputBox({
      title: 'Footprint server: project',
      prompt: 'The project your extension sends to',
      value: last?.project ?? '',
      ignoreFocusOut: true,
      validateInput: (text) => (PROJECT_NAME.test(text) ? undefined : 'lowercase letters, digits, _ and -, starting with a letter or digit'),
    });
    if (project === undefined) return undefined;
    const target = { url: normalizeServerUrl(urlText), project };
    await context.globalState.update(LAST_SERVER, target);
    return target;
  }

  async function readKey(target: ServerProject, again = false): Promise<string | undefined> {
    const kept = again ? undefined : await context.secrets.get(secretKeyOf(target));
    if (kept) return kept;
    const key = await api.window.showInputBox({
      title: `Footprint server: read key of ${target.project}`,
      prompt: again ? 'The server refused the key kept for this project. A read key (or admin key) of the project:' : 'A read key (or admin key) of the project; kept in VS Code\'s secret storage',
      password: true,
      ignoreFocusOut: true,
      validateInput: (text) => (text.trim() ? undefined : 'the key is required'),
    });
    if (key === undefined) return undefined;
    await context.secrets.store(secretKeyOf(target), key.trim());
    return key.trim();
  }

  async function open(): Promise<void> {
    const target = await ask();
    if (!target) return;
    let key = await readKey(target);
    if (!key) return;
    let source = connectServer({ endpoint: `${target.url}/v1`, token: key, project: target.project });
    let commands: string[];
    try {
      commands = await commandsSeen(source);
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status !== 401 && status !== 403) throw error;
      key = await readKey(target, true);
      if (!key) return;
      source = connectServer({ endpoint: `${target.url}/v1`, token: key, project: target.project });
      commands = await commandsSeen(source);
    }
    const id = `${target.url}|${target.project}`;
    dashboards.get(id)?.dispose();
    const remote = source;
    // Only `query` crosses the bridge: the webview never opens, writes or exports this store.
    const store = { query: (spec: never) => remote.query(spec), close: async () => undefined } as unknown as Store;
    const dashboard = new Dashboard({
      vscode: api,
      media: api.Uri.file(mediaFolder()),
      viewType: 'footprint.serverDashboard',
      config: { title: `${target.project} (${new URL(target.url).host})`, commands, run: {} },
      snapshot: async () => store,
      onOpen: () => undefined,
      onMessage: () => undefined,
    });
    dashboards.set(id, dashboard);
    await dashboard.show();
  }

  context.subscriptions.push(
    api.commands.registerCommand(SERVER_COMMANDS.open, async () => {
      try {
        await open();
      } catch (error) {
        void api.window.showErrorMessage(`Footprint: could not open the server's dashboard: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
    api.commands.registerCommand(SERVER_COMMANDS.forgetKey, async () => {
      const last = context.globalState.get<ServerProject>(LAST_SERVER);
      if (!last) return void api.window.showInformationMessage('Footprint keeps no server key.');
      await context.secrets.delete(secretKeyOf(last));
      void api.window.showInformationMessage(`Footprint forgot the read key of ${last.project} on ${last.url}.`);
    }),
    { dispose: () => dashboards.forEach((d) => d.dispose()) },
  );
}
