import { expect } from 'chai';
import type { BindParams, Database, SqlValue } from 'sql.js';
import { loadSqlJs } from '../../shared/store/sqljs.ts';

/**
 * Smoke test of the SQLite engine the core relies on, run in Node and in
 * Chromium alike: loads sql.js with no options (wasm found the default way)
 * and checks the SQL features the metrics are written with.
 */
describe('sql.js engine (shared/store/sqljs.ts)', () => {
  let db: Database | undefined;

  function all(sql: string, params: BindParams = []): SqlValue[][] {
    if (!db) throw new Error('database not opened');
    const stmt = db.prepare(sql);
    try {
      stmt.bind(params);
      const rows: SqlValue[][] = [];
      while (stmt.step()) rows.push(stmt.get());
      return rows;
    } finally {
      stmt.free();
    }
  }

  before(async () => {
    const SQL = await loadSqlJs();
    db = new SQL.Database();
  });

  after(() => {
    db?.close();
  });

  it('loads once: loadSqlJs() with no options shares one engine', async () => {
    const [a, b] = await Promise.all([loadSqlJs(), loadSqlJs()]);
    expect(a).to.equal(b);
    expect(a.Database).to.be.a('function');
  });

  it('is SQLite 3', () => {
    const [[version] = []] = all('select sqlite_version()');
    expect(version).to.be.a('string');
    expect(String(version).startsWith('3.')).to.equal(true, `sqlite_version() = ${String(version)}`);
  });

  it('json_each walks a bound JSON parameter', () => {
    const payload = JSON.stringify(['open', 'save', 'open', 'close']);
    expect(all('select key, value, type from json_each(?) order by key', [payload])).to.deep.equal([
      [0, 'open', 'text'],
      [1, 'save', 'text'],
      [2, 'open', 'text'],
      [3, 'close', 'text'],
    ]);
    expect(all('select value, count(*) from json_each(?) group by value order by value', [payload])).to.deep.equal([
      ['close', 1],
      ['open', 2],
      ['save', 1],
    ]);
  });

  it('window functions: LAG ... OVER (PARTITION BY ... ORDER BY ...)', () => {
    all('create table ev (user text not null, ts integer not null)');
    all("insert into ev values ('a', 100), ('b', 50), ('a', 130), ('a', 190), ('b', 80)");
    const rows = all(
      `select user, ts, ts - lag(ts) over (partition by user order by ts) as gap
         from ev order by user, ts`,
    );
    expect(rows).to.deep.equal([
      ['a', 100, null],
      ['a', 130, 30],
      ['a', 190, 60],
      ['b', 50, null],
      ['b', 80, 30],
    ]);
    all('drop table ev');
  });

  it('json_extract returns typed values', () => {
    const doc = JSON.stringify({ n: 42, f: 2.5, s: 'hi', t: true, z: null, o: { k: [1, 2] } });
    const [row = []] = all(
      `select json_extract(:d, '$.n'), json_extract(:d, '$.f'), json_extract(:d, '$.s'),
              json_extract(:d, '$.t'), json_extract(:d, '$.z'), json_extract(:d, '$.o.k[1]'),
              json_extract(:d, '$.o'), json_extract(:d, '$.missing'),
              typeof(json_extract(:d, '$.n')), typeof(json_extract(:d, '$.f')), typeof(json_extract(:d, '$.s'))`,
      { ':d': doc },
    );
    expect(row).to.deep.equal([42, 2.5, 'hi', 1, null, 2, '{"k":[1,2]}', null, 'integer', 'real', 'text']);
    expect(typeof row[0]).to.equal('number');
  });
});
