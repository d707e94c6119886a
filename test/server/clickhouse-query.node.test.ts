import { expect } from 'chai';
import { QUERY_KINDS, SpecError } from '../../shared/index.ts';
import { answerClickHouse, type ClickHouseExecutor } from '../../server/clickhouse/query/index.ts';
import { quoteIdentifier } from '../../server/clickhouse/query/params.ts';
import { rejectionOf } from '../shared/helpers.ts';

// The query side of the ClickHouse backend without ClickHouse: what reaches the
// executor. Its answers are checked on chdb by `npm run test:clickhouse`.

/** An executor that records each statement and answers with no rows. */
function recorder(): ClickHouseExecutor & { calls: { sql: string; params: Record<string, unknown> }[] } {
  const calls: { sql: string; params: Record<string, unknown> }[] = [];
  return { calls, rows: async (sql, params) => (calls.push({ sql, params: params ?? {} }), []) };
}

const ctx = { calendar: { timezone: 'UTC', weekStart: 'monday' as const }, now: Date.UTC(2026, 10, 28, 12), minGroupSize: 1 };
const scope = { database: 'footprint', project: "acme'; DROP TABLE x --" };

describe('ClickHouse query side, without ClickHouse', () => {
  it('binds the project, the event name and a where as values and reads events deduplicated (final = 1)', async () => {
    const sql = recorder();
    const result = await answerClickHouse(sql, scope, { kind: 'trend', event: "it's", from: '2026-11-01', to: '2026-11-03', where: { 'plan"x': 'pro plan' } }, ctx);
    expect(result.series[0]!.points.map((p) => p.value)).to.deep.equal([0, 0, 0]);
    expect(sql.calls).to.have.length(1);
    const [{ sql: statement, params }] = sql.calls as [{ sql: string; params: Record<string, unknown> }];
    expect(statement).to.match(/SETTINGS final = 1$/);
    expect(statement).to.include('FROM `footprint`.events');
    for (const value of [scope.project, "it's", 'plan"x', 'pro plan']) {
      expect(Object.values(params)).to.deep.include(value);
      expect(statement).not.to.include(value);
    }
  });

  it('refuses a kind that is not one, and a bad spec with the core’s error naming the field', async () => {
    const kind = await rejectionOf(answerClickHouse(recorder(), scope, { kind: 'count' } as never, ctx));
    expect(kind).to.be.instanceOf(SpecError);
    expect(kind.message).to.equal(`kind: unknown kind 'count' (known: ${QUERY_KINDS.join(', ')})`);
    const spec = await rejectionOf(answerClickHouse(recorder(), scope, { kind: 'trend', math: 'wau', interval: 'week' }, ctx));
    expect(spec.message).to.equal("interval: math 'wau' is computed per day; use interval 'day'");
  });

  it('quotes a database name as an identifier and refuses an empty one, naming it', () => {
    expect(quoteIdentifier('foot`print')).to.equal('`foot\\`print`');
    expect(() => quoteIdentifier('')).to.throw('database: not a usable ClickHouse database name: ""');
  });
});
