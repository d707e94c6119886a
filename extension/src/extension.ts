/**
 * The extension's entry: wires the consent, the telemetry gate, the recorder,
 * the local storage, the dashboard, the status-bar item and the commands.
 * Only this file imports `vscode` at run time; the modules it wires take the
 * API as parameters (host-api.ts) so the Node tests drive them without VS Code.
 */
import { readFileSync } from 'node:fs';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Consent } from './consent.ts';
import { Dashboard } from './dashboard.ts';
import { allEvents, deleteCommand, exportCommand, type ExportDeleteUi } from './export-delete.ts';
import { EVENTS, Recorder } from './recorder.ts';
import { renderStatus, statusView } from './status-bar.ts';
import { UsageStorage } from './storage.ts';
import { TelemetryGate } from './telemetry-gate.ts';

/** The commands, as contributed in package.json. */
export const COMMANDS = {
  showDashboard: 'footprint.showDashboard',
  toggleRecording: 'footprint.toggleRecording',
  showEvents: 'footprint.showEvents',
  exportData: 'footprint.exportData',
  deleteData: 'footprint.deleteData',
} as const;

/** Widgets whose use the dashboard may report (anything else it sends is ignored). */
const KNOWN_WIDGETS = new Set(['fp-trend', 'fp-sessions', 'fp-retention', 'fp-adoption', 'fp-errors', 'footprint-events-table']);

/** Commands the dashboard's toolbar may run. */
const RUNNABLE_FROM_DASHBOARD = new Set<string>([COMMANDS.showEvents, COMMANDS.exportData, COMMANDS.deleteData]);

let shutdown: (() => Promise<void>) | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const folder = context.globalStorageUri.fsPath;
  await mkdir(folder, { recursive: true });
  const settings = () => vscode.workspace.getConfiguration('footprint');
  const storage = new UsageStorage({
    folder,
    warn: (message) => void vscode.window.showWarningMessage(message),
    wasm: { wasmBinary: readFileSync(join(context.extensionPath, 'dist', 'sql-wasm.wasm')) },
    retentionDays: settings().get<number>('retentionDays') ?? 90,
  });
  const gate = new TelemetryGate(vscode.env, vscode.workspace);
  const recorder = new Recorder(vscode.env, () => gate.allowed, storage);
  const showWhatIsRecorded = () => vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(context.extensionUri, 'README.md'));
  const consent = new Consent({ workspace: vscode.workspace, window: vscode.window, globalState: context.globalState, showWhatIsRecorded, deleteStored: () => storage.deleteAll() });

  const dashboard = new Dashboard({
    vscode,
    extensionUri: context.extensionUri,
    snapshot: () => storage.snapshot(),
    onOpen: (restored) => void recorder.usage(EVENTS.dashboardOpen, { restored }),
    onMessage: (message) => {
      if (message.type === 'footprint.widget' && KNOWN_WIDGETS.has(message.widget)) recorder.usage(EVENTS.widgetView, { widget: message.widget });
      else if (message.type === 'footprint.run' && RUNNABLE_FROM_DASHBOARD.has(message.command)) void vscode.commands.executeCommand(message.command);
      else if (message.type === 'footprint.range') recorder.usage(EVENTS.rangeChange, { range: String(message.range).slice(0, 10), interval: String(message.interval).slice(0, 10) });
    },
  });

  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
  status.name = 'Footprint usage recording';
  const updateStatus = () => renderStatus(status, statusView(gate.consented, gate.allowed, gate.level));
  updateStatus();

  const ui: ExportDeleteUi = {
    showQuickPick: (items, options) => vscode.window.showQuickPick(items, options),
    showSaveDialog: (options) => vscode.window.showSaveDialog({ ...options, defaultUri: vscode.Uri.file(join(folder, '..', 'footprint-usage')) }),
    showWarningMessage: (message, options, ...items) => vscode.window.showWarningMessage(message, options, ...items),
    showInformationMessage: (message, ...items) => vscode.window.showInformationMessage(message, ...items),
    writeFile: (path, bytes) => writeFile(path, bytes),
  };

  /** Registers a command that records its use (when allowed) and its errors. */
  const command = (id: string, run: () => unknown) =>
    vscode.commands.registerCommand(id, async () => {
      recorder.command(id);
      try {
        await run();
      } catch (error) {
        recorder.error(error);
        void vscode.window.showErrorMessage(`Footprint: ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });

  context.subscriptions.push(
    gate,
    consent,
    recorder,
    status,
    dashboard,
    gate.onDidChange((allowed) => {
      updateStatus();
      if (allowed.usage) recorder.sessionStart();
    }),
    vscode.workspace.onDidChangeConfiguration((change) => {
      if (change.affectsConfiguration('footprint.retentionDays')) storage.retentionDays = settings().get<number>('retentionDays') ?? 90;
      if (change.affectsConfiguration('footprint') || change.affectsConfiguration('telemetry')) updateStatus();
    }),
    vscode.window.registerWebviewPanelSerializer('footprint.dashboard', dashboard.serializer()),
    command(COMMANDS.showDashboard, () => dashboard.show()),
    command(COMMANDS.toggleRecording, () => consent.toggle()),
    command(COMMANDS.showEvents, async () => {
      const store = await storage.snapshot();
      try {
        const events = await allEvents(store);
        const content = events.length ? events.map((e) => JSON.stringify(e)).join('\n') + '\n' : '// Footprint has recorded no events.\n';
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content, language: 'jsonl' }));
      } finally {
        await store.close();
      }
    }),
    command(COMMANDS.exportData, () => exportCommand(ui, storage)),
    command(COMMANDS.deleteData, async () => {
      if ((await deleteCommand(ui, storage)) !== undefined) dashboard.refresh();
    }),
  );

  recorder.sessionStart();
  // Compactions happen a few seconds after recording; an open dashboard then shows the new events.
  const refresh = setInterval(() => dashboard.refresh(), 60_000);
  context.subscriptions.push({ dispose: () => clearInterval(refresh) });
  shutdown = async () => {
    recorder.sessionEnd();
    await storage.dispose();
  };
  void consent.promptOnce();
}

export async function deactivate(): Promise<void> {
  await shutdown?.();
  shutdown = undefined;
}
