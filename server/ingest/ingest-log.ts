/** One refused event, as the ingest report shows it. */
export interface Rejection {
  /** When it arrived (ISO). */
  time: string;
  /** The door it came through: `events` (the tracker's), or an SDK's (`posthog`, `segment`). */
  via: string;
  /** Its place in its request: 0-based index, and the line for NDJSON. */
  index: number;
  line?: number;
  reason: string;
}

/** Rejections kept per project: the most recent, enough to see what a sender gets wrong. */
export const KEPT_REJECTIONS = 200;

/**
 * What each project's senders got refused, and what arrived but was not
 * stored on purpose (bots, an SDK's person updates), since the server
 * started. SDKs ignore response bodies, so this is where a sender's
 * mistakes show (`GET /v1/projects/:project/ingest-report`). Kept in memory
 * only: it holds refusal reasons, which may quote a refused value.
 */
export class IngestLog {
  private readonly rejections = new Map<string, Rejection[]>();
  private readonly rejectedCounts = new Map<string, number>();
  private readonly dropped = new Map<string, Record<string, number>>();

  /** Notes refused events of one request. */
  rejected(project: string, via: string, time: number, refused: readonly { index: number; line?: number; reason: string }[]): void {
    if (refused.length === 0) return;
    this.rejectedCounts.set(project, (this.rejectedCounts.get(project) ?? 0) + refused.length);
    const kept = this.rejections.get(project) ?? [];
    for (const { index, line, reason } of refused) kept.push({ time: new Date(time).toISOString(), via, index, ...(line === undefined ? {} : { line }), reason });
    this.rejections.set(project, kept.length > KEPT_REJECTIONS ? kept.slice(-KEPT_REJECTIONS) : kept);
  }

  /** Notes `count` events taken in and not stored on purpose, for `reason` (`bots`, `person updates`, ...). */
  droppedOnPurpose(project: string, reason: string, count: number): void {
    if (count === 0) return;
    const counts = this.dropped.get(project) ?? {};
    counts[reason] = (counts[reason] ?? 0) + count;
    this.dropped.set(project, counts);
  }

  /** One project's report: counts since the start, and the latest rejections, newest first. */
  report(project: string): { rejected: number; dropped: Record<string, number>; recent: Rejection[] } {
    return { rejected: this.rejectedCounts.get(project) ?? 0, dropped: { ...this.dropped.get(project) }, recent: [...(this.rejections.get(project) ?? [])].reverse() };
  }

  /** What was dropped on purpose, summed over projects (GET /v1/health). */
  droppedTotals(): Record<string, number> {
    const totals: Record<string, number> = {};
    for (const counts of this.dropped.values()) for (const [reason, n] of Object.entries(counts)) totals[reason] = (totals[reason] ?? 0) + n;
    return totals;
  }
}
