/**
 * The upload queue: events the user agreed to share go to the author's
 * Footprint server (`POST <url>/v1/events`), batched, retried with backoff,
 * surviving restarts and several windows, each event stored once (the
 * server drops an event whose uuid it holds, so a retry of a batch whose
 * answer was lost counts nothing twice).
 *
 *   <storage>/outbox/<pid>-<id>.ndjson              a window's events to send (journal.ts's files)
 *   <storage>/outbox/<pid>-<id>-<time>-<n>.sealed   closed, waiting to be sent; after each batch the
 *                                                   server took, rewritten with what is left, deleted when empty
 *   <storage>/upload.lock                           held while sending (lock.ts): one window sends at a time
 *   <storage>/sent.ndjson                           every event the server took, with when and where (sent-log.ts)
 *
 * An event is appended to the window's outbox when it is recorded (one
 * synchronous append, like the local journal). A send seals this window's
 * outbox and those of windows that no longer run, then, under the lock,
 * sends the sealed files oldest first. An event is logged as sent only
 * after the server answered for it, and leaves the outbox only after that.
 */
import { join } from 'node:path';
import { acquireLock } from './lock.ts';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts';
import { Journal, listSealed, sealOrphans, type JournalEvent } from './journal.ts';
import { countLines, discardOutboxes, OUTBOX_SUBFOLDER, readOutbox, rewriteOutbox } from './outbox.ts';
import { appendSent, forgetSent, readSent, type SentRecord } from './sent-log.ts';
import { postBatch, postErasure, type BatchAnswer, type Erasure } from './upload-request.ts';
import { checkUploadTarget, type UploadTarget } from './upload-target.ts';
import { Serial } from './serial.ts';

export type { UploadTarget } from './upload-target.ts';
export type { SentRecord } from './sent-log.ts';
export type { Erasure } from './upload-request.ts';

export const UPLOAD_LOCK_FILE = 'upload.lock';

export interface UploaderOptions {
  /** The extension's global storage folder. */
  folder: string;
  /** This window's outbox id (`<pid>-<id>`); default a fresh one. */
  windowId?: string;
  target: UploadTarget;
  /**
   * Asked for each event right before it is sent: whether both consents
   * and the telemetry level still allow it. An event refused stays in the
   * outbox (the level can come back) and is asked about again next time.
   */
  may: (event: JournalEvent) => boolean;
  /** Shown to the user, after the extension's name (the library prefixes it): a refusal by the server, events it rejected. */
  warn(message: string): void;
  fetch?: typeof fetch;
  now?: () => number;
  /** Events per request; default 500 (the server takes up to 10,000). */
  batchSize?: number;
  /** Send this long after the last enqueue, in ms; default 2,000. */
  delayMs?: number;
  /** Pauses between failed attempts; default 1 s doubling to 5 min, with jitter. A `Retry-After` is honoured. */
  backoff?: BackoffOptions;
  /** Wait this long for another window's send, in ms; default 10,000. */
  lockTimeoutMs?: number;
  /** A request without an answer by then is retried, in ms; default 30,000 (well under the lock's 60 s staleness). */
  requestTimeoutMs?: number;
}

/** What one send did. */
export interface UploadReport {
  /** Events the server took (stored now, or earlier: see `duplicates`). */
  sent: number;
  /** Of those, events it held already (a retry after a lost answer). */
  duplicates: number;
  /** Events it refused as invalid: dropped from the outbox, never retried. */
  rejected: number;
  /** Events left in the outbox: not allowed now (`may`), or not sent because of `error`. */
  kept: number;
  /** Why sending stopped before the outbox was empty: a failure (retried after `retryInMs`), a refusal, or `stop()`. */
  error?: string;
  retryInMs?: number;
}

function checkCount(value: number | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name}: must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return value;
}

/** Thrown inside a send when `stop()` came: ends it without a retry. */
class Stopped extends Error {}

