/** The webview's entry (bundled into dist/webview.js): the dashboard page, talking to the extension host. */
import { mountDashboard, type MountedDashboard } from './panel.ts';
import type { VsCodeWebviewApi } from './bridge-source.ts';

declare function acquireVsCodeApi(): VsCodeWebviewApi;

const host = document.querySelector('footprint-usage-dashboard') ?? document.body;
const mounted: MountedDashboard = mountDashboard(host as HTMLElement, acquireVsCodeApi());
// For a debugger in the webview's developer tools.
(globalThis as { footprint?: MountedDashboard }).footprint = mounted;
