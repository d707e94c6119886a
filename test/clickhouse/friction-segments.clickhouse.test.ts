// The differential test of the friction and segments kinds on ClickHouse
// (chdb): the core's own test tables of both kinds, run on stores that answer
// each query on SQLite and on chdb and expect deep equality (dual-store.ts),
// then random logs of clicks, errors and bursts of events around DST changes.
import type { Query } from '../../shared/index.ts';
import { differentialSetup } from './differential-setup.ts';

// A segments query with `funnel` is struggling by funnel abandonment, which
// ClickHouse answers once the funnel's matching in SQL is in
// (segments.ts, `abandonments`): until then such queries are SQLite's alone.
const withFunnel = (spec: Query) => spec.kind === 'segments' && (spec as { funnel?: unknown }).funnel !== undefined;
const session = await differentialSetup((spec) => !withFunnel(spec));

await import('../shared/friction.test.ts');
await import('../shared/segments.test.ts');
void session;
