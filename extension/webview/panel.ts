/**
 * The dashboard page inside the webview: a toolbar (`@vscode-elements`
 * buttons), `fp-dashboard` keeping the extension's own panels in step
 * (commands used, sessions, retention, adoption of each command, errors),
 * the raw events, and, when the extension shares with its author, every
 * event sent. Every widget gets the bridge's Source; what the page shows
 * (title, commands) comes from the host (DashboardConfig).
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '../../widgets/fp-dashboard/fp-dashboard.ts';
import '../../widgets/fp-trend/fp-trend.ts';
import '../../widgets/fp-sessions/fp-sessions.ts';
import '../../widgets/fp-retention/fp-retention.ts';
import '../../widgets/fp-adoption/fp-adoption.ts';
import '../../widgets/fp-errors/fp-errors.ts';
import './events-table.ts';
import './sent-table.ts';
import type { DashboardConfig } from '../src/dashboard.ts';
import { escapeHtml } from '../src/html-escape.ts';
import type { DashboardMessage } from '../src/bridge.ts';
import type { DashboardRangeChange, FpDashboard } from '../../widgets/fp-dashboard/fp-dashboard.ts';
import type { Source } from '../../shared/source.ts';
import { HostSource, webviewPort, type VsCodeWebviewApi } from './bridge-source.ts';

/** The Footprint extension's page, when the host gives none (a page opened without the library's host). */
export const DEFAULT_CONFIG: DashboardConfig = {
  title: 'Footprint',
  commands: ['footprint.showDashboard', 'footprint.toggleRecording', 'footprint.showEvents', 'footprint.exportData', 'footprint.deleteData'],
  run: { showEvents: 'footprint.showEvents', exportData: 'footprint.exportData', deleteData: 'footprint.deleteData' },
};

/** The config the host wrote into the page (`data-config`), or the default. */
export function readConfig(root: Element): DashboardConfig {
  const text = root.getAttribute('data-config');
  return text ? (JSON.parse(text) as DashboardConfig) : DEFAULT_CONFIG;
}

/** What the webview keeps across reloads (`setState`), restored by the panel serializer. */
export interface DashboardState {
  range?: DashboardRangeChange['range'];
  from?: string;
  to?: string;
  interval?: DashboardRangeChange['interval'];
}

const panels = (config: DashboardConfig) => `
  <fp-trend class="wide" label="Commands used" math="events" breakdown="command" known-only></fp-trend>
  <fp-sessions label="Sessions"></fp-sessions>
  <fp-retention label="Retention (days)" interval="day"></fp-retention>
  <fp-adoption label="Adoption of each command" features="${escapeHtml(config.commands.join(','))}"></fp-adoption>
  <fp-errors label="Errors"></fp-errors>
`;

/** The mounted page, for tests and for the refresh. */
export interface MountedDashboard {
  dashboard: FpDashboard;
  source: HostSource;
  /** Asks the host for a fresh snapshot and has every widget query again. */
  refresh(): Promise<void>;
}

/** A toolbar button running a host command, or nothing when there is no command. */
const button = (command: string | undefined, label: string) => (command ? `<vscode-button data-run="${escapeHtml(command)}" secondary>${label}</vscode-button>` : '');

/** Builds the page in `root`, talking to the host through `api`; `target` receives the host's messages (the window). */
export function mountDashboard(root: HTMLElement, api: VsCodeWebviewApi, target: EventTarget = window, config: DashboardConfig = readConfig(root)): MountedDashboard {
  const source = new HostSource(webviewPort(api, target));
  const saved = (api.getState() ?? {}) as DashboardState;
  const title = escapeHtml(config.title);
  root.innerHTML = `
    <div class="toolbar" role="toolbar" aria-label="${title} usage">
      <vscode-button data-run="refresh" secondary>Refresh</vscode-button>
      ${button(config.run.showEvents, 'Show events as text')}
      ${button(config.run.exportData, 'Export…')}
      ${button(config.run.deleteData, 'Delete…')}
    </div>
    <fp-dashboard label="${title}: usage of this extension">${panels(config)}</fp-dashboard>
    <footprint-events-table></footprint-events-table>
    ${config.shareTarget ? `<footprint-sent-table target="${escapeHtml(config.shareTarget)}" toggle="${escapeHtml(config.run.toggleSharing ?? '')}"></footprint-sent-table>` : ''}`;
  const dashboard = root.querySelector('fp-dashboard')!;
  const table = root.querySelector('footprint-events-table')!;
  const sent = root.querySelector('footprint-sent-table');
  if (saved.range) dashboard.range = saved.range;
  if (saved.interval) dashboard.interval = saved.interval;
  if (saved.range === 'custom') {
    dashboard.from = saved.from;
    dashboard.to = saved.to;
  }

  const widgets = () => [...dashboard.children, table] as (HTMLElement & { source?: Source })[];
  const give = (s: Source) => {
    for (const widget of widgets()) widget.source = s;
  };
  const syncTable = () => {
    const { from, to } = dashboard.dates;
    table.from = from;
    table.to = to;
  };
  give(source);
  syncTable();

  const reported = new Set<string>();
  root.addEventListener('fp-result', (event) => {
    const tag = (event.target as Element).localName;
    if (reported.has(tag)) return;
    reported.add(tag);
    api.postMessage({ type: 'footprint.widget', widget: tag });
  });
  dashboard.addEventListener('fp-range-change', (event) => {
    const { range, from, to, interval } = event.detail;
    api.setState({ range, from, to, interval } satisfies DashboardState);
    syncTable();
    api.postMessage({ type: 'footprint.range', range, interval });
  });

  const askSent = () => {
    if (sent) api.postMessage({ type: 'footprint.sent.request' } satisfies DashboardMessage);
  };
  const refresh = async () => {
    askSent();
    give(await source.reopen());
  };
  askSent();
  root.addEventListener('click', (event) => {
    // Through shadow roots too: the sent table's button is inside one.
    const run = event
      .composedPath()
      .find((node): node is Element => node instanceof Element && node.hasAttribute('data-run'))
      ?.getAttribute('data-run');
    if (run === 'refresh') void refresh();
    else if (run) api.postMessage({ type: 'footprint.run', command: run });
  });
  target.addEventListener('message', (event) => {
    const data = (event as MessageEvent).data as DashboardMessage | undefined;
    if (data?.type === 'footprint.refresh') void refresh();
    else if (data?.type === 'footprint.sent' && sent) {
      sent.events = data.events;
      sent.sharing = data.sharing;
    }
  });
  return { dashboard, source, refresh };
}
