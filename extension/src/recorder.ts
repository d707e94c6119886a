/**
 * Records the extension's own usage through `vscode.env.createTelemetryLogger`,
 * so VS Code's rules apply on the way (its telemetry level, its cleaning of
 * personal data, the "Extension Telemetry" output channel), with a sender
 * that writes to the local journal instead of any server. Every event name
 * and property is listed in extension/telemetry.json.
 */
import { randomUUID } from 'node:crypto';
import { scrubText } from '../../shared/privacy/scrub.ts';
import type { DisposableLike, EnvLike, TelemetryLoggerLike, TelemetrySenderLike } from './host-api.ts';
import type { JournalEvent } from './journal.ts';
import type { Allowed } from './telemetry-gate.ts';

export const EXTENSION_ID = 'footprint.footprint';

/** Event names (telemetry.json describes each). Each command is recorded under its own id, e.g. `footprint.showDashboard`. */
export const EVENTS = {
  dashboardOpen: 'dashboard.open',
  widgetView: 'dashboard.widget',
  rangeChange: 'dashboard.range',
  sessionStart: 'session.start',
  sessionEnd: 'session.end',
  /** The name the core's `errors` metric counts. */
  error: '$error',
} as const;

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

/**
 * The recorder of one window. It asks the gate before each event (VS Code's
 * logger checks its own level again), and the sender adds the ids and time
 * and writes the event to the journal.
 */
export class Recorder implements DisposableLike {
  private readonly logger: TelemetryLoggerLike;
  private readonly sessionStartedAt: number;
  private sessionRecorded = false;

  constructor(
    private readonly env: Pick<EnvLike, 'machineId' | 'sessionId' | 'createTelemetryLogger'>,
    private readonly allowed: () => Allowed,
    private readonly sink: EventSink,
    private readonly now: () => number = Date.now,
  ) {
    this.sessionStartedAt = now();
    // Built-in common properties (OS, VS Code version, machine and session ids) are left out: the store needs none of them.
    this.logger = env.createTelemetryLogger(this.sender(), { ignoreBuiltInCommonProperties: true });
  }

  private write(event: string, properties: Record<string, unknown>): void {
    const record: JournalEvent = { event, user_id: this.env.machineId, timestamp: this.now(), session_id: this.env.sessionId, uuid: randomUUID() };
    if (Object.keys(properties).length > 0) record.properties = properties;
    this.sink.record(record);
  }

  private sender(): TelemetrySenderLike {
    return {
      sendEventData: (eventName, data) => {
        // VS Code prefixes the extension's id: `footprint.footprint/dashboard.open`.
        const name = eventName.startsWith(`${EXTENSION_ID}/`) ? eventName.slice(EXTENSION_ID.length + 1) : eventName;
        const properties: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(data ?? {})) if (!key.startsWith('common.')) properties[key] = value;
        this.write(name, properties);
      },
      sendErrorData: (error) => {
        this.write(EVENTS.error, {
          name: error.name,
          message: scrubErrorText(error.message, 500),
          stack: scrubErrorText(error.stack ?? ''),
        });
      },
    };
  }

  /** Records a usage event when usage may be recorded; returns whether it was. */
  usage(event: string, properties: Record<string, string | number | boolean> = {}): boolean {
    if (!this.allowed().usage) return false;
    this.logger.logUsage(event, properties);
    return true;
  }

  /** One of the extension's commands ran. */
  command(id: string): boolean {
    return this.usage(id, { command: id });
  }

  /** Records an error of the extension when errors may be recorded. */
  error(error: unknown): boolean {
    if (!this.allowed().errors) return false;
    this.logger.logError(error instanceof Error ? error : new Error(String(error)));
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
