import { expect } from 'chai';
import Database from 'better-sqlite3';
import { loadSqlJs } from '../../shared/store/sqljs.ts';
import { SqlJsDatabase } from '../../shared/sql/sqljs-database.ts';
import type { SqlDatabase } from '../../shared/sql/database.ts';
import { NativeDatabase } from '../../server/storage/native-database.ts';

/** The two engines behind SqlDatabase must compute the same SQL with the same values alike. */
describe('NativeDatabase binds values as sql.js does (server/storage/native-database.ts)', () => {
  async function both(): Promise<SqlDatabase[]> {
    const SQL = await loadSqlJs();
    return [new SqlJsDatabase(new SQL.Database()), new NativeDatabase(new Database(':memory:'))];
  }

  it('a whole number within 32 bits is an INTEGER, so division is whole; others are REAL', async () => {
    for (const db of await both()) {
      expect(db.rows('SELECT $a / 2, typeof($a), $b / 2, typeof($b), typeof($c)', { $a: 7, $b: 7.5, $c: 1_764_000_000_000 })).to.deep.equal([[3, 'integer', 3.75, 'real', 'real']]);
    }
  });

  it('binds bytes as a blob, text as text and null as NULL, by name or by position', async () => {
    for (const db of await both()) {
      db.exec('CREATE TABLE t (a, b, c)');
      const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?)');
      expect(insert.run([new Uint8Array([0, 255]), 'x', null])).to.equal(1);
      insert.free();
      const [row] = db.rows('SELECT hex(a), typeof(a), b, c FROM t WHERE b = $b', { $b: 'x' });
      expect(row).to.deep.equal(['00FF', 'blob', 'x', null]);
      expect(db.run('DELETE FROM t WHERE b = $b', { $b: 'x' })).to.equal(1);
      const seen: unknown[] = [];
      db.eachRow('SELECT value FROM json_each($list)', { $list: '[1,2,3]' }, ([value]) => seen.push(value));
      expect(seen).to.deep.equal([1, 2, 3]);
    }
  });
});
