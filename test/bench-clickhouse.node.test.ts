import { expect } from 'chai';
import { clickhouseTable, growth, type ClickHouseFigures } from '../bench/clickhouse-report.ts';
import type { ResultRow } from '../bench/result.ts';

// The benchmark's ClickHouse part (bench/clickhouse.ts) runs whole, small, in
// CI's bench-smoke suite (`npm run bench -- --clickhouse --smoke`); these
// check its tables on hand-made rows.

const M = 1_000_000;
const rows: ResultRow[] = [
  { engine: 'sqljs', events: M, task: 'ingest', ms: 13_000, eventsPerSecond: 76_923, peakMemoryMB: 1_300 },
  { engine: 'sqljs', events: M, task: 'trend events', ms: 86 },
  { engine: 'sqljs', events: M, task: 'file size', ms: null, bytesPerEvent: 170 },
  { engine: 'sqlite', events: M, task: 'ingest', ms: 12_000, eventsPerSecond: 83_333 },
  { engine: 'sqlite', events: M, task: 'trend events', ms: 40 },
  { engine: 'sqlite', events: M, task: 'funnel', ms: 90 },
  { engine: 'duckdb', events: M, task: 'trend events', ms: 11 },
  { engine: 'clickhouse', events: M, task: 'ingest', ms: 50_000, eventsPerSecond: 20_000, peakMemoryMB: 400, note: 'ingestClickHouse' },
  { engine: 'clickhouse', events: M, task: 'storage', ms: null, bytesPerEvent: 60, note: '60 MB' },
  { engine: 'clickhouse', events: M, task: 'trend events', ms: 20 },
  { engine: 'sqljs', events: 10 * M, task: 'ingest', ms: null, note: 'could not hold the events: out of memory' },
  { engine: 'sqlite', events: 10 * M, task: 'ingest', ms: 150_000 },
  { engine: 'sqlite', events: 10 * M, task: 'trend events', ms: 500 },
  { engine: 'clickhouse', events: 10 * M, task: 'storage', ms: null, bytesPerEvent: 55 },
  { engine: 'clickhouse', events: 10 * M, task: 'trend events', ms: 100 },
];
const figures: ClickHouseFigures = {
  run: { date: '2026-12-04T00:00:00.000Z', cpu: 'CPU', cores: 2, memoryGb: 24, node: '20', chdb: '3.4.0', clickhouse: '26.7', sqljs: '1.17.0', betterSqlite3: '12', duckdb: 'v1.5.6', batch: 10_000, warmRuns: 5, largeWarmRuns: 2 },
  rows,
};

describe('bench --clickhouse: the report (bench/clickhouse-report.ts)', () => {
  it('growth is the cost at the larger size over the cost at the smallest, storage in bytes', () => {
    expect(growth(rows, 'sqlite', 'trend events', 10 * M)).to.equal('12.5x');
    expect(growth(rows, 'clickhouse', 'trend events', 10 * M)).to.equal('5.00x');
    expect(growth(rows, 'clickhouse', 'storage', 10 * M)).to.equal('9.17x');
    expect(growth(rows, 'sqljs', 'ingest', 10 * M), 'no time at 10M').to.equal('');
    expect(growth(rows, 'clickhouse', 'ingest', 10 * M), 'no row at 10M').to.equal('');
  });

  it('prints each size with every engine present, a task an engine has no row for as an empty cell, the growth, and the notes', () => {
    const table = clickhouseTable(figures);
    expect(table).to.contain('#### 1,000,000 events');
    expect(table).to.contain('| task | sql.js (Footprint) | SQLite native | DuckDB | ClickHouse (chdb) | ClickHouse / SQLite |');
    expect(table).to.contain('| trend events | 86 ms | 40 ms | 11 ms | 20 ms | 0.50x |');
    expect(table).to.contain('| funnel |  | 90 ms |  |  |  |');
    expect(table).to.contain('| storage | 170 bytes/event |  |  | 60 bytes/event |  |');
    expect(table).to.contain('| peak memory (RSS growth) | 1,300 MB |  |  | 400 MB | |');
    expect(table).to.contain('#### 10,000,000 events');
    expect(table, 'DuckDB runs at the first size only').to.contain('| task | sql.js (Footprint) | SQLite native | ClickHouse (chdb) | ClickHouse / SQLite |');
    expect(table).to.contain('#### Growth from 1,000,000 to 10,000,000 events (10x the events)');
    expect(table).to.contain('| trend events |  | 12.5x | 5.00x |');
    expect(table).to.contain('- sql.js (Footprint), ingest at 10,000,000: could not hold the events: out of memory');
    expect(table).to.contain('median of 5 warm runs after one cold run (2 at 10,000,000 events)');
  });

  it('prints nothing without figures', () => {
    expect(clickhouseTable(undefined)).to.equal('');
    expect(clickhouseTable({ ...figures, rows: [] })).to.equal('');
  });
});
