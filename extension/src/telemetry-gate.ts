/**
 * What may be recorded and shared right now: the extension's two consent
 * settings combined with VS Code's telemetry rules. The extension's settings
 * can only narrow what VS Code allows, never widen it.
 */
import type { DisposableLike, EnvLike, WorkspaceLike } from './host-api.ts';

/** VS Code's `telemetry.telemetryLevel` values. */
export type TelemetryLevel = 'all' | 'error' | 'crash' | 'off';

/** What may be recorded. */
export interface Allowed {
  /** Commands, dashboard use, sessions. */
  usage: boolean;
  /** Errors of the extension. */
  errors: boolean;
  /** What is recorded (usage, errors or both, as above) may also be sent to the author's server. */
  share: boolean;
}

/** The consent settings' keys under the extension's section: `<section>.telemetry.enabled` (record on this machine) and `<section>.telemetry.share` (share with the author), both default false. */
export const CONSENT_KEY = 'telemetry.enabled';
export const SHARE_KEY = 'telemetry.share';

const LEVELS: readonly TelemetryLevel[] = ['all', 'error', 'crash', 'off'];

/** Reads `telemetry.telemetryLevel`; a value VS Code does not know counts as `off` (refuse when unsure). */
export function readTelemetryLevel(workspace: WorkspaceLike): TelemetryLevel {
  const level = workspace.getConfiguration('telemetry').get<string>('telemetryLevel') ?? 'all';
  return (LEVELS as readonly string[]).includes(level) ? (level as TelemetryLevel) : 'off';
}

/**
 * The matrix. `consented` is the extension's record setting; `level` VS Code's
 * `telemetry.telemetryLevel`; `isTelemetryEnabled` is `vscode.env`'s flag,
 * which VS Code sets only at level `all` (and clears when telemetry is off
 * for any other reason, e.g. a policy or `--disable-telemetry`).
 *
 * | consented | level   | isTelemetryEnabled | usage | errors |
 * |-----------|---------|--------------------|-------|--------|
 * | false     | any     | any                | no    | no     |
 * | true      | `all`   | true               | yes   | yes    |
 * | true      | `all`   | false              | no    | no     |
 * | true      | `error` | any                | no    | yes    |
 * | true      | `crash` | any                | no    | no     |
 * | true      | `off`   | any                | no    | no     |
 *
 * `crash` allows only VS Code's own crash reports, which an extension
 * never sends, so it records nothing, as `off`.
 *
 * `shareConsented` is the second setting, "share with the author": it
 * shares only what may be recorded, so it needs the first one and a level
 * that allows something. At level `error` only errors are shared.
 */
export function allowedBy(consented: boolean, level: TelemetryLevel, isTelemetryEnabled: boolean, shareConsented = false): Allowed {
  const recorded = ((): Omit<Allowed, 'share'> => {
    if (!consented) return { usage: false, errors: false };
    if (level === 'all') return { usage: isTelemetryEnabled, errors: isTelemetryEnabled };
    if (level === 'error') return { usage: false, errors: true };
    return { usage: false, errors: false };
  })();
  return { ...recorded, share: shareConsented && (recorded.usage || recorded.errors) };
}

/** Whether an event of this name may be recorded (errors are `$error`, everything else is usage). */
export function allowsEvent(allowed: Allowed, event: string): boolean {
  return event === '$error' ? allowed.errors : allowed.usage;
}

/**
 * The live gate: re-reads the setting, the level and the flag whenever one
 * of them changes, and tells listeners at once.
 */
export class TelemetryGate implements DisposableLike {
  private current: Allowed;
  private readonly listeners = new Set<(allowed: Allowed) => void>();
  private readonly subscriptions: DisposableLike[];

  /**
   * `section` is the extension's configuration section (`footprint` for
   * `footprint.telemetry.enabled`).
   */
  constructor(
    private readonly env: Pick<EnvLike, 'isTelemetryEnabled' | 'onDidChangeTelemetryEnabled'>,
    private readonly workspace: WorkspaceLike,
    readonly section: string,
  ) {
    this.current = this.compute();
    this.subscriptions = [
      env.onDidChangeTelemetryEnabled(() => this.refresh()),
      workspace.onDidChangeConfiguration((change) => {
        if (change.affectsConfiguration('telemetry') || change.affectsConfiguration(`${section}.${CONSENT_KEY}`) || change.affectsConfiguration(`${section}.${SHARE_KEY}`)) this.refresh();
      }),
    ];
  }

  /** The extension's own setting: record on this machine. */
  get consented(): boolean {
    return this.workspace.getConfiguration(this.section).get<boolean>(CONSENT_KEY) === true;
  }

  /** The second setting: share with the author. */
  get shareConsented(): boolean {
    return this.workspace.getConfiguration(this.section).get<boolean>(SHARE_KEY) === true;
  }

  get level(): TelemetryLevel {
    return readTelemetryLevel(this.workspace);
  }

  /** What may be recorded now. */
  get allowed(): Allowed {
    return this.current;
  }

  private compute(): Allowed {
    return allowedBy(this.consented, this.level, this.env.isTelemetryEnabled, this.shareConsented);
  }

  /** Re-reads everything; tells listeners when the result changed. */
  refresh(): void {
    const next = this.compute();
    if (next.usage === this.current.usage && next.errors === this.current.errors && next.share === this.current.share) return;
    this.current = next;
    for (const listener of [...this.listeners]) listener(next);
  }

  /** Calls `listener` whenever what may be recorded changes. */
  onDidChange(listener: (allowed: Allowed) => void): DisposableLike {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.listeners.clear();
  }
}
