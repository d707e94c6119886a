/**
 * The `vscode` API as far as `createUsageRecorderWith` (usage-recorder.ts)
 * uses it, on top of FakeVscode (settings, telemetry level, logger, message
 * answers): commands that run, an extension context with a real global
 * storage folder, documents opened, webview panels created. Enough to drive
 * the library's whole wiring in Node; what VS Code itself draws is checked
 * in the real VS Code suite (test/e2e).
 */
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { FakeVscode } from './fake-vscode.ts';

export interface FakeExtension {
  name: string;
  publisher: string;
  displayName?: string;
  version: string;
  commands?: string[];
}

type Callback = (...args: unknown[]) => unknown;

export class FakeVscodeApi extends FakeVscode {
  readonly registered = new Map<string, Callback>();
  readonly executed: unknown[][] = [];
  readonly documents: { content: string; language?: string }[] = [];
  readonly panels: { viewType: string; title: string; html: string }[] = [];
  readonly errors: string[] = [];
  /** What the input boxes were asked (title, whether a password), in order; answered from `answers`. */
  readonly inputs: { title?: string; password?: boolean; problem?: string }[] = [];
  /** The context's SecretStorage. */
  readonly secrets = new Map<string, string>();
  focused = true;

  /** The `vscode` namespace (the members the library touches). */
  readonly api = {
    version: '1.139.1',
    env: this.env,
    workspace: {
      ...this.workspace,
      openTextDocument: async (options: { content: string; language?: string }) => {
        this.documents.push(options);
        return { uri: { toString: () => `untitled:${this.documents.length}` } };
      },
    },
    window: {
      ...this.window,
      showErrorMessage: async (text: string, ...items: string[]) => {
        this.errors.push(text);
        this.messages.push({ kind: 'warning', text, items });
        return this.answers.shift();
      },
      showQuickPick: async () => undefined,
      showInputBox: async (options: { title?: string; password?: boolean; validateInput?: (text: string) => string | undefined }) => {
        const answer = this.answers.shift();
        const problem = answer === undefined ? undefined : options.validateInput?.(answer);
        this.inputs.push({ title: options.title, password: options.password === true, ...(problem ? { problem } : {}) });
        return problem ? undefined : answer;
      },
      showSaveDialog: async () => undefined,
      showTextDocument: async () => undefined,
      createStatusBarItem: () => ({ text: '', tooltip: '', command: '', name: '', show: () => undefined, dispose: () => undefined }),
      registerWebviewPanelSerializer: () => ({ dispose: () => undefined }),
      createWebviewPanel: (viewType: string, title: string) => {
        const panel = { viewType, title, html: '' };
        this.panels.push(panel);
        const webview = {
          options: {},
          cspSource: 'vscode-webview://fake',
          asWebviewUri: (uri: { fsPath: string }) => ({ toString: () => `vscode-webview://fake${uri.fsPath}` }),
          postMessage: async () => true,
          onDidReceiveMessage: () => ({ dispose: () => undefined }),
          set html(text: string) {
            panel.html = text;
          },
          get html() {
            return panel.html;
          },
        };
        return { webview, reveal: () => undefined, dispose: () => undefined, onDidDispose: () => ({ dispose: () => undefined }) };
      },
      get state() {
        return { focused: fake.focused };
      },
    },
    commands: {
      registerCommand: (id: string, callback: Callback) => {
        if (this.registered.has(id)) throw new Error(`command '${id}' already exists`);
        this.registered.set(id, callback);
        return { dispose: () => this.registered.delete(id) };
      },
      registerTextEditorCommand: (id: string, callback: Callback) => this.api.commands.registerCommand(id, callback),
      executeCommand: async (id: string, ...args: unknown[]) => {
        this.executed.push([id, ...args]);
        return this.registered.get(id)?.(...args);
      },
    },
    Uri: {
      file: (path: string) => ({ fsPath: path, toString: () => `file://${path}` }),
      joinPath: (base: { fsPath: string }, ...parts: string[]) => ({ fsPath: join(base.fsPath, ...parts) }),
    },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ViewColumn: { Active: -1 },
  };

  constructor() {
    super();
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    fake = this;
  }

  /** Runs a registered command as the Command Palette would (what it returns, or throws, as it does). */
  run(id: string, ...args: unknown[]): unknown {
    const callback = this.registered.get(id);
    if (!callback) throw new Error(`no command ${id}`);
    return callback(...args);
  }

  /** An extension context: global storage in `folder`, the manifest from `extension`. */
  context(folder: string, extension: FakeExtension): vscode.ExtensionContext {
    return {
      subscriptions: [],
      globalState: this.globalState,
      secrets: {
        get: async (key: string) => this.secrets.get(key),
        store: async (key: string, value: string) => void this.secrets.set(key, value),
        delete: async (key: string) => void this.secrets.delete(key),
      },
      globalStorageUri: { fsPath: folder },
      extensionPath: join(folder, '..', 'extension'),
      extensionUri: { fsPath: join(folder, '..', 'extension') },
      extension: {
        packageJSON: {
          name: extension.name,
          publisher: extension.publisher,
          displayName: extension.displayName,
          version: extension.version,
          contributes: { commands: (extension.commands ?? []).map((command) => ({ command })) },
        },
      },
    } as unknown as vscode.ExtensionContext;
  }
}

let fake: FakeVscodeApi;
