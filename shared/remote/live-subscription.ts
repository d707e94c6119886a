/**
 * Listens to a Footprint server's change stream (`GET {endpoint}/live`):
 * `event: hello` with the project's data version on connecting, then
 * `event: change` whenever its events change, `: keep-alive` comments in
 * between. Reconnects when the stream breaks, waiting longer after each
 * failure in a row, and stops when told to or when retrying cannot help.
 */
import { readEventStream, type StreamEvent } from './event-stream.ts';
import { errorFromResponse, type ServerAnswerError } from './server-error.ts';

/** A change of the project's events: the data version the server now has, when it said one. */
export interface LiveChange {
  version?: number;
}

/** Options of `ServerSource.subscribe`. */
export interface LiveOptions {
  /**
   * Every connection that failed or broke off. `willRetry` is false when the
   * subscription stopped for good: an answer that retrying cannot mend (a
   * 401 with no way to get another token, 403, 404, 400).
   */
  onError?: (error: Error, willRetry: boolean) => void;
  /** The stream is open (its `hello` arrived), first or again. */
  onConnect?: () => void;
  /** Waits between failed connections: the first, doubled on each failure in a row up to the longest; default 1 s to 30 s. */
  backoff?: { firstMs?: number; longestMs?: number };
  /** How long the stream may stay silent before the connection counts as dead; default 60 s (the server sends a keep-alive every 25 s). */
  silenceMs?: number;
}

/** Waits after failed connections: 1 s, 2 s, 4 s ... up to 30 s, each ±20% so a crowd of pages does not come back at once. */
export const LIVE_BACKOFF = { firstMs: 1000, longestMs: 30_000 } as const;
/** Two keep-alives missed (the server sends one every 25 s) and a margin: the connection is dead even if no error says so. */
export const LIVE_SILENCE_MS = 60_000;
/** The wait before reconnecting after the server closed the stream, until its `retry:` says otherwise (the standard's default is about 3 s). */
const DEFAULT_RETRY_MS = 2000;

/** Statuses that say the request itself is wrong: asking again cannot help. */
const FINAL_STATUSES = new Set([400, 403, 404, 405]);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

export class LiveSubscription {
  private readonly stopper = new AbortController();
  private version: number | undefined;
  private retryMs = DEFAULT_RETRY_MS;
  private failures = 0;
  private readonly firstMs: number;
  private readonly longestMs: number;
  private readonly silenceMs: number;

  /**
   * `open` sends the request (with the credential, refreshed after a 401
   * when it can be); `refreshable` says whether a 401 may mend later.
   */
  constructor(
    private readonly open: (signal: AbortSignal) => Promise<Response>,
    private readonly onChange: (change: LiveChange) => void,
    private readonly options: LiveOptions,
    private readonly refreshable: boolean,
  ) {
    this.firstMs = options.backoff?.firstMs ?? LIVE_BACKOFF.firstMs;
    this.longestMs = options.backoff?.longestMs ?? LIVE_BACKOFF.longestMs;
    this.silenceMs = options.silenceMs ?? LIVE_SILENCE_MS;
    void this.run();
  }

  stop(): void {
    this.stopper.abort();
  }

  private get stopped(): boolean {
    return this.stopper.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let wait: number;
      try {
        await this.connect();
        wait = this.retryMs; // the server closed the stream: come back as it asked
      } catch (error) {
        if (this.stopped) return;
        const failure = error instanceof Error ? error : new Error(String(error));
        const status = (failure as Partial<ServerAnswerError>).status;
        const final = status !== undefined && (FINAL_STATUSES.has(status) || (status === 401 && !this.refreshable));
        this.options.onError?.(failure, !final);
        if (final) return;
        this.failures++;
        const retryAfter = (failure as Partial<ServerAnswerError>).retryAfter;
        const backoff = Math.min(this.longestMs, this.firstMs * 2 ** (this.failures - 1)) * (0.8 + Math.random() * 0.4);
        wait = retryAfter !== undefined ? Math.max(retryAfter * 1000, backoff) : backoff;
      }
      await sleep(wait, this.stopper.signal);
    }
  }

  /** One connection, until the stream ends, breaks, stays silent too long or the subscription stops. */
  private async connect(): Promise<void> {
    const connection = new AbortController();
    const stop = (): void => connection.abort(this.stopper.signal.reason);
    this.stopper.signal.addEventListener('abort', stop, { once: true });
    let silence: ReturnType<typeof setTimeout> | undefined;
    const watch = (): void => {
      clearTimeout(silence);
      silence = setTimeout(() => connection.abort(new Error(`the change stream was silent for ${this.silenceMs / 1000} s`)), this.silenceMs);
    };
    try {
      watch();
      const response = await this.open(connection.signal);
      if (!response.ok) throw await errorFromResponse(response);
      const type = response.headers.get('content-type') ?? '';
      if (!type.startsWith('text/event-stream') || !response.body) {
        await response.body?.cancel().catch(() => undefined);
        throw new Error(`the change stream answered ${type || 'no content type'} instead of text/event-stream`);
      }
      await readEventStream(response.body, { onEvent: (event) => this.onEvent(event), onRetry: (ms) => (this.retryMs = ms), onActivity: watch });
    } catch (error) {
      // An abort by the silence watch rejects with its own reason: report that, not a bare AbortError.
      throw connection.signal.aborted && !this.stopped ? connection.signal.reason : error;
    } finally {
      clearTimeout(silence);
      this.stopper.signal.removeEventListener('abort', stop);
    }
  }

  private onEvent(event: StreamEvent): void {
    if (this.stopped || (event.event !== 'hello' && event.event !== 'change')) return;
    let version: number | undefined;
    try {
      const parsed = (JSON.parse(event.data) as { version?: unknown }).version;
      if (typeof parsed === 'number') version = parsed;
    } catch {
      // A change without a readable version is still a change.
    }
    const known = this.version;
    if (version !== undefined) this.version = version;
    if (event.event === 'hello') {
      this.failures = 0;
      this.options.onConnect?.();
      // Back after a break: the events may have changed while nobody listened.
      if (known !== undefined && version !== known) this.onChange(version === undefined ? {} : { version });
      return;
    }
    if (version === undefined || version !== known) this.onChange(version === undefined ? {} : { version });
  }
}