export class Uploader {
  /** This window's outbox. */
  readonly outbox: Journal;
  private readonly target: UploadTarget;
  private readonly batchSize: number;
  private readonly delayMs: number;
  private readonly backoff: Backoff;
  private readonly now: () => number;
  private readonly fetch: typeof fetch;
  private stopped = false;
  /** Aborts the request in flight on `stop()`. */
  private controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** A retry is pending after a failure: new events wait for it rather than bring it forward. */
  private backingOff = false;
  private readonly queue = new Serial();
  /** Messages warned about since the last success: a refusal repeated every few minutes is shown once. */
  private readonly warned = new Set<string>();

  constructor(private readonly options: UploaderOptions) {
    this.target = checkUploadTarget(options.target);
    this.batchSize = checkCount(options.batchSize, 'batchSize', 500, 1, 10_000);
    this.delayMs = checkCount(options.delayMs, 'delayMs', 2_000, 0, 86_400_000);
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF);
    this.now = options.now ?? Date.now;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.outbox = new Journal(options.folder, options.windowId, OUTBOX_SUBFOLDER);
  }

  private get folder(): string {
    return this.options.folder;
  }

  /**
   * Puts an event in this window's outbox (on disk when this returns) and
   * schedules a send `delayMs` later: none while stopped, and none sooner
   * than a retry already waiting after a failure.
   */
  enqueue(event: JournalEvent): void {
    this.outbox.append(event);
    if (!this.stopped && !this.backingOff) this.schedule(this.delayMs);
  }

  /**
   * Sends what every window left in the outbox, now. Resolves to what it
   * did; a failure is in the report (`error`), with a retry scheduled.
   */
  flush(): Promise<UploadReport> {
    return this.queue.run(() => this.send());
  }

  /** Aborts the request in flight at once and cancels pending sends; nothing is sent until `start()`. */
  stop(): void {
    this.stopped = true;
    this.controller.abort();
    this.cancelTimer();
  }

  /** Sends again after `stop()`: what the outbox holds goes after `delayMs`. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.controller = new AbortController();
    this.schedule(this.delayMs);
  }

  /**
   * Sharing was withdrawn: stops, then deletes every window's outbox (under
   * the lock, so no window is sending them). Resolves to how many events
   * were dropped. Stays stopped.
   */
  discard(): Promise<number> {
    this.stop();
    return this.queue.run(() => this.underLock(async () => discardOutboxes(this.folder)));
  }

  /** Every event the server took, oldest first, each once. */
  async sent(): Promise<SentRecord[]> {
    return readSent(this.folder);
  }

  /** Clears the sent log. */
  async forgetSent(): Promise<void> {
    forgetSent(this.folder);
  }

  /**
   * Asks the server to erase every event of this installation: `secret` is
   * its installation secret, from which the server derives the user id.
   * Throws an Error with the server's message when it refuses.
   */
  erase(secret: string): Promise<Erasure> {
    if (typeof secret !== 'string' || secret === '') return Promise.reject(new Error('secret: must be the installation secret, a non-empty string'));
    return postErasure(this.target, secret, this.fetch);
  }

  /** The window closes: stops, and seals this window's outbox so the next window to send finds it at once. */
  dispose(): void {
    this.stop();
    this.outbox.seal();
  }

  private cancelTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.backingOff = false;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((error: unknown) => this.warnOnce(`sending usage data failed (${error instanceof Error ? error.message : String(error)}); the events stay in the outbox.`));
    }, ms);
    // A pending send must not keep a process (a test, a closing host) alive.
    (this.timer as { unref?: () => void }).unref?.();
  }


  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.options.warn(message);
  }

  private async underLock<T>(work: () => Promise<T>): Promise<T> {
    const release = await acquireLock(join(this.folder, UPLOAD_LOCK_FILE), this.options.lockTimeoutMs === undefined ? {} : { timeoutMs: this.options.lockTimeoutMs });
    try {
      return await work();
    } finally {
      release();
    }
  }

  private async send(): Promise<UploadReport> {
    const report: UploadReport = { sent: 0, duplicates: 0, rejected: 0, kept: 0 };
    if (this.stopped) return { ...report, error: 'stopped: nothing is sent until start()' };
    this.cancelTimer();
    this.outbox.seal();
    sealOrphans(this.folder, { subfolder: OUTBOX_SUBFOLDER });
    try {
      await this.underLock(async () => {
        const files = listSealed(this.folder, OUTBOX_SUBFOLDER);
        for (const [index, path] of files.entries()) {
          const failure = await this.sendFile(path, report);
          if (failure !== null) {
            for (const later of files.slice(index + 1)) report.kept += countLines(later);
            throw failure;
          }
        }
      });
    } catch (error) {
      if (error instanceof Stopped) return { ...report, error: 'stopped: nothing is sent until start()' };
      this.retryLater(report, error instanceof Failure ? error : new Failure(error instanceof Error ? error.message : String(error), this.backoff.next()));
    }
    return report;
  }

  private retryLater(report: UploadReport, failure: Failure): void {
    report.error = failure.message;
    report.retryInMs = failure.retryInMs;
    if (this.stopped) return;
    this.schedule(failure.retryInMs);
    this.backingOff = true;
  }

  /**
   * Sends one sealed file in batches, asking `may` for each event right
   * before its batch goes. Returns null when every event it may send went,
   * else the failure that stopped it (its events stay in the file).
   */
  private async sendFile(path: string, report: UploadReport): Promise<Failure | null> {
    const { events, unreadable } = readOutbox(path);
    if (unreadable > 0) this.options.warn(`${unreadable} line(s) of ${path} were not events (cut short by a crash?) and are not sent.`);
    const held: JournalEvent[] = [];
    let next = 0;
    for (;;) {
      const batch: JournalEvent[] = [];
      while (next < events.length && batch.length < this.batchSize) {
        const event = events[next++]!;
        (this.options.may(event) ? batch : held).push(event);
      }
      if (batch.length === 0) break;
      if (this.stopped) throw new Stopped();
      let outcome;
      try {
        outcome = await postBatch(this.target, batch, { fetch: this.fetch, signal: this.controller.signal, timeoutMs: this.options.requestTimeoutMs ?? 30_000, now: this.now() });
      } catch (error) {
        if (this.stopped) throw new Stopped();
        throw error;
      }
      if (outcome.kind !== 'answered') {
        report.kept += events.length - next + batch.length + held.length;
        if (outcome.kind === 'refused') {
          this.warnOnce(`the usage server refused the events (${outcome.message}); they are kept and sent again later.`);
          return new Failure(outcome.message, this.backoff.longest());
        }
        const pause = this.backoff.next();
        return new Failure(outcome.message, outcome.retryAfterMs ?? pause);
      }
      this.took(batch, outcome.answer, report);
      // Logged as sent first: a crash between the two sends the batch again, which the server and the log count once.
      rewriteOutbox(path, [...held, ...events.slice(next)]);
    }
    report.kept += held.length;
    return null;
  }

  /** A batch the server answered for: logs what it took, warns about what it refused. */
  private took(batch: readonly JournalEvent[], answer: BatchAnswer, report: UploadReport): void {
    this.backoff.reset();
    this.warned.clear();
    const refused = new Map(answer.rejected.map((r) => [r.index, r.reason]));
    const taken = batch.filter((_, index) => !refused.has(index));
    appendSent(this.folder, taken, this.now(), this.target.url);
    report.sent += taken.length;
    report.duplicates += answer.duplicates;
    report.rejected += refused.size;
    if (refused.size > 0) {
      const named = [...refused].map(([index, reason]) => `${batch[index]!.event} (${reason})`).join('; ');
      this.options.warn(`the usage server refused ${refused.size} event(s) as invalid; they are not sent again: ${named}.`);
    }
    if (answer.bots) this.options.warn(`the usage server took ${answer.bots} event(s) for a bot's and did not store them.`);
  }
}

/** A send that did not get through, and when to try again. */
class Failure extends Error {
  constructor(
    message: string,
    readonly retryInMs: number,
  ) {
    super(message);
  }
}
