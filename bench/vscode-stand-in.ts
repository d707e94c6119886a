/**
 * The `vscode` module and the extension context the benchmark's processes
 * give the library (bench/vscode-child.ts): the members
 * createUsageRecorderWith touches (extension/src/usage-recorder.ts), doing
 * nothing but answer. Its telemetry logger calls the sender synchronously,
 * as VS Code's does, at level `all` (VS Code's own cleaning of the
 * properties on the way is VS Code's cost, not the library's, and is left
 * out).
 */

type Listener = (value: unknown) => unknown;

const disposable = { dispose: () => undefined };
const event = (_listener: Listener) => disposable;

/**
 * Settings by full key (`wordCount.telemetry.enabled`); `telemetry.telemetryLevel`
 * is `all`. Warnings and errors the library shows go into `shown`.
 */
export function standInVscode(settings: Record<string, unknown>, shown: string[]): Record<string, unknown> {
  const all = new Map<string, unknown>([['telemetry.telemetryLevel', 'all'], ...Object.entries(settings)]);
  const registered = new Map<string, unknown>();
  const file = (fsPath: string) => ({ fsPath, path: fsPath, scheme: 'file', toString: () => `file://${fsPath}` });
  return {
    version: '1.99.0',
    StatusBarAlignment: { Left: 1, Right: 2 },
    ViewColumn: { Active: -1 },
    Uri: { file, joinPath: (base: { fsPath: string }, ...parts: string[]) => file([base.fsPath, ...parts].join('/')) },
    env: {
      isTelemetryEnabled: true,
      onDidChangeTelemetryEnabled: event,
      sessionId: 'bench-session',
      machineId: 'bench-machine',
      createTelemetryLogger: (sender: { sendEventData(name: string, data?: Record<string, unknown>): void; sendErrorData(error: Error, data?: Record<string, unknown>): void }) => ({
        logUsage: (name: string, data?: Record<string, unknown>) => sender.sendEventData(`bench.word-count/${name}`, data),
        logError: (error: Error, data?: Record<string, unknown>) => sender.sendErrorData(error, data),
        dispose: () => undefined,
      }),
    },
    workspace: {
      getConfiguration: (section?: string) => ({
        get: (key: string) => all.get(section ? `${section}.${key}` : key),
        update: async (key: string, value: unknown) => void all.set(section ? `${section}.${key}` : key, value),
      }),
      onDidChangeConfiguration: event,
    },
    window: {
      state: { focused: true },
      showInformationMessage: async () => undefined,
      showWarningMessage: async (text: string) => void shown.push(text),
      showErrorMessage: async (text: string) => void shown.push(text),
      registerWebviewPanelSerializer: () => disposable,
      createStatusBarItem: () => ({ show: () => undefined, hide: () => undefined, dispose: () => undefined }),
    },
    commands: {
      registerCommand: (id: string, callback: unknown) => {
        registered.set(id, callback);
        return { dispose: () => registered.delete(id) };
      },
      registerTextEditorCommand: (id: string, callback: unknown) => {
        registered.set(id, callback);
        return { dispose: () => registered.delete(id) };
      },
      executeCommand: async () => undefined,
    },
  };
}

/** The Word Count example's context, its global storage in `folder`. */
export function standInContext(folder: string, extensionPath: string): Record<string, unknown> {
  const state = new Map<string, unknown>();
  return {
    extension: {
      packageJSON: {
        name: 'word-count',
        publisher: 'bench',
        displayName: 'Word Count',
        version: '1.0.0',
        contributes: { commands: [{ command: 'wordCount.countWords' }, { command: 'wordCount.countSelection' }] },
      },
    },
    extensionPath,
    globalStorageUri: { fsPath: folder },
    globalState: { get: (key: string) => state.get(key), update: async (key: string, value: unknown) => void state.set(key, value), keys: () => [...state.keys()] },
    subscriptions: [] as { dispose(): unknown }[],
  };
}
