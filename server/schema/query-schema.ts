import pkg from '../../package.json' with { type: 'json' };
import { QUERY_KINDS } from '../../shared/query/kinds.ts';
import type { JsonSchema } from './json-schema.ts';
import { KIND_SCHEMAS } from './kind-schemas.ts';
import { SPEC_DEFS } from './spec-defs.ts';

/** Where the spec schema says it lives; `version` tells its releases apart. */
export const QUERY_SPEC_SCHEMA_ID = 'https://footprint.dev/schema/query-spec.json';

/**
 * The JSON Schema (draft 2020-12) of a query spec, the body `POST
 * /v1/query` takes and `store.query` runs: one of the kinds, told apart by
 * `kind`, each with exactly the fields its validator reads. `GET
 * /v1/schema` sends it, so a client can check a spec before sending it and
 * an editor can complete one.
 *
 * It checks shapes, enums and ranges. A few rules that compare two values
 * stay with the server, which answers 400 naming the field: `from` after
 * `to`, `maxMinutes` below `gapMinutes`, `rules.power.days` above
 * `rules.power.of`, an exclusion's steps beyond `steps`, `stepWindows`
 * longer than `steps`, a `paths` anchor or name both in `include` and
 * `exclude`, a calendar date that does not exist (`2026-02-30`), a
 * window's shorthand over ten years, and an unknown time zone.
 *
 * `version` is the package's, so a client can tell which release's specs
 * it describes; it is an annotation no validator acts on (Ajv in strict
 * mode needs `ajv.addKeyword('version')`).
 */
export const querySpecSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: QUERY_SPEC_SCHEMA_ID,
  title: 'Footprint query spec',
  description: 'A query for `POST /v1/query` or `store.query`: a plain JSON object with a `kind` (METRICS.md has every definition).',
  version: pkg.version,
  type: 'object',
  properties: { kind: { enum: [...QUERY_KINDS] } },
  required: ['kind'],
  oneOf: QUERY_KINDS.map((kind) => ({ $ref: `#/$defs/${kind}Query` })),
  $defs: { ...Object.fromEntries(QUERY_KINDS.map((kind) => [`${kind}Query`, KIND_SCHEMAS[kind]])), ...SPEC_DEFS },
};
