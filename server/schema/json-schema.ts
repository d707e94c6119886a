/**
 * A JSON Schema (draft 2020-12) as a plain JSON object: what `GET
 * /v1/schema` sends, so it stays data, not a validator.
 */
export type JsonSchema = { [keyword: string]: unknown };

/** A reference to one of the spec schema's `$defs`. */
export function ref(name: string): JsonSchema {
  return { $ref: `#/$defs/${name}` };
}

/**
 * `schema` or null, with `annotations` (description, default) on the
 * whole. Every optional field of a spec may be null: the validators
 * (shared/query/fields.ts) read null as "not given", so a client that
 * writes absent values as null is not turned away. A single `type` grows
 * to `[type, 'null']` (and an `enum` takes null), which editors show more
 * plainly than an `anyOf`.
 */
export function orNull(schema: JsonSchema, annotations: JsonSchema = {}): JsonSchema {
  if (typeof schema.type !== 'string') return { ...annotations, anyOf: [schema, { type: 'null' }] };
  const nullable: JsonSchema = { ...schema, type: [schema.type, 'null'] };
  if (Array.isArray(schema.enum)) nullable.enum = [...(schema.enum as unknown[]), null];
  return { ...annotations, ...nullable };
}
