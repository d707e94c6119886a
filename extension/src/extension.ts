/**
 * The Footprint extension: the first user of its own library
 * (`footprint/vscode`, index.ts). It records its own usage, kept on this
 * machine, and opens the dashboard of a Footprint server's project
 * (server-dashboard.ts), so an author sees their extension's users without
 * leaving VS Code.
 */
import * as vscode from 'vscode';
import { createUsageRecorder, type UsageRecorder } from './index.ts';
import { registerServerDashboard } from './server-dashboard.ts';

let usage: UsageRecorder | undefined;

export function activate(context: vscode.ExtensionContext): void {
  // Its commands keep their names (`footprint.showDashboard`, not `footprint.usage.showDashboard`); its dashboard is its product, so its use is recorded.
  usage = createUsageRecorder(context, { commandPrefix: 'footprint', statusBar: true, dashboardEvents: true });
  registerServerDashboard(vscode, context);
}

export function deactivate(): Promise<void> | undefined {
  const closing = usage?.dispose();
  usage = undefined;
  return closing;
}
