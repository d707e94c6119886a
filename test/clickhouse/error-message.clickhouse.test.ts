// The ClickHouse SQL of error-message normalisation (server/clickhouse/query/error-message.ts)
// against the core's JavaScript (shared/metrics/error-message.ts), on chdb: messages at every
// edge of the core's rules, each read from JSON properties as the store keeps them.
import { expect } from 'chai';
import { normalizeMessage } from '../../shared/metrics/error-message.ts';
import { normalizedMessageSql } from '../../server/clickhouse/query/error-message.ts';
import { chdbExecutor, openChdbSession } from './chdb.ts';

const session = await openChdbSession();
after(() => session.cleanup());

const MESSAGES: (string | null)[] = [
  'Timeout after 30000 ms loading report 8f3a9c',
  'Timeout after 10000 ms loading report 00b2e1',
  'deface decade facade abcdef ABCDEF 12abcd abc12 a1b2c3d4',
  'v2 api3x 1.2.3-beta4 x86_64 0x1f 0X1F 0x 0xg1 x0x1f 0x1f2z',
  'id 123e4567-e89b-12d3-a456-426614174000 done',
  '123e4567-e89b-12d3-a456-426614174000-123e4567-e89b-12d3-a456-426614174000',
  '123e4567-e89b-12d3-a456-426614174000x 123e4567-e89b-12d3-a456-4266141740001',
  '123e4567-e89b-12d3-a456-426614174000_123e4567-e89b-12d3-a456-426614174000.0xff',
  'a123e4567-e89b-12d3-a456-426614174000 123e4567--e89b-12d3-a456-426614174000',
  '123E4567-E89B-12D3-A456-42661417400G and ffffffff-ffff-ffff-ffff-ffffffffffff',
  'é8f3a9cé café123 ü0x10ü 日本123語 😀abc123😀',
  'line\nbreak 42\ttab 7',
  '   ',
  '\u00a0\u2003\ufeff\n',
  '',
  ' 12 ',
  'no digits at all',
  'abc1234-5678',
  '0',
  '00000000',
  'a-b_c.d 1_2 3-4 5.6',
  null,
];

describe('error messages normalised in ClickHouse SQL, as the core does', () => {
  it('gives the core answer for every tricky message, and reads absent, null and non-string messages as the core does', async () => {
    const sql = chdbExecutor(session);
    const properties = [
      ...MESSAGES.map((message) => JSON.stringify(message === null ? {} : { message })),
      JSON.stringify({ message: null }),
      JSON.stringify({ message: 404 }),
      JSON.stringify({ message: true }),
      JSON.stringify({ message: { code: 12, text: 'x' } }),
      '',
    ];
    const expected = [
      ...MESSAGES.map(normalizeMessage),
      normalizeMessage(null),
      normalizeMessage('404'),
      normalizeMessage('true'),
      normalizeMessage('{"code":12,"text":"x"}'),
      normalizeMessage(null),
    ];
    const rows = await sql.rows(`SELECT ${normalizedMessageSql('p')} FROM (SELECT arrayJoin(arrayEnumerate({list:Array(String)})) AS i, {list:Array(String)}[i] AS p) ORDER BY i`, { list: properties });
    expect(rows.map((row) => row[0])).to.deep.equal(expected);
  });
});
