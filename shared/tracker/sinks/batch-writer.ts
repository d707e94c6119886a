import type { SinkContext, TrackerEvent } from './sink.ts';

/**
 * Gathers the events a sink is given in one task and writes them as one
 * batch a microtask later, each batch after the one before, so that `flush`
 * and `stop` can wait for everything written so far.
 */
export class BatchWriter {
  private pending: TrackerEvent[] = [];
  private scheduled = false;
  /** The last write: what `flush`, `stop` and `deleteStored` wait for. */
  writing: Promise<void> = Promise.resolve();

  constructor(
    /** Writes one batch; reports its own failures through `onError` rather than throwing. */
    private readonly writeBatch: (events: TrackerEvent[], onError: SinkContext['onError']) => Promise<void>,
    /** The sink's context: null before `start` and after `stop`, when nothing is written. */
    private readonly context: () => SinkContext | null,
  ) {}

  add(event: TrackerEvent): void {
    this.pending.push(event);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => void this.flush());
  }

  /** Writes what is pending now; resolves when every batch so far is written. */
  flush(): Promise<void> {
    this.scheduled = false;
    const events = this.pending;
    this.pending = [];
    const context = this.context();
    if (events.length === 0 || !context) return this.writing;
    const { onError } = context;
    this.writing = this.writing.then(() => this.writeBatch(events, onError));
    return this.writing;
  }

  /** Forgets what is pending (consent revoked). */
  drop(): void {
    this.pending = [];
  }
}
