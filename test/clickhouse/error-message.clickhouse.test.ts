// The ClickHouse normalization of error messages (error-message-sql.ts)
// against the core's normalizeMessage, on chdb: JavaScript's regular
// expressions and ClickHouse's RE2 differ (no lookaround in RE2), so the SQL
// is checked alone on tricky messages and on random ones.
import { expect } from 'chai';
import fc from 'fast-check';
import { normalizeMessage } from '../../shared/metrics/error-message.ts';
import { normalizedMessageSql } from '../../server/clickhouse/query/error-message-sql.ts';
import { Bindings } from '../../server/clickhouse/query/params.ts';
import { chdbExecutor, openChdbSession } from './chdb.ts';

const session = await openChdbSession();
const sql = chdbExecutor(session);
after(() => session.cleanup());

/** Each message normalized on chdb, in order. */
async function onClickHouse(messages: readonly (string | null)[]): Promise<string[]> {
  const bind = new Bindings();
  const list = bind.bind(messages, 'Array(Nullable(String))');
  const rows = await sql.rows(`SELECT i, ${normalizedMessageSql('m', bind)} FROM (SELECT arrayJoin(arrayEnumerate(${list})) AS i, ${list}[i] AS m) ORDER BY i`, bind.values);
  return rows.map((row) => String(row[1]));
}

const TRICKY: (string | null)[] = [
  null,
  '',
  '   ',
  '\t\n\u000b\f\r \u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\ufeff',
  '\u200b',
  '\u0085',
  'Timeout after 30000 ms loading report 8f3a9c',
  'Timeout after 10000 ms loading report 00b2e1',
  'user 123e4567-e89b-12d3-a456-426614174000 not found',
  '123e4567-e89b-12d3-a456-426614174000',
  '123e4567-e89b-12d3-a456-426614174000-123e4567-e89b-12d3-a456-426614174000-123e4567-e89b-12d3-a456-426614174000',
  'x123e4567-e89b-12d3-a456-426614174000',
  '123e4567-e89b-12d3-a456-426614174000x',
  '123e4567-e89b-12d3-a456-4266141740001',
  '_123e4567-e89b-12d3-a456-426614174000_',
  '123E4567-E89B-12D3-A456-426614174000.',
  'é123e4567-e89b-12d3-a456-426614174000é',
  'pointer 0x1f at 0XABCDEF and 0x, 0xg1, x0x12, 0x12z',
  'ids abc123 deface decade 123456 abcde1 abcd1 ABCDEF12 a1b2c3d4e5f6',
  'v2 h264 utf8 x86_64 ipv6 abc-123-def',
  'error in módulo 42: café #9 ünïcödé 0xff',
  '日本語 123 テスト abc123def',
  '🙂 12🙂34 deadbeef1🙂',
  '0',
  '#',
  '\\1 \\2 $1 $&',
  'a'.repeat(5000) + '123' + 'b'.repeat(5000),
  '1234567890'.repeat(200),
  'line1\nline2\r\n3',
  '{"code":42}',
  'true',
  '1.5e+21',
  '  padded 12  ',
];

describe('error messages normalized in ClickHouse', () => {
  it('equal the core normalizeMessage on tricky messages', async () => {
    expect(await onClickHouse(TRICKY)).to.deep.equal(TRICKY.map(normalizeMessage));
  });

  it('equal the core normalizeMessage on random messages', async function () {
    this.timeout(120_000);
    const piece = fc.oneof(
      fc.constantFrom('-', ' ', '_', '.', 'x', 'X', '0x', '0X', 'é', '🙂', '\u00a0', '\n', '\\1'),
      fc.stringMatching(/^[0-9a-fA-F]{1,13}$/),
      fc.stringMatching(/^[0-9]{1,6}$/),
      fc.stringMatching(/^[a-z]{1,6}$/),
      fc.uuid(),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
    );
    const message = fc.oneof(fc.array(piece, { maxLength: 14 }).map((parts) => parts.join('')), fc.string({ unit: 'binary', maxLength: 20 }));
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 200 }), async (messages) => {
        expect(await onClickHouse(messages)).to.deep.equal(messages.map(normalizeMessage));
      }),
      { seed: 20261204, numRuns: 60 },
    );
  });
});
