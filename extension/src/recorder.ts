/**
 * Records an extension's usage through `vscode.env.createTelemetryLogger`,
 * so VS Code's rules apply on the way (its telemetry level, its cleaning of
 * personal data, the "Extension Telemetry" output channel), with a sender
 * that writes to the local journal (and, when the user shares, to the
 * outbox) instead of any telemetry service.
 */
import { randomUUID } from 'node:crypto';
import { scrubText } from '../../shared/privacy/scrub.ts';
import type { DisposableLike, EnvLike, TelemetryLoggerLike, TelemetrySenderLike } from './host-api.ts';
import type { JournalEvent } from './journal.ts';
import type { Allowed } from './telemetry-gate.ts';

/** The library's own event names (each command is recorded under its own id, e.g. `wordCount.countWords`). */
export const EVENTS = {
  sessionStart: 'session.start',
  sessionEnd: 'session.end',
  /** The name the core's `errors` metric counts. */
  error: '$error',
} as const;

/** A property value an event may carry. */
export type PropertyValue = string | number | boolean;

/** Where events go: the journal of this window. */
export interface EventSink {
  record(event: JournalEvent): void;
}

/** Longest stack kept, in characters. */
const MAX_STACK = 4000;

/**
 * A path in a stack or message (`/home/ann/x.js`, `C:\Users\ann\x.js`,
 * `file:///...`), up to the `:line:column` after it, which is kept: the
 * places in the extension's own code are what make a stack useful, the
 * folders on someone's disk are personal.
 */
const PATH_PATTERN = /(?:\b[a-z][\w+.-]*:\/\/\/?)?(?:\b[a-z]:)?(?:[\\/][^\s()'"`:\\/]+)+[\\/]?/gi;

/** A message or stack without paths, e-mails, addresses or tokens. */
export function scrubErrorText(text: string, max = MAX_STACK): string {
  const scrubbed = scrubText(text.replace(PATH_PATTERN, '<path>'));
  return scrubbed.length > max ? `${scrubbed.slice(0, max)}…` : scrubbed;
}

/** Who records: the extension and the installation. */
export interface RecorderIdentity {
  /** `publisher.name`: VS Code prefixes event names with it, the recorder takes it off. */
  extensionId: string;
  /** The installation's random id (installation.ts): every event's `user_id`. */
  userId: string;
  /**
   * A random id of this window's session, every event's `session_id`. Not
   * `vscode.env.sessionId`: every extension of a window shares that one, so
   * two authors could join their data on it.
   */
  sessionId: string;
  /** Carried by every event: `extension_version`, `vscode_version`, `platform`. */
  common: Record<string, PropertyValue>;
}

/**
 * The recorder of one window. It asks the gate before each event (VS Code's
 * logger checks its own level again), and the sender adds the ids, the
 * common properties and the time, and hands the event to the sink.
 */
export class Recorder implements DisposableLike {
  private readonly logger: TelemetryLoggerLike;
  private readonly sessionStartedAt: number;
  private sessionRecorded = false;

  constructor(
    env: Pick<EnvLike, 'createTelemetryLogger'>,
    private readonly identity: RecorderIdentity,
    private readonly allowed: () => Allowed,
    private readonly sink: EventSink,
    private readonly now: () => number = Date.now,
  ) {
    this.sessionStartedAt = now();
    // Built-in common properties (OS, VS Code version, machine and session ids) are left out: the machine id is shared by every extension, and the few that help an author are added by name.
    this.logger = env.createTelemetryLogger(this.sender(), { ignoreBuiltInCommonProperties: true });
  }

  private write(event: string, properties: Record<string, unknown>): void {
    const record: JournalEvent = {
      event,
      user_id: this.identity.userId,
      timestamp: this.now(),
      session_id: this.identity.sessionId,
      uuid: randomUUID(),
      properties: { ...properties, ...this.identity.common },
    };
    this.sink.record(record);
  }

  private sender(): TelemetrySenderLike {
    return {
      sendEventData: (eventName, data) => {
        // VS Code prefixes the extension's id: `footprint.footprint/dashboard.open`.
        const prefix = `${this.identity.extensionId}/`;
        const name = eventName.startsWith(prefix) ? eventName.slice(prefix.length) : eventName;
        const properties: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(data ?? {})) if (!key.startsWith('common.')) properties[key] = value;
        this.write(name, properties);
      },
      sendErrorData: (error, data) => {
        const command = data?.command;
        this.write(EVENTS.error, {
          name: error.name,
          message: scrubErrorText(error.message, 500),
          stack: scrubErrorText(error.stack ?? ''),
          ...(typeof command === 'string' ? { command } : {}),
        });
      },
    };
  }

  /** Records a usage event when usage may be recorded; returns whether it was. */
  usage(event: string, properties: Record<string, PropertyValue> = {}): boolean {
    if (!this.allowed().usage) return false;
    this.logger.logUsage(event, properties);
    return true;
  }

  /** One of the extension's commands ran: how long it took and whether it succeeded. */
  command(id: string, durationMs: number, success: boolean): boolean {
    return this.usage(id, { command: id, duration_ms: Math.max(0, Math.round(durationMs)), success });
  }

  /** Records an error of the extension when errors may be recorded (`command`: the command it broke). */
  error(error: unknown, command?: string): boolean {
    if (!this.allowed().errors) return false;
    this.logger.logError(error instanceof Error ? error : new Error(String(error)), command === undefined ? undefined : { command });
    return true;
  }

  /** The window's session started (once per session, as soon as usage may be recorded). */
  sessionStart(): boolean {
    if (this.sessionRecorded) return false;
    this.sessionRecorded = this.usage(EVENTS.sessionStart);
    return this.sessionRecorded;
  }

  /** The window closes: the session's length. */
  sessionEnd(): boolean {
    return this.usage(EVENTS.sessionEnd, { duration_ms: this.now() - this.sessionStartedAt });
  }

  dispose(): void {
    this.logger.dispose();
  }
}
