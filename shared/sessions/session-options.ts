import { SpecError } from '../errors.ts';
import { optionalBoolean, optionalEnum, optionalInteger, type SpecObject } from '../query/fields.ts';

/** How events are grouped into sessions (METRICS.md section 3). */
export interface SessionOptions {
  /** Inactivity, in minutes, after which the next event starts a new session; default 30. */
  gapMinutes?: number;
  /** Longest session, in minutes; an event that would make it longer starts a new one; default 1440. */
  maxMinutes?: number;
  /** Start a new session when the local date changes; default false. */
  splitAtMidnight?: boolean;
  /**
   * `auto` (default): events with a `session_id` are grouped by it, the
   * others by the rules above; `property`: only `session_id` (events without
   * one belong to no session); `gap`: the rules above, ignoring `session_id`.
   */
  sessionSource?: 'auto' | 'property' | 'gap';
}

export const SESSION_FIELDS = ['gapMinutes', 'maxMinutes', 'splitAtMidnight', 'sessionSource'] as const;

export function readSessionOptions(spec: SpecObject): Required<SessionOptions> {
  const options = {
    gapMinutes: optionalInteger(spec, 'gapMinutes', 1, 10_080) ?? 30,
    maxMinutes: optionalInteger(spec, 'maxMinutes', 1, 525_600) ?? 1440,
    splitAtMidnight: optionalBoolean(spec, 'splitAtMidnight') ?? false,
    sessionSource: optionalEnum(spec, 'sessionSource', ['auto', 'property', 'gap'] as const) ?? 'auto',
  };
  if (options.maxMinutes < options.gapMinutes) throw new SpecError('maxMinutes', 'must not be shorter than gapMinutes');
  return options;
}

/** The options the store keeps sessions for at ingest (shared/store/kept-sessions.ts). */
export const DEFAULT_SESSION_OPTIONS: Required<SessionOptions> = Object.freeze(readSessionOptions({}));

/** Whether `options` are the defaults: the sessions kept at ingest answer for them. */
export function isDefaultSessionOptions(options: Required<SessionOptions>): boolean {
  return SESSION_FIELDS.every((field) => options[field] === DEFAULT_SESSION_OPTIONS[field]);
}
