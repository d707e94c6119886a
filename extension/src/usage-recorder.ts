/**
 * `createUsageRecorder`, wired: the two consents and VS Code's telemetry
 * level (telemetry-gate.ts, consent.ts), the recorder behind
 * `createTelemetryLogger` (recorder.ts), the journals and compaction in the
 * extension's global storage (storage.ts), the commands of the extension
 * recorded as they run (command-wrap.ts), the user's commands (dashboard,
 * what is recorded, export, delete, the two toggles), and, when the author
 * gives `upload`, the outbox that sends shared events to the author's
 * Footprint server (upload.ts). It takes the `vscode` API as a parameter:
 * index.ts passes the real one.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { wrapCommandRegistration, recordedCallback, type CommandRun } from './command-wrap.ts';
import { Consent, recordPromptText, sharePromptText } from './consent.ts';
import { Dashboard, type DashboardConfig } from './dashboard.ts';
import type { DashboardMessage } from './bridge.ts';
import { allEvents, deleteCommand, exportCommand, type ExportDeleteUi } from './export-delete.ts';
import { loadInstallation } from './installation.ts';
import { mediaFolder, setMediaFolder } from './media.ts';
import { Recorder, type PropertyValue } from './recorder.ts';
import { SharingSink } from './sharing-sink.ts';
import { renderStatus, statusView } from './status-bar.ts';
import { UsageStorage } from './storage.ts';
import { allowsEvent, CONSENT_KEY, SHARE_KEY, TelemetryGate, type Allowed } from './telemetry-gate.ts';
import { Uploader, type UploadTarget } from './upload.ts';
import { camelCase, usageCommands } from './usage-commands.ts';
import { withdrawSharing } from './withdrawal.ts';
import { whatIsRecordedMarkdown, type TelemetryDeclaration } from './what-is-recorded.ts';

/** What the author may set; every field is optional. */
export interface UsageRecorderOptions {
  /**
   * The author's Footprint server and the project's write key: events are
   * sent there only after the user's second consent ("share with the
   * author"). Without it, nothing ever leaves the machine.
   */
  upload?: UploadTarget;
  /** The settings' section: `<section>.telemetry.enabled` and `.share`; default the extension's `name` in package.json, in camelCase (`word-count` gives `wordCount`). */
  section?: string;
  /** The user's commands are `<commandPrefix>.showDashboard` and so on; default `<section>.usage`. */
  commandPrefix?: string;
  /** Ask for consent once, in a notification, at the first activation; default true. */
  prompt?: boolean;
  /** Show a status-bar item with the recording state; default false. */
  statusBar?: boolean;
  /** Days recorded events are kept on the machine; default the setting `<section>.retentionDays` when the author contributes it, else 90. */
  retentionDays?: number;
  /**
   * Record how the usage dashboard itself is used (`dashboard.open`, which
   * panels showed data, which range was picked); default false: that is the
   * library's page, not your extension, so it is neither recorded nor sent.
   */
  dashboardEvents?: boolean;
  /** The folder of the library's files (dashboard, sql.js, wasm); default `footprint-media` beside the code. */
  media?: string;
}

/** What `createUsageRecorder` returns; also registered for disposal in `context.subscriptions`. */
export interface UsageRecorder {
  /** Records one of the author's own events, when the user allows usage recording; returns whether it was recorded. */
  track(name: string, properties?: Record<string, PropertyValue>): boolean;
  /** Records an error, when errors may be recorded; returns whether it was. */
  error(error: unknown): boolean;
  /** `vscode.commands.registerCommand` with the command recorded; for commands registered before the recorder existed. */
  registerCommand(id: string, callback: (...args: any[]) => any, thisArg?: unknown): vscode.Disposable;
  /** What may be recorded and shared now. */
  readonly allowed: Allowed;
  /** The installation's random id, every event's `user_id`. */
  readonly installationId: string;
  /** Opens the usage dashboard; resolves once it is shown. */
  showDashboard(): Promise<void>;
  /** Moves journals into the database and sends what waits to be shared (before a test reads them, say). */
  flush(): Promise<void>;
  dispose(): Promise<void>;
}

