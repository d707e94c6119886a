import { FRICTION_FIELDS } from '../../shared/metrics/friction-signals.ts';
import { FUNNEL_ABANDONMENT_FIELDS } from '../../shared/metrics/funnel-abandonment.ts';
import { MAX_STEPS } from '../../shared/metrics/funnel-steps.ts';
import { COMMON_FIELDS } from '../../shared/query/context.ts';
import { SESSION_FIELDS } from '../../shared/sessions/session-options.ts';
import { INTERVALS, MAX_PERIODS } from '../../shared/time/periods.ts';
import { orNull, ref, type JsonSchema } from './json-schema.ts';

/**
 * The fields several kinds take, as JSON Schema properties. Each group is
 * keyed by the field list its validator exports (`COMMON_FIELDS`,
 * `SESSION_FIELDS`, ...), so the type checker fails here when a group
 * gains a field this file does not describe.
 */
type FieldsOf<Names extends readonly string[]> = { [Name in Names[number]]: JsonSchema };

/** `kind`, `timezone`, `weekStart` and `where`: every kind takes them (METRICS.md section 2). */
export function commonFields(kind: string): FieldsOf<typeof COMMON_FIELDS> {
  return {
    kind: { const: kind },
    timezone: orNull({ type: 'string', minLength: 1, maxLength: 100 }, { description: "An IANA time zone, e.g. `Europe/Berlin`, overriding the store's.", examples: ['Europe/Berlin'] }),
    weekStart: orNull({ type: 'string', enum: ['monday', 'sunday'] }, { description: "First day of a week, overriding the store's." }),
    where: orNull(ref('propertyFilter'), {
      description:
        "Only events whose properties meet these conditions (as a funnel step's `where`, METRICS.md section 8) exist for the query: first events ever, sessions, cohorts and active users are all taken from them.",
    }),
  };
}

/** `from` and `to`; default the 30 days ending today. */
export const rangeFields = {
  from: orNull(ref('dateOrTime'), { description: 'First instant counted: a `YYYY-MM-DD` date (from the start of that day) or an ISO 8601 date-time. Default: the start of the day 29 days before `to`.' }),
  to: orNull(ref('dateOrTime'), { description: 'Last instant counted: a `YYYY-MM-DD` date (to the end of that day) or an ISO 8601 date-time. Default: the end of today.' }),
} satisfies Record<string, JsonSchema>;

/** `periods` of a kind with an interval; such a kind also takes `interval` (see `intervalField`). */
export const periodsField: JsonSchema = orNull(
  { type: 'integer', minimum: 1, maximum: MAX_PERIODS },
  { description: 'This many periods ending with the one containing `to`, instead of `from` (give one of them, not both).' },
);

/** `periods` of a kind without an interval: known to the validator, but only null passes. */
export const noPeriodsField: JsonSchema = { type: 'null', description: 'This kind has no interval: give `from` and `to` instead.' };

/** Giving both `from` and `periods` is an error (METRICS.md section 2). */
export const periodsOrFrom: JsonSchema = {
  if: { properties: { periods: { type: 'integer' } }, required: ['periods'] },
  then: { properties: { from: { type: 'null' } } },
};

export function intervalField(description: string): JsonSchema {
  return orNull({ type: 'string', enum: [...INTERVALS] }, { description, default: 'day' });
}

/** How events are grouped into sessions (METRICS.md section 3). */
export const sessionFields: FieldsOf<typeof SESSION_FIELDS> = {
  gapMinutes: orNull({ type: 'integer', minimum: 1, maximum: 10_080 }, { description: 'Inactivity, in minutes, after which the next event starts a new session.', default: 30 }),
  maxMinutes: orNull(
    { type: 'integer', minimum: 1, maximum: 525_600 },
    { description: 'Longest session, in minutes (not shorter than `gapMinutes`); an event that would make it longer starts a new one.', default: 1440 },
  ),
  splitAtMidnight: orNull({ type: 'boolean' }, { description: 'Start a new session when the local date changes.', default: false }),
  sessionSource: orNull(
    { type: 'string', enum: ['auto', 'property', 'gap'] },
    {
      description:
        '`auto`: events with a `session_id` are grouped by it, the others by the rules above; `property`: only `session_id` (events without one belong to no session); `gap`: the rules above, ignoring `session_id`.',
      default: 'auto',
    },
  ),
};

/** The friction thresholds a query may set (the `friction` and `segments` kinds). */
export const frictionFields: FieldsOf<typeof FRICTION_FIELDS> = {
  rageClicks: orNull(ref('rageClickRule')),
  repeatedErrors: orNull(ref('repeatedErrorRule')),
  thrashing: orNull(ref('thrashingRule')),
};

/** The funnel whose abandonments make a user `struggling` (the `segments` kind). */
export const funnelAbandonmentFields: FieldsOf<typeof FUNNEL_ABANDONMENT_FIELDS> = {
  funnel: orNull({ type: 'array', items: ref('eventName'), minItems: 2, maxItems: MAX_STEPS }, { description: '2 to 20 event names, in order.' }),
  funnelWindow: orNull(ref('window'), { description: "The funnel's window; default 14 days, as in the `funnel` kind. Needs `funnel`." }),
};

/** A `funnelWindow` without `funnel` steps is an error. */
export const funnelWindowNeedsFunnel: JsonSchema = {
  if: { properties: { funnelWindow: { not: { type: 'null' } } }, required: ['funnelWindow'] },
  then: { properties: { funnel: { type: 'array' } }, required: ['funnel'] },
};
