import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openStore, QUERY_KINDS, SpecError, type Query, type Store } from '../../shared/index.ts';
import type { JsonSchema } from '../../server/schema/json-schema.ts';
import { QUERY_SPEC_SCHEMA_ID, querySpecSchema } from '../../server/schema/query-schema.ts';
import { specsInTests } from './spec-corpus.ts';

/**
 * The spec schema against the validators it describes: what the store
 * accepts, the schema takes, and what the schema turns away, the store
 * rejects. Every check runs both on an empty store (validation comes
 * before any data is read).
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const NOW = Date.UTC(2026, 10, 28, 12);

/** Ajv as strict as it goes: unknown keywords and types left out are errors (`version` is the schema's annotation; an open tuple, `stepWindows`, is what strictTuples warns about). */
const ajv = new Ajv2020({ strict: true, strictTuples: false, allowUnionTypes: true, allErrors: true });
ajv.addKeyword('version');
/** Compiled at first use, so a schema Ajv refuses fails the tests that validate, not the file. */
let compiled: ValidateFunction | undefined;
const validate = (spec: unknown): boolean => (compiled ??= ajv.compile(querySpecSchema))(spec);
const defs = querySpecSchema.$defs as Record<string, JsonSchema>;

let store: Store;
before(async () => {
  store = await openStore({ now: () => NOW });
});

/** The store's verdict: null when it answers, else its SpecError. */
async function storeError(spec: unknown): Promise<SpecError | null> {
  try {
    await store.query(spec as Query);
    return null;
  } catch (error) {
    if (error instanceof SpecError) return error;
    throw error;
  }
}

