import { DEFAULT_WINDOW, WINDOW_UNITS } from '../../shared/metrics/funnel-window.ts';
import { MAX_STEPS } from '../../shared/metrics/funnel-steps.ts';
import { DEFAULT_SEGMENT_RULES } from '../../shared/metrics/segment-rules.ts';
import { MAX_PROPERTY_CONDITIONS, PROPERTY_OPERATORS } from '../../shared/query/property-filter.ts';
import { orNull, type JsonSchema } from './json-schema.ts';

/**
 * The pieces several kinds share, as the spec schema's `$defs`. Ranges,
 * enums and lengths are the ones the validators in shared/ enforce (their
 * constants where they export one); the descriptions are their types' doc
 * comments. test/server/query-schema.node.test.ts checks them against the
 * store.
 */

/** Longest event or property name ingest accepts (METRICS.md section 1), and what `optionalString` allows by default. */
export const MAX_NAME = 200;

/** `YYYY-MM-DD` or an ISO 8601 date-time as shared/time/parse.ts reads it: `T` or a space, seconds and fraction optional, `Z` or an offset optional, blanks around ignored. */
const DATE_OR_TIME_PATTERN =
  '^\\s*\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])([Tt ]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d([.,]\\d{1,9})?)?([Zz]|[+-]\\d{2}(:?\\d{2})?)?)?\\s*$';

/** Most a window may be in each unit: ten years (3,653 days), as shared/metrics/funnel-window.ts caps it. */
const MAX_WINDOW: Record<(typeof WINDOW_UNITS)[number], number> = { minute: 3653 * 1440, hour: 3653 * 24, day: 3653, week: Math.floor(3653 / 7) };

const eventName: JsonSchema = { type: 'string', minLength: 1, maxLength: MAX_NAME, description: 'An event name (1..200 characters).' };

const dateOrTime: JsonSchema = {
  type: 'string',
  pattern: DATE_OR_TIME_PATTERN,
  description:
    'A `YYYY-MM-DD` date (a `from` starts with that day, a `to` ends with it) or an ISO 8601 date-time (that instant; without `Z` or an offset, wall-clock time in the query\'s time zone). Both ends are inclusive (METRICS.md section 2).',
  examples: ['2026-11-01', '2026-11-28T12:00:00Z'],
};

const propertyValue: JsonSchema = {
  description: 'A value compared with a property: text, a number or a boolean.',
  type: ['string', 'number', 'boolean'],
};

const propertyCondition: JsonSchema = {
  type: 'object',
  description:
    '`=` / `!=` with a number compare numerically (text holding a number counts as it); with text or a boolean they compare the property\'s text form. `!=` also matches events without the property. `contains` is a case-insensitive substring test on text. `>` / `<` take a number and match only properties that are numbers (or text holding one).',
  properties: {
    op: { enum: [...PROPERTY_OPERATORS] },
    value: { $ref: '#/$defs/propertyValue' },
  },
  required: ['op', 'value'],
  additionalProperties: false,
  allOf: [
    { if: { properties: { op: { enum: ['>', '<'] } } }, then: { properties: { value: { type: 'number' } } } },
    { if: { properties: { op: { const: 'contains' } } }, then: { properties: { value: { type: 'string', minLength: 1 } } } },
  ],
};

const propertyFilter: JsonSchema = {
  type: 'object',
  description:
    'Conditions on event properties, all of which must hold: a property name maps to a value (the property equals it) or to `{ op, value }` (METRICS.md section 8).',
  propertyNames: { type: 'string', minLength: 1, maxLength: MAX_NAME },
  maxProperties: MAX_PROPERTY_CONDITIONS,
  additionalProperties: { anyOf: [{ $ref: '#/$defs/propertyValue' }, { $ref: '#/$defs/propertyCondition' }] },
  examples: [{ plan: 'pro' }, { amount: { op: '>', value: 10 } }],
};

const window: JsonSchema = {
  description: 'A length of time, elapsed (a day is 24 hours): `{ value, unit }`, or a whole number and the unit\'s initial (`30m`, `2h`, `7d`, `2w`). At least 1, at most ten years.',
  anyOf: [
    { type: 'string', pattern: '^\\d{1,9}[mhdw]$' },
    {
      type: 'object',
      properties: {
        value: { type: 'integer', minimum: 1 },
        unit: { enum: [...WINDOW_UNITS] },
      },
      required: ['value', 'unit'],
      additionalProperties: false,
      allOf: WINDOW_UNITS.map((unit) => ({
        if: { properties: { unit: { const: unit } } },
        then: { properties: { value: { type: 'integer', maximum: MAX_WINDOW[unit] } } },
      })),
    },
  ],
  examples: ['7d', { ...DEFAULT_WINDOW }],
};