/** package.json, as far as the library reads it. */
interface Manifest {
  name: string;
  publisher: string;
  displayName?: string;
  version: string;
  contributes?: { commands?: { command: string }[] };
}

/** The library's commands that are not recorded: turning recording or sharing on and off, and deleting, leave no trace. */
const UNRECORDED = new Set(['toggleRecording', 'toggleSharing', 'deleteData', 'whatIsRecorded']);
/** Widgets whose use the dashboard may report (anything else it sends is ignored). */
const KNOWN_WIDGETS = new Set(['fp-trend', 'fp-sessions', 'fp-retention', 'fp-adoption', 'fp-errors', 'footprint-events-table', 'footprint-sent-table']);

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function readDeclaration(extensionPath: string): TelemetryDeclaration | undefined {
  try {
    return JSON.parse(readFileSync(join(extensionPath, 'telemetry.json'), 'utf8')) as TelemetryDeclaration;
  } catch {
    return undefined;
  }
}

export function createUsageRecorderWith(api: typeof vscode, context: vscode.ExtensionContext, options: UsageRecorderOptions = {}): UsageRecorder {
  const manifest = context.extension.packageJSON as Manifest;
  const section = options.section ?? camelCase(manifest.name);
  const prefix = options.commandPrefix ?? `${section}.usage`;
  const ids = usageCommands(prefix);
  /** The dashboard's webview type: `onWebviewPanel:<prefix>.dashboard` in package.json brings it back after a reload. */
  const viewType = `${prefix}.dashboard`;
  const name = manifest.displayName ?? manifest.name;
  const folder = context.globalStorageUri.fsPath;
  mkdirSync(folder, { recursive: true });
  if (options.media) setMediaFolder(options.media);
  const media = mediaFolder();
  /** The library's warnings (a damaged file set aside, a server refusing events), in the extension's name. */
  const warn = (text: string) => void api.window.showWarningMessage(`${name}: ${text}`);
  const installation = loadInstallation(folder);
  const settings = () => api.workspace.getConfiguration(section);

  const storage = new UsageStorage({
    folder,
    warn,
    // Read when a store first opens, never at activation.
    wasm: () => ({ wasmBinary: readFileSync(join(media, 'sql-wasm.wasm')) }),
    retentionDays: options.retentionDays ?? settings().get<number>('retentionDays') ?? 90,
  });
  const gate = new TelemetryGate(api.env, api.workspace, section);
  const uploader = options.upload
    ? new Uploader({
        folder,
        windowId: storage.journal.windowId,
        target: options.upload,
        // Asked again right before each send: a consent withdrawn or a level lowered since the event was queued keeps it home.
        may: (event) => gate.allowed.share && allowsEvent(gate.allowed, event.event),
        warn,
      })
    : undefined;
  const shareTarget = options.upload ? new URL(options.upload.url).origin : undefined;
  const sink = new SharingSink(storage, uploader, () => gate.allowed);
  const recorder = new Recorder(api.env, { extensionId: `${manifest.publisher}.${manifest.name}`, userId: installation.id, sessionId: randomUUID(), common: { extension_version: manifest.version, vscode_version: api.version, platform: process.platform } }, () => gate.allowed, sink);

  const consentHost = { section, workspace: api.workspace, window: api.window, globalState: context.globalState, showWhatIsRecorded: () => showWhatIsRecorded() };
  const recordConsent = new Consent({ ...consentHost, key: CONSENT_KEY, promptedKey: `${section}.footprint.recordPrompted`, promptText: recordPromptText(name), deleteStored: () => storage.deleteAll() });
  const shareConsent = new Consent({ ...consentHost, key: SHARE_KEY, promptedKey: `${section}.footprint.sharePrompted`, promptText: sharePromptText(name, shareTarget ?? '') });

  const ran = (run: CommandRun) => {
    recorder.command(run.id, run.durationMs, run.success);
    if (!run.success) recorder.error(run.error, run.id);
  };
  const unrecordedIds = new Set<string>(Object.entries(ids).filter(([key]) => UNRECORDED.has(key)).map(([, id]) => id));
  const unwrap = wrapCommandRegistration(api.commands, (id) => !unrecordedIds.has(id), ran);
  const registerRecorded = (id: string, callback: (...args: any[]) => any, thisArg?: unknown): vscode.Disposable =>
    unwrap ? api.commands.registerCommand(id, callback, thisArg) : api.commands.registerCommand(id, unrecordedIds.has(id) ? callback : recordedCallback(id, callback, ran), thisArg);

  const config: DashboardConfig = {
    title: name,
    commands: (manifest.contributes?.commands ?? []).map((c) => c.command).filter((id) => !unrecordedIds.has(id)),
    run: { showEvents: ids.showEvents, exportData: ids.exportData, deleteData: ids.deleteData, ...(uploader ? { toggleSharing: ids.toggleSharing } : {}) },
    ...(shareTarget ? { shareTarget } : {}),
  };
  const sentList = async (): Promise<DashboardMessage> => ({ type: 'footprint.sent', sharing: gate.allowed.share, target: shareTarget ?? null, events: uploader ? await uploader.sent() : [] });
  const dashboard = new Dashboard({
    vscode: api,
    media: api.Uri.file(media),
    viewType,
    config,
    snapshot: () => storage.snapshot(),
    onOpen: (restored) => void (options.dashboardEvents && recorder.usage('dashboard.open', { restored })),
    onMessage: (message) => {
      if (message.type === 'footprint.widget' && options.dashboardEvents && KNOWN_WIDGETS.has(message.widget)) recorder.usage('dashboard.widget', { widget: message.widget });
      else if (message.type === 'footprint.run' && [ids.showEvents, ids.exportData, ids.deleteData, ids.toggleSharing].includes(message.command as never)) void api.commands.executeCommand(message.command);
      else if (message.type === 'footprint.range' && options.dashboardEvents) recorder.usage('dashboard.range', { range: String(message.range).slice(0, 10), interval: String(message.interval).slice(0, 10) });
      else if (message.type === 'footprint.sent.request') return sentList();
      return undefined;
    },
  });

  async function showWhatIsRecorded(): Promise<void> {
    const content = whatIsRecordedMarkdown({
      name,
      section,
      declared: readDeclaration(context.extensionPath),
      allowed: gate.allowed,
      consented: gate.consented,
      shareConsented: gate.shareConsented,
      level: gate.level,
      ...(shareTarget ? { shareTarget } : {}),
      installationId: installation.id,
      storageFolder: folder,
    });
    const document = await api.workspace.openTextDocument({ content, language: 'markdown' });
    await api.commands.executeCommand('markdown.showPreview', document.uri);
  }

  const ui: ExportDeleteUi = {
    showQuickPick: (items, pickOptions) => api.window.showQuickPick(items, pickOptions),
    showSaveDialog: (saveOptions) => api.window.showSaveDialog({ ...saveOptions, defaultUri: api.Uri.file(join(folder, '..', `${section}-usage`)) }),
    showWarningMessage: (text, modal, ...items) => api.window.showWarningMessage(text, modal, ...items),
    showInformationMessage: (text, ...items) => api.window.showInformationMessage(text, ...items),
    writeFile: (path, bytes) => writeFile(path, bytes),
  };

  const withdrawal = uploader && shareTarget ? { uploader, window: api.window, name, target: shareTarget, secret: installation.secret, changed: () => void sentList().then((list) => dashboard.post(list)) } : undefined;

  let sharingBefore = gate.consented && gate.shareConsented;
  const status = options.statusBar ? api.window.createStatusBarItem(api.StatusBarAlignment.Right, 100) : undefined;
  const updateStatus = () => {
    if (status) renderStatus(status, statusView(name, gate.consented, gate.allowed, gate.level), ids.toggleRecording);
  };
  if (status) status.name = `${name} usage recording`;
  updateStatus();

  const askToShare = async () => {
    if (uploader && gate.consented && shareConsent.consent === 'pending') await shareConsent.promptOnce();
  };

  const subscriptions: vscode.Disposable[] = [
    gate,
    recordConsent,
    shareConsent,
    recorder,
    dashboard,
    ...(status ? [status] : []),
    gate.onDidChange((allowed) => {
      updateStatus();
      if (allowed.usage) recorder.sessionStart();
      if (!uploader) return;
      if (allowed.share) {
        uploader.start();
        // Events held while the level forbade them go now.
        void uploader.flush();
      } else uploader.stop();
    }),
    api.workspace.onDidChangeConfiguration((change) => {
      if (!change.affectsConfiguration(section)) return;
      if (options.retentionDays === undefined && change.affectsConfiguration(`${section}.retentionDays`)) storage.retentionDays = settings().get<number>('retentionDays') ?? 90;
      const sharing = gate.consented && gate.shareConsented;
      if (sharingBefore && !sharing && withdrawal) void withdrawSharing(withdrawal);
      sharingBefore = sharing;
      if (change.affectsConfiguration(`${section}.${CONSENT_KEY}`) && gate.consented) void askToShare();
    }),
    api.window.registerWebviewPanelSerializer(viewType, dashboard.serializer()),
  ];
  const register = (id: string, run: () => unknown) => subscriptions.push(registerRecorded(id, run));
  register(ids.showDashboard, () => dashboard.show());
  register(ids.toggleRecording, () => recordConsent.toggle());
  register(ids.toggleSharing, async () => {
    if (!uploader) return void api.window.showInformationMessage(`${name} shares nothing: its usage data stays on this machine.`);
    if (gate.shareConsented) return shareConsent.setConsent('denied');
    if (!gate.consented) await recordConsent.setConsent('granted');
    return shareConsent.setConsent('granted');
  });
  register(ids.whatIsRecorded, () => showWhatIsRecorded());
  register(ids.showEvents, async () => {
    const store = await storage.snapshot();
    try {
      const events = await allEvents(store);
      const content = events.length ? events.map((e) => JSON.stringify(e)).join('\n') + '\n' : `// ${name} has recorded no events.\n`;
      await api.window.showTextDocument(await api.workspace.openTextDocument({ content, language: 'jsonl' }));
    } finally {
      await store.close();
    }
  });
  register(ids.exportData, () => exportCommand(ui, storage, name));
  register(ids.deleteData, async () => {
    if ((await deleteCommand(ui, storage, name)) !== undefined) dashboard.refresh();
  });

  recorder.sessionStart();
  // Compactions happen at most once a minute; an open dashboard then shows the new events.
  const refresh = setInterval(() => dashboard.refresh(), 60_000);
  subscriptions.push({ dispose: () => clearInterval(refresh) });
  if (options.prompt ?? true) void recordConsent.promptOnce().then(() => askToShare());
  if (uploader) {
    if (!gate.allowed.share) uploader.stop();
    // What an earlier session left in the outbox (a restart, a crashed window) goes a little after start, off activation's path.
    const leftovers = setTimeout(() => void uploader.flush().catch((error: unknown) => warn(`${name}: sending usage data failed (${message(error)}); it is sent later.`)), 3_000);
    leftovers.unref?.();
    subscriptions.push({ dispose: () => clearTimeout(leftovers) });
  }

  let disposed: Promise<void> | undefined;
  const usage: UsageRecorder = {
    track: (event, properties = {}) => recorder.usage(event, properties),
    error: (error) => recorder.error(error),
    registerCommand: registerRecorded,
    get allowed() {
      return gate.allowed;
    },
    installationId: installation.id,
    showDashboard: () => dashboard.show(),
    async flush() {
      await storage.compact();
      await uploader?.flush();
    },
    dispose() {
      disposed ??= (async () => {
        recorder.sessionEnd();
        unwrap?.dispose();
        for (const s of subscriptions) s.dispose();
        await Promise.all([storage.dispose(), uploader?.flush().catch(() => undefined)]);
        uploader?.dispose();
      })();
      return disposed;
    },
  };
  context.subscriptions.push({ dispose: () => void usage.dispose() });
  return usage;
}
