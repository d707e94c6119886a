/**
 * The dashboard page inside the webview: a toolbar (`@vscode-elements`
 * buttons), `fp-dashboard` keeping the extension's own panels in step
 * (commands used, sessions, retention, adoption of each command, errors),
 * and the raw events. Every widget gets the bridge's Source.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '../../widgets/fp-dashboard/fp-dashboard.ts';
import '../../widgets/fp-trend/fp-trend.ts';
import '../../widgets/fp-sessions/fp-sessions.ts';
import '../../widgets/fp-retention/fp-retention.ts';
import '../../widgets/fp-adoption/fp-adoption.ts';
import '../../widgets/fp-errors/fp-errors.ts';
import './events-table.ts';
import type { DashboardRangeChange, FpDashboard } from '../../widgets/fp-dashboard/fp-dashboard.ts';
import type { Source } from '../../shared/source.ts';
import { HostSource, webviewPort, type VsCodeWebviewApi } from './bridge-source.ts';

/** The extension's commands, as recorded (and as adoption lists them). */
export const COMMAND_IDS = ['footprint.showDashboard', 'footprint.toggleRecording', 'footprint.showEvents', 'footprint.exportData', 'footprint.deleteData'];

/** What the webview keeps across reloads (`setState`), restored by the panel serializer. */
export interface DashboardState {
  range?: DashboardRangeChange['range'];
  from?: string;
  to?: string;
  interval?: DashboardRangeChange['interval'];
}

const PANELS = `
  <fp-trend class="wide" label="Commands used" math="events" breakdown="command" known-only></fp-trend>
  <fp-sessions label="Sessions"></fp-sessions>
  <fp-retention label="Retention (days)" interval="day"></fp-retention>
  <fp-adoption label="Adoption of each command" features="${COMMAND_IDS.join(',')}"></fp-adoption>
  <fp-errors label="Errors"></fp-errors>
`;

/** The mounted page, for tests and for the refresh. */
export interface MountedDashboard {
  dashboard: FpDashboard;
  source: HostSource;
  /** Asks the host for a fresh snapshot and has every widget query again. */
  refresh(): Promise<void>;
}

/** Builds the page in `root`, talking to the host through `api`; `target` receives the host's messages (the window). */
export function mountDashboard(root: HTMLElement, api: VsCodeWebviewApi, target: EventTarget = window): MountedDashboard {
  const source = new HostSource(webviewPort(api, target));
  const saved = (api.getState() ?? {}) as DashboardState;
  root.innerHTML = `
    <div class="toolbar" role="toolbar" aria-label="Footprint">
      <vscode-button data-run="refresh" secondary>Refresh</vscode-button>
      <vscode-button data-run="footprint.showEvents" secondary>Show events as text</vscode-button>
      <vscode-button data-run="footprint.exportData" secondary>Export…</vscode-button>
      <vscode-button data-run="footprint.deleteData" secondary>Delete…</vscode-button>
    </div>
    <fp-dashboard label="Footprint: usage of this extension">${PANELS}</fp-dashboard>
    <footprint-events-table></footprint-events-table>`;
  const dashboard = root.querySelector('fp-dashboard')!;
  const table = root.querySelector('footprint-events-table')!;
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

  const refresh = async () => give(await source.reopen());
  root.addEventListener('click', (event) => {
    const run = (event.target as Element).closest?.('[data-run]')?.getAttribute('data-run');
    if (run === 'refresh') void refresh();
    else if (run) api.postMessage({ type: 'footprint.run', command: run });
  });
  target.addEventListener('message', (event) => {
    if ((event as MessageEvent).data?.type === 'footprint.refresh') void refresh();
  });
  return { dashboard, source, refresh };
}
