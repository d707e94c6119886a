/**
 * Where a recorded event goes: always to this machine's journal, and also
 * to the outbox for the author's server while the user shares. The check is
 * made per event, so a consent withdrawn or a telemetry level lowered takes
 * effect before the next one.
 */
import type { JournalEvent } from './journal.ts';
import type { EventSink } from './recorder.ts';
import type { Allowed } from './telemetry-gate.ts';

/** The outbox, as far as recording uses it (upload.ts's Uploader). */
export interface Outbox {
  enqueue(event: JournalEvent): void;
}

export class SharingSink implements EventSink {
  constructor(
    private readonly local: EventSink,
    private readonly outbox: Outbox | undefined,
    private readonly allowed: () => Allowed,
  ) {}

  record(event: JournalEvent): void {
    this.local.record(event);
    if (this.outbox && this.allowed().share) this.outbox.enqueue(event);
  }
}
