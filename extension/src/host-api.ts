/**
 * The few members of the `vscode` API the host logic uses, as plain
 * interfaces. Modules take them as parameters instead of importing `vscode`,
 * so the Node tests drive them with a small hand-written stand-in
 * (test/extension/fake-vscode.ts) and `extension.ts` passes the real API
 * (which TypeScript checks against these shapes).
 */

/** Something to dispose of, as VS Code's `Disposable`. */
export interface DisposableLike {
  dispose(): unknown;
}

/** A VS Code event: call it with a listener, get a disposable back. */
export type EventLike<T> = (listener: (value: T) => unknown) => DisposableLike;

/** What `onDidChangeConfiguration` passes. */
export interface ConfigurationChangeLike {
  affectsConfiguration(section: string): boolean;
}

/** `workspace.getConfiguration(section)`. */
export interface ConfigurationLike {
  get<T>(key: string): T | undefined;
  /** `target` 1 is `ConfigurationTarget.Global` (user settings). */
  update(key: string, value: unknown, target?: number): PromiseLike<void>;
}

/** `workspace`: settings and their changes. */
export interface WorkspaceLike {
  getConfiguration(section?: string): ConfigurationLike;
  onDidChangeConfiguration: EventLike<ConfigurationChangeLike>;
}

/** The sender VS Code hands telemetry to, after its own checks and cleaning. */
export interface TelemetrySenderLike {
  sendEventData(eventName: string, data?: Record<string, unknown>): void;
  sendErrorData(error: Error, data?: Record<string, unknown>): void;
  flush?(): void | PromiseLike<void>;
}

/** `vscode.TelemetryLogger`, as far as the recorder uses it. */
export interface TelemetryLoggerLike extends DisposableLike {
  logUsage(eventName: string, data?: Record<string, unknown>): void;
  logError(error: Error, data?: Record<string, unknown>): void;
}

/** `vscode.env`. */
export interface EnvLike {
  readonly isTelemetryEnabled: boolean;
  onDidChangeTelemetryEnabled: EventLike<boolean>;
  /** A per-installation random id (no personal data); the store's user id. */
  readonly machineId: string;
  /** Changes each time VS Code starts; the store's session id. */
  readonly sessionId: string;
  createTelemetryLogger(sender: TelemetrySenderLike, options?: { ignoreBuiltInCommonProperties?: boolean; additionalCommonProperties?: Record<string, unknown> }): TelemetryLoggerLike;
}

/** `vscode.window`'s messages, as the consent prompt and the storage warnings use them. */
export interface MessagesLike {
  showInformationMessage(message: string, ...items: string[]): PromiseLike<string | undefined>;
  showWarningMessage(message: string, ...items: string[]): PromiseLike<string | undefined>;
}

/** `ExtensionContext.globalState`. */
export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}
