import type { ClickHouseExecutor as StorageExecutor } from '../executor.ts';

export type { ClickHouseParams } from '../executor.ts';

/**
 * What the query side needs of an executor: one statement's rows as arrays,
 * values as ClickHouse's JSON formats give them (64-bit integers may come as
 * text: callers read numbers with Number()). The storage's executor (a server
 * over HTTP, http-executor.ts) has it, and so does chdb's in the tests.
 */
export type ClickHouseExecutor = Pick<StorageExecutor, 'rows'>;
