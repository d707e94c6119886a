import { FUNNEL_ORDERS } from '../../shared/metrics/funnel.ts';
import { MAX_EXCLUSIONS, MAX_STEPS } from '../../shared/metrics/funnel-steps.ts';
import { RETENTION_BASES, RETENTION_COHORTS, RETENTION_CRITERIA } from '../../shared/metrics/retention.ts';
import { TREND_MATHS } from '../../shared/metrics/trend.ts';
import type { QueryKind } from '../../shared/query/kinds.ts';
import { orNull, ref, type JsonSchema } from './json-schema.ts';
import { MAX_NAME } from './spec-defs.ts';
import {
  commonFields,
  frictionFields,
  funnelAbandonmentFields,
  funnelWindowNeedsFunnel,
  intervalField,
  noPeriodsField,
  periodsField,
  periodsOrFrom,
  rangeFields,
  sessionFields,
} from './spec-fields.ts';

/**
 * The schema of each kind's spec, written beside what its validator
 * (`shared/metrics/<kind>.ts`) reads. Keyed by `QueryKind`, so a new kind
 * fails the type check until it has one here.
 */

/** One kind's spec: its fields, no others (every validator calls `rejectUnknownFields`), and the rules across fields. */
function kindSchema(description: string, properties: Record<string, JsonSchema>, rules: { required?: string[]; allOf?: JsonSchema[] } = {}): JsonSchema {
  return {
    type: 'object',
    description,
    properties,
    required: ['kind', ...(rules.required ?? [])],
    additionalProperties: false,
    ...(rules.allOf ? { allOf: rules.allOf } : {}),
  };
}

const event = (description: string): JsonSchema => orNull(ref('eventName'), { description });
const anyEvent = event('Only events of this name; default any event.');

/** Kinds with an `interval`: `from` and `to`, or `periods` and `to`. */
const periodRange = { ...rangeFields, periods: periodsField };
/** Kinds without one, which count `[from, to]` exactly. */
const exactRange = { ...rangeFields, periods: noPeriodsField };

const eventNames = (description: string, minItems: number): JsonSchema =>
  orNull({ type: 'array', items: ref('eventName'), minItems, maxItems: 1000 }, { description });

