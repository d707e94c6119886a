/** The settable thresholds of the `segments` kind's labelling rules; every field optional. */
export interface SegmentRules {
  /** `power`: active (any event) on at least `days` (12) of the last `of` (28) calendar days of the range. */
  power?: { days?: number; of?: number };
  /**
   * `struggling`: at least `sessions` (2) sessions with a friction signal, or
   * at least `abandonments` (2) sessions that abandoned the `funnel` at one
   * same step.
   */
  struggling?: { sessions?: number; abandonments?: number };
  /** `exploring`: at least `events` (8) distinct event names in the user's first `sessions` (3) of the query's sessions, and no friction signal at all. */
  exploring?: { events?: number; sessions?: number };
}

/**
 * The thresholds METRICS.md section 12 gives, in force where `rules` leaves
 * a field out. A module of its own so that a widget can put the rules in
 * force into words without bundling the query.
 */
export const DEFAULT_SEGMENT_RULES = {
  power: { days: 12, of: 28 },
  struggling: { sessions: 2, abandonments: 2 },
  exploring: { events: 8, sessions: 3 },
} as const satisfies Required<{ [K in keyof SegmentRules]-?: Required<NonNullable<SegmentRules[K]>> }>;