const funnelStep: JsonSchema = {
  description: 'A funnel step: an event name, or an event name with property conditions.',
  anyOf: [
    { $ref: '#/$defs/eventName' },
    {
      type: 'object',
      properties: { event: { $ref: '#/$defs/eventName' }, where: orNull({ $ref: '#/$defs/propertyFilter' }) },
      required: ['event'],
      additionalProperties: false,
    },
  ],
};

const funnelExclusion: JsonSchema = {
  type: 'object',
  description:
    'An attempt in which `event` happens after step `from` and before step `to` (0-based step indexes, `from` < `to`) is discarded. The event may not be the event of a step it spans.',
  properties: {
    event: { $ref: '#/$defs/eventName' },
    from: { type: 'integer', minimum: 0, maximum: MAX_STEPS - 2 },
    to: { type: 'integer', minimum: 1, maximum: MAX_STEPS - 1 },
  },
  required: ['event', 'from', 'to'],
  additionalProperties: false,
};

/** An options object of whole-number or decimal thresholds, each optional. */
function thresholds(description: string, fields: Record<string, JsonSchema>): JsonSchema {
  const properties = Object.fromEntries(Object.entries(fields).map(([name, schema]) => [name, { ...schema, type: [schema.type, 'null'] }]));
  return { type: 'object', description, properties, additionalProperties: false };
}

const rageClickRule = thresholds('Settings of rage-click detection; every field optional.', {
  clicks: { type: 'integer', minimum: 2, maximum: 1000, default: 3, description: 'Clicks a burst needs.' },
  seconds: { type: 'number', minimum: 0.001, maximum: 3600, default: 1, description: 'Longest burst, from its first click to its last, in seconds (inclusive).' },
  pixels: { type: 'number', minimum: 0, maximum: 100_000, default: 30, description: 'Farthest a click of a burst may be from its first click, `|dx| + |dy|` in pixels (inclusive).' },
});

const repeatedErrorRule = thresholds('Settings of repeated-error detection.', {
  count: { type: 'integer', minimum: 2, maximum: 100_000, default: 3, description: 'Occurrences of one normalized message in one session that make a repeat.' },
});

const thrashingRule = thresholds('Settings of thrashing detection.', {
  count: { type: 'integer', minimum: 2, maximum: 100_000, default: 5, description: 'Events of one name a burst needs.' },
  seconds: { type: 'number', minimum: 0.001, maximum: 86_400, default: 60, description: 'Longest burst, from its first event to its last, in seconds (inclusive).' },
});

const { power, struggling, exploring } = DEFAULT_SEGMENT_RULES;
const segmentRules: JsonSchema = {
  type: 'object',
  description: "The settable thresholds of the `segments` kind's labelling rules; every field optional.",
  properties: {
    power: {
      ...thresholds('`power`: active (any event) on at least `days` of the last `of` calendar days of the range (`days` <= `of`).', {
        days: { type: 'integer', minimum: 1, maximum: 366, default: power.days },
        of: { type: 'integer', minimum: 1, maximum: 366, default: power.of },
      }),
      type: ['object', 'null'],
    },
    struggling: {
      ...thresholds('`struggling`: at least `sessions` sessions with a friction signal, or at least `abandonments` sessions that abandoned the `funnel` at one same step.', {
        sessions: { type: 'integer', minimum: 1, maximum: 10_000, default: struggling.sessions },
        abandonments: { type: 'integer', minimum: 1, maximum: 10_000, default: struggling.abandonments },
      }),
      type: ['object', 'null'],
    },
    exploring: {
      ...thresholds("`exploring`: at least `events` distinct event names in the user's first `sessions` of the query's sessions, and no friction signal at all.", {
        events: { type: 'integer', minimum: 1, maximum: 10_000, default: exploring.events },
        sessions: { type: 'integer', minimum: 1, maximum: 10_000, default: exploring.sessions },
      }),
      type: ['object', 'null'],
    },
  },
  additionalProperties: false,
};

/** The `$defs` of the spec schema, by name. */
export const SPEC_DEFS: Record<string, JsonSchema> = {
  eventName,
  dateOrTime,
  propertyValue,
  propertyCondition,
  propertyFilter,
  window,
  funnelStep,
  funnelExclusion,
  rageClickRule,
  repeatedErrorRule,
  thrashingRule,
  segmentRules,
};