export const KIND_SCHEMAS: { [K in QueryKind]: JsonSchema } = {
  events: kindSchema('The stored events themselves, newest first (METRICS.md section 13).', {
    ...commonFields('events'),
    ...rangeFields,
    event: anyEvent,
    user: orNull(
      { anyOf: [{ type: 'string', minLength: 1, maxLength: MAX_NAME }, { type: 'number' }] },
      {
        description:
          "Only this user's events: the user id as given to `ingest` (a pseudonymizing store hashes it the same way, so a person can ask for their own data). A number is read as ingest reads one (42 is the user '42').",
      },
    ),
    limit: orNull({ type: 'integer', minimum: 1, maximum: 10_000 }, { description: 'How many events to return.', default: 100 }),
    offset: orNull({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }, { description: 'How many of the newest events to skip.', default: 0 }),
  }),

  trend: kindSchema(
    'A value per period (METRICS.md section 4).',
    {
      ...commonFields('trend'),
      ...periodRange,
      event: anyEvent,
      math: orNull({ type: 'string', enum: [...TREND_MATHS] }, { description: '`wau`, `mau` and `stickiness_ratio` need interval `day`.', default: 'events' }),
      interval: intervalField('Period of each value.'),
      breakdown: orNull(
        { type: 'string', minLength: 1, maxLength: MAX_NAME },
        { description: "Split each series by this property's value: the 10 most frequent values, the rest as `other`, missing as `(none)`." },
      ),
    },
    {
      allOf: [
        periodsOrFrom,
        {
          if: { properties: { math: { enum: ['wau', 'mau', 'stickiness_ratio'] } }, required: ['math'] },
          then: { properties: { interval: { enum: ['day', null] } } },
        },
      ],
    },
  ),

  stickiness: kindSchema(
    'How many periods users were active in (METRICS.md section 5).',
    {
      ...commonFields('stickiness'),
      ...periodRange,
      event: anyEvent,
      interval: intervalField('Period users are counted in.'),
      cumulative: orNull({ type: 'boolean' }, { description: 'Count users active in at least n periods instead of exactly n.', default: false }),
    },
    { allOf: [periodsOrFrom] },
  ),

  sessions: kindSchema(
    'Session counts and durations (METRICS.md section 3): the sessions whose first event lies in `[from, to]`, each whole.',
    {
      ...commonFields('sessions'),
      ...periodRange,
      ...sessionFields,
      interval: intervalField('Period of the `series`; each session counts in the period of its first event.'),
    },
    { allOf: [periodsOrFrom] },
  ),

  retention: kindSchema(
    'Cohorts of users and how many of them came back (METRICS.md section 6).',
    {
      ...commonFields('retention'),
      ...periodRange,
      startEvent: event('The event that puts a user in a cohort; default any event.'),
      returnEvent: event('The event that counts as coming back; default any event.'),
      interval: intervalField('Cohort period.'),
      cohort: orNull(
        { type: 'string', enum: [...RETENTION_COHORTS] },
        {
          description: '`recurring`: a user is in the cohort of every period holding a start event of theirs. `first_time`: only in the cohort of their first start event ever.',
          default: 'recurring',
        },
      ),
      criterion: orNull(
        { type: 'string', enum: [...RETENTION_CRITERIA] },
        { description: '`on`: came back in period k itself. `on_or_after`: in period k or any later period of the query.', default: 'on' },
      ),
      basis: orNull(
        { type: 'string', enum: [...RETENTION_BASES] },
        {
          description:
            "`calendar`: period k is the calendar period k after the cohort's. `rolling`: period k of a member is `[t0 + k*P, t0 + (k+1)*P)` after t0, their first start event in the cohort's period, with P = 1 h, 24 h, 7 d or 30 d.",
          default: 'calendar',
        },
      ),
      minimumOccurrences: orNull(
        { type: 'integer', minimum: 1, maximum: 1_000_000 },
        { description: 'A return counts only in a period (or window) where the user did the return event at least this often.', default: 1 },
      ),
    },
    { allOf: [periodsOrFrom] },
  ),

  lifecycle: kindSchema(
    "Where each period's active users come from, and who stopped (METRICS.md section 7).",
    {
      ...commonFields('lifecycle'),
      ...periodRange,
      event: event('Only events of this name make a user active; default any event. "First event ever" always means any event name.'),
      interval: intervalField('Period users are counted in.'),
    },
    { allOf: [periodsOrFrom] },
  ),

  funnel: kindSchema(
    'How many users go through a series of steps (METRICS.md section 8), counting the events of `[from, to]` exactly.',
    {
      ...commonFields('funnel'),
      ...exactRange,
      steps: { type: 'array', items: ref('funnelStep'), minItems: 2, maxItems: MAX_STEPS, description: '2 to 20 steps: event names, or `{ event, where }` with property conditions.' },
      window: orNull(ref('window'), { description: "How long after an attempt's first event its later steps may happen (inclusive).", default: { value: 14, unit: 'day' } }),
      order: orNull(
        { type: 'string', enum: [...FUNNEL_ORDERS] },
        {
          description:
            "`ordered`: each step after the previous one, other events in between allowed. `strict`: each step's event is the user's very next event, of any name. `any`: steps in any order, each by a distinct event, all within one window from the earliest.",
          default: 'ordered',
        },
      ),
      exclusions: orNull({ type: 'array', items: ref('funnelExclusion'), maxItems: MAX_EXCLUSIONS }, { description: 'Attempts in which `event` happens between steps `from` and `to` (0-based) are discarded.' }),
      stepWindows: orNull(
        { type: 'array', prefixItems: [{ type: 'null' }], items: orNull(ref('window')), maxItems: MAX_STEPS },
        { description: "Aligned with `steps`: entry i (i >= 1), where set, bounds the time from step i-1's event to step i's. Entry 0 stays null. Not for order `any`." },
      ),
    },
    {
      required: ['steps'],
      allOf: [
        {
          if: { properties: { order: { const: 'any' } }, required: ['order'] },
          then: { properties: { stepWindows: { type: ['array', 'null'], items: { type: 'null' } } } },
        },
      ],
    },
  ),

  paths: kindSchema('The order in which events follow each other within sessions (METRICS.md section 9).', {
    ...commonFields('paths'),
    ...exactRange,
    ...sessionFields,
    start: event("Paths begin at the session's first event of this name; sessions without one are not paths."),
    end: event("Paths end at the session's last event of this name; sessions without one (or with it only before `start`) are not paths."),
    steps: orNull({ type: 'integer', minimum: 2, maximum: 20 }, { description: 'The longest path considered, in events; longer paths are cut after their first `steps` events.', default: 5 }),
    include: eventNames('Only events of these names are kept (before repeats are collapsed).', 1),
    exclude: eventNames('Events of these names are removed (before repeats are collapsed); none may be in `include`.', 0),
    limit: orNull({ type: 'integer', minimum: 1, maximum: 10_000 }, { description: 'How many transitions to report, the most frequent first.', default: 50 }),
  }),

  adoption: kindSchema(
    'Who uses each feature (an event name), how soon and how often (METRICS.md section 10).',
    {
      ...commonFields('adoption'),
      ...periodRange,
      features: {
        description:
          "Event names, each once, in the order the result should list them; or `'all'`: every event name that occurs in `[from, to]` except the reserved `$`-prefixed ones, by adopters, most first.",
        anyOf: [{ type: 'array', items: ref('eventName'), minItems: 1, uniqueItems: true }, { const: 'all' }],
      },
      interval: intervalField('Period of the `series`.'),
    },
    { required: ['features'], allOf: [periodsOrFrom] },
  ),

  errors: kindSchema(
    '`$error` events (METRICS.md section 11): totals, a series and the largest groups of messages.',
    {
      ...commonFields('errors'),
      ...periodRange,
      ...sessionFields,
      interval: intervalField('Period of the `series`.'),
    },
    { allOf: [periodsOrFrom] },
  ),

  friction: kindSchema('Rage clicks, repeated errors and thrashing in the sessions whose first event lies in `[from, to]` (METRICS.md section 12).', {
    ...commonFields('friction'),
    ...exactRange,
    ...sessionFields,
    ...frictionFields,
  }),

  segments: kindSchema(
    'One label per user active in `[from, to]`: power, struggling, exploring or casual, the first rule they match (METRICS.md section 12).',
    {
      ...commonFields('segments'),
      ...exactRange,
      ...sessionFields,
      ...frictionFields,
      ...funnelAbandonmentFields,
      rules: orNull(ref('segmentRules')),
    },
    { allOf: [funnelWindowNeedsFunnel] },
  ),
};