/** '' when the schema takes `spec`, else its errors, read against the spec's own kind where it names one (a oneOf reports every branch). */
function schemaErrors(spec: unknown): string {
  if (validate(spec)) return '';
  const kind = (spec as { kind?: unknown } | null)?.kind;
  const branch = typeof kind === 'string' && (QUERY_KINDS as string[]).includes(kind) ? ajv.getSchema(`${QUERY_SPEC_SCHEMA_ID}#/$defs/${kind}Query`) : undefined;
  const errors = branch && !branch(spec) ? branch.errors : compiled!.errors;
  return (errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`).join('; ') || 'invalid';
}

/** The fields the store's validator of `kind` knows, from the error an unknown field gets (`rejectUnknownFields`). */
async function knownFields(kind: string): Promise<string[]> {
  const error = await storeError({ kind, notAField: 1 });
  const known = /\(known: (.*)\)$/.exec(error?.message ?? '');
  if (!known) throw new Error(`${kind}: no list of known fields in ${error?.message}`);
  return known[1]!.split(', ').sort();
}

/** The smallest spec of a kind the store takes. */
function baseSpec(kind: string): Record<string, unknown> {
  if (kind === 'funnel') return { kind, steps: ['a', 'b'] };
  if (kind === 'adoption') return { kind, features: ['a'] };
  return { kind };
}

/** A schema without its null alternative and `$ref`s followed: the part a present value is checked by. */
function resolved(schema: JsonSchema): JsonSchema {
  if (typeof schema.$ref === 'string') return resolved(defs[schema.$ref.replace('#/$defs/', '')]!);
  const anyOf = schema.anyOf as JsonSchema[] | undefined;
  if (anyOf?.length === 2 && anyOf[1]!.type === 'null') return resolved(anyOf[0]!);
  return schema;
}

/** Values at and just past a schema's bounds, each with whether the schema takes it. */
function probes(schema: JsonSchema): [value: unknown, valid: boolean][] {
  const out: [unknown, boolean][] = [];
  const types = [schema.type].flat();
  const { minimum, maximum, minLength, maxLength } = schema as Record<string, number | undefined>;
  if (types.includes('integer')) {
    if (minimum !== undefined) out.push([minimum, true], [minimum - 1, false], [minimum + 0.5, false]);
    if (maximum !== undefined) out.push([maximum, true], [maximum + 1, false]);
  } else if (types.includes('number')) {
    if (minimum !== undefined) out.push([minimum, true], [minimum === 0 ? -1 : minimum / 2, false]);
    if (maximum !== undefined) out.push([maximum, true], [maximum + 1, false]);
  } else if (types.includes('string') && maxLength !== undefined) {
    out.push(['x'.repeat(maxLength), true], ['x'.repeat(maxLength + 1), false], ['', (minLength ?? 0) === 0]);
  }
  if (Array.isArray(schema.enum)) {
    for (const value of schema.enum) if (value !== null) out.push([value, true]);
    out.push(['not-a-value', false], [1, false]);
  }
  return out;
}

/** Fields another field's bounds need set, as the validators compare them (`maxMinutes` >= `gapMinutes`, `rules.power.days` <= `of`). */
const COMPANIONS: Record<string, Record<string, unknown>> = {
  gapMinutes: { maxMinutes: 525_600 },
  maxMinutes: { gapMinutes: 1 },
  'rules.power.days': { rules: { power: { of: 366 } } },
  'rules.power.of': { rules: { power: { days: 1 } } },
};

/** Bounds left unprobed, and why. */
const UNPROBED: Record<string, string> = {
  'retention.periods': '10,000 daily cohorts of 10,000 values each: too long to run',
  timezone: 'the store also asks Intl whether the name is a time zone, so a long string is turned away by both for another reason',
};

/** Every bounded or enumerated field of a kind, nested options included (`rageClicks.pixels`), as [path, spec with the value, schema verdict]. */
function boundaryCases(kind: string): [string, Record<string, unknown>, boolean][] {
  const cases: [string, Record<string, unknown>, boolean][] = [];
  const walk = (properties: Record<string, JsonSchema>, path: string[]): void => {
    for (const [name, property] of Object.entries(properties)) {
      const at = [...path, name];
      const key = at.join('.');
      if (name === 'kind' || UNPROBED[key] || UNPROBED[`${kind}.${key}`]) continue;
      const schema = resolved(property);
      if (schema.properties && at.length < 3) walk(schema.properties as Record<string, JsonSchema>, at);
      for (const [value, valid] of probes(schema)) {
        let nested: unknown = value;
        for (const part of [...at].reverse()) nested = { [part]: nested };
        const companion = COMPANIONS[key] ?? {};
        const spec = { ...baseSpec(kind), ...companion, ...(nested as object) };
        if (companion.rules && at[0] === 'rules') spec.rules = { power: { ...(companion.rules as { power: object }).power, ...(nested as { rules: { power: object } }).rules.power } };
        cases.push([key, spec, valid]);
      }
    }
  };
  walk(defs[`${kind}Query`]!.properties as Record<string, JsonSchema>, []);
  return cases;
}

describe('query spec schema', () => {
  it('is a draft 2020-12 schema with its id and the package version', () => {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };
    expect(querySpecSchema.$schema).to.equal('https://json-schema.org/draft/2020-12/schema');
    expect(querySpecSchema.$id).to.equal('https://footprint.dev/schema/query-spec.json');
    expect(querySpecSchema.version).to.equal(pkg.version);
    // Plain JSON: what GET /v1/schema sends is the object itself.
    expect(JSON.parse(JSON.stringify(querySpecSchema))).to.deep.equal(querySpecSchema);
  });

  it('covers exactly QUERY_KINDS, one oneOf branch per kind told apart by kind', () => {
    const branches = (querySpecSchema.oneOf as JsonSchema[]).map((branch) => branch.$ref);
    expect(branches).to.deep.equal(QUERY_KINDS.map((kind) => `#/$defs/${kind}Query`));
    expect((querySpecSchema.properties as { kind: { enum: string[] } }).kind.enum).to.deep.equal(QUERY_KINDS);
    for (const kind of QUERY_KINDS) {
      expect(defs[`${kind}Query`], `a schema for ${kind}`).to.be.an('object');
      expect((defs[`${kind}Query`]!.properties as { kind: unknown }).kind, kind).to.deep.equal({ const: kind });
    }
    expect(schemaErrors({ kind: 'heatmap' })).to.not.equal('');
    expect(schemaErrors({})).to.not.equal('');
  });

  it("lists exactly the fields each kind's validator knows, and no others", async () => {
    for (const kind of QUERY_KINDS) {
      const def = defs[`${kind}Query`]!;
      expect(Object.keys(def.properties as object).sort(), kind).to.deep.equal(await knownFields(kind));
      expect(def.additionalProperties, kind).to.equal(false);
    }
  });

  it('takes every spec of the test suites that the store accepts, and rejects the others but for the rules it leaves to the server', async () => {
    // This file's own specs are checked one by one below.
    const found = specsInTests(`${root}test`, QUERY_KINDS).filter(({ where }) => !where.includes('query-schema.node.test.ts'));
    // The suites write several hundred specs; far fewer means the reading of the test files broke.
    expect(found.length).to.be.greaterThan(400);
    const serverOnly = [/^from: not a calendar date/, /^from: is after to/, /^timezone: not an IANA time zone/];
    const acceptedButInvalid: string[] = [];
    const rejectedButValid: string[] = [];
    let accepted = 0;
    for (const { where, spec } of found) {
      const error = await storeError(spec);
      const problems = schemaErrors(spec);
      if (error === null) {
        accepted++;
        if (problems) acceptedButInvalid.push(`${where} ${JSON.stringify(spec)}: ${problems}`);
      } else if (!problems && !serverOnly.some((rule) => rule.test(error.message))) {
        rejectedButValid.push(`${where} ${JSON.stringify(spec)}: ${error.message}`);
      }
    }
    expect(accepted).to.be.greaterThan(400);
    expect(acceptedButInvalid).to.deep.equal([]);
    expect(rejectedButValid).to.deep.equal([]);
  });

  it("takes each kind's example in the README", () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    const examples = readme
      .split('<!-- example -->')
      .slice(1)
      .map((part) => JSON.parse(/```json\n([\s\S]*?)\n```/.exec(part)![1]!) as { kind: string });
    expect(examples.map((spec) => spec.kind).sort()).to.deep.equal([...QUERY_KINDS].sort());
    for (const spec of examples) expect(schemaErrors(spec), spec.kind).to.equal('');
  });

  it('takes null for every optional field, as the store does', async () => {
    for (const kind of QUERY_KINDS) {
      const required = defs[`${kind}Query`]!.required as string[];
      for (const field of Object.keys(defs[`${kind}Query`]!.properties as object).filter((name) => !required.includes(name))) {
        const spec = { ...baseSpec(kind), [field]: null };
        expect(await storeError(spec), `${kind}.${field}`).to.equal(null);
        expect(schemaErrors(spec), `${kind}.${field}`).to.equal('');
      }
    }
  });

  it('agrees with the store at both ends of every range and on every enum', async () => {
    const disagreements: string[] = [];
    let checked = 0;
    for (const kind of QUERY_KINDS) {
      for (const [path, spec, valid] of boundaryCases(kind)) {
        checked++;
        const schemaValid = schemaErrors(spec) === '';
        const error = await storeError(spec);
        if (schemaValid !== valid || (error === null) !== valid) disagreements.push(`${kind}.${path} ${JSON.stringify(spec)}: expected ${valid}, schema ${schemaValid}, store ${error?.message ?? 'accepts'}`);
        // A bad enum value: the store's error lists its values, which must be the schema's.
        const listed = /must be one of (.*), got/.exec(error?.message ?? '');
        if (listed) {
          const values = (resolved(path.split('.').reduce<JsonSchema>((schema, name) => resolved((schema.properties as Record<string, JsonSchema>)[name]!), defs[`${kind}Query`]!)).enum as unknown[]).filter((v) => v !== null);
          if (listed[1] !== values.join(', ')) disagreements.push(`${kind}.${path}: the store takes ${listed[1]}, the schema ${values.join(', ')}`);
        }
      }
    }
    expect(checked).to.be.greaterThan(300);
    expect(disagreements).to.deep.equal([]);
  });

  describe('rejects what the store rejects', () => {
    const rejected: [string, Record<string, unknown>][] = [
      ['an unknown field', { kind: 'trend', maths: 'users' }],
      ['a field of another kind', { kind: 'lifecycle', breakdown: 'plan' }],
      ['a bad enum', { kind: 'trend', interval: 'fortnight' }],
      ['a wrong type', { kind: 'stickiness', cumulative: 'yes' }],
      ['a number as text', { kind: 'events', limit: '10' }],
      ['a date that is not one', { kind: 'events', from: '2026-13-01' }],
      ['a timestamp as a number', { kind: 'events', from: 1_764_547_200_000 }],
      ['a missing required field', { kind: 'funnel' }],
      ['one funnel step', { kind: 'funnel', steps: ['signup'] }],
      ['an unknown field of a step', { kind: 'funnel', steps: [{ event: 'a', when: 1 }, 'b'] }],
      ['an unknown field of a nested option', { kind: 'friction', rageClicks: { clicks: 3, radius: 10 } }],
      ['a nested option of a wrong type', { kind: 'segments', rules: { power: 'often' } }],
      ['an unknown operator', { kind: 'trend', where: { plan: { op: '~', value: 'pro' } } }],
      ['> with text', { kind: 'trend', where: { amount: { op: '>', value: '10' } } }],
      ['contains with empty text', { kind: 'trend', where: { path: { op: 'contains', value: '' } } }],
      ['null as a property value', { kind: 'trend', where: { plan: null } }],
      ['21 conditions', { kind: 'trend', where: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`p${i}`, i])) }],
      ['an empty property name', { kind: 'trend', where: { '': 1 } }],
      ['both from and periods', { kind: 'trend', from: '2026-11-01', periods: 3 }],
      ['periods for a kind without an interval', { kind: 'funnel', steps: ['a', 'b'], periods: 3 }],
      ['wau by week', { kind: 'trend', math: 'wau', interval: 'week' }],
      ['a window for the first step', { kind: 'funnel', steps: ['a', 'b'], stepWindows: ['1h', null] }],
      ['step windows with order any', { kind: 'funnel', steps: ['a', 'b'], order: 'any', stepWindows: [null, '1h'] }],
      ['a window over ten years', { kind: 'funnel', steps: ['a', 'b'], window: { value: 3654, unit: 'day' } }],
      ['a window in an unknown unit', { kind: 'funnel', steps: ['a', 'b'], window: '3y' }],
      ['an exclusion without to', { kind: 'funnel', steps: ['a', 'b'], exclusions: [{ event: 'c', from: 0 }] }],
      ['a feature listed twice', { kind: 'adoption', features: ['a', 'a'] }],
      ['no features', { kind: 'adoption', features: [] }],
      ['an empty include', { kind: 'paths', include: [] }],
      ['a funnel window without a funnel', { kind: 'segments', funnelWindow: '7d' }],
      ['a user that is neither text nor a number', { kind: 'events', user: true }],
    ];
    for (const [what, spec] of rejected) {
      it(what, async () => {
        expect(await storeError(spec), 'the store').to.be.instanceOf(SpecError);
        expect(schemaErrors(spec), 'the schema').to.not.equal('');
      });
    }

    it('but takes the same fields written right', async () => {
      const specs: Record<string, unknown>[] = [
        { kind: 'trend', math: 'wau', interval: 'day', periods: 3, where: { plan: 'pro', amount: { op: '>', value: 10 }, path: { op: 'contains', value: '/r' } } },
        { kind: 'funnel', steps: [{ event: 'a', where: { plan: 'pro' } }, { event: 'b', where: null }], stepWindows: [null, '1h'], window: { value: 3653, unit: 'day' }, exclusions: [{ event: 'c', from: 0, to: 1 }] },
        { kind: 'segments', funnel: ['a', 'b'], funnelWindow: { value: 2, unit: 'week' }, rules: { power: { days: 5, of: 7 } }, rageClicks: { seconds: 0.5 } },
        { kind: 'events', from: '2026-11-01T08:00', to: '2026-11-02 09:30:15.250+01:00', user: 42 },
      ];
      for (const spec of specs) {
        expect(await storeError(spec), JSON.stringify(spec)).to.equal(null);
        expect(schemaErrors(spec), JSON.stringify(spec)).to.equal('');
      }
    });
  });
});
