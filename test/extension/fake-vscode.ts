/**
 * A small hand-written stand-in for the parts of the `vscode` API the host
 * logic uses (extension/src/host-api.ts). Its telemetry logger behaves as
 * VS Code's: it prefixes the extension id, and passes usage only at level
 * `all` and errors at `all` or `error`.
 */
import type { ConfigurationChangeLike, DisposableLike, EnvLike, MementoLike, TelemetryLoggerLike, TelemetrySenderLike, WorkspaceLike } from '../../extension/src/host-api.ts';

class Emitter<T> {
  private readonly listeners = new Set<(value: T) => unknown>();
  readonly event = (listener: (value: T) => unknown): DisposableLike => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
}

export class FakeVscode {
  readonly settings = new Map<string, unknown>([['telemetry.telemetryLevel', 'all']]);
  readonly state = new Map<string, unknown>();
  readonly messages: { kind: 'info' | 'warning'; text: string; items: string[] }[] = [];
  /** Answers the next message boxes, in order (undefined: dismissed). */
  readonly answers: (string | undefined)[] = [];
  private readonly configChanged = new Emitter<ConfigurationChangeLike>();
  private readonly telemetryChanged = new Emitter<boolean>();

  /** Sets a setting (`telemetry.telemetryLevel`, `footprint.telemetry.enabled`) and fires the configuration event, as VS Code does. */
  set(key: string, value: unknown): void {
    this.settings.set(key, value);
    this.configChanged.fire({ affectsConfiguration: (section) => key === section || key.startsWith(`${section}.`) });
    if (key === 'telemetry.telemetryLevel') this.telemetryChanged.fire(this.env.isTelemetryEnabled);
  }

  readonly workspace: WorkspaceLike = {
    getConfiguration: (section) => ({
      get: <T>(key: string) => this.settings.get(section ? `${section}.${key}` : key) as T | undefined,
      update: async (key: string, value: unknown) => this.set(section ? `${section}.${key}` : key, value),
    }),
    onDidChangeConfiguration: this.configChanged.event,
  };

  /** The extension whose logger this is: VS Code prefixes event names with its id. */
  extensionId = 'footprint.footprint';

  /** False: the logger passes everything on, so a test sees what the extension's own gate lets through. */
  loggerChecksLevel = true;

  /** Set to false to model telemetry turned off some other way than the level (a policy, a command-line flag). */
  productTelemetry = true;

  private level(): string {
    return String(this.settings.get('telemetry.telemetryLevel') ?? 'all');
  }

  readonly env: EnvLike = {
    get isTelemetryEnabled() {
      return false;
    },
    onDidChangeTelemetryEnabled: this.telemetryChanged.event,
    machineId: 'machine-1',
    sessionId: 'session-1',
    createTelemetryLogger: (sender: TelemetrySenderLike): TelemetryLoggerLike => ({
      logUsage: (name, data) => {
        if (!this.loggerChecksLevel || (this.level() === 'all' && this.productTelemetry)) sender.sendEventData(`${this.extensionId}/${name}`, { ...data, 'common.vscodeversion': '1.90.0' });
      },
      logError: (error, data) => {
        if (!this.loggerChecksLevel || (['all', 'error'].includes(this.level()) && this.productTelemetry)) sender.sendErrorData(error, data);
      },
      dispose: () => undefined,
    }),
  };

  readonly globalState: MementoLike = {
    get: <T>(key: string) => this.state.get(key) as T | undefined,
    update: async (key, value) => void this.state.set(key, value),
  };

  readonly window = {
    showInformationMessage: async (text: string, ...items: string[]) => {
      this.messages.push({ kind: 'info', text, items });
      return this.answers.shift();
    },
    showWarningMessage: async (text: string, ...items: string[]) => {
      this.messages.push({ kind: 'warning', text, items });
      return this.answers.shift();
    },
  };

  constructor() {
    // `isTelemetryEnabled` is true only at level `all` (and when nothing else turned telemetry off), as in VS Code.
    const fake = this;
    Object.defineProperty(this.env, 'isTelemetryEnabled', { get: () => fake.level() === 'all' && fake.productTelemetry });
  }

  /** Models a policy turning telemetry off (or on) without a settings change. */
  setProductTelemetry(on: boolean): void {
    this.productTelemetry = on;
    this.telemetryChanged.fire(this.env.isTelemetryEnabled);
  }
}
