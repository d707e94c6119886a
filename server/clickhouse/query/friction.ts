import { frictionResult, readFrictionSpec, type FrictionResult } from '../../../shared/metrics/friction.ts';
import type { FrictionSignalType } from '../../../shared/metrics/friction-signals.ts';
import type { SpecObject } from '../../../shared/query/fields.ts';
import type { ClickHouseExecutor } from './executor.ts';
import { sessionSignalsTable } from './friction-signals.ts';
import { Bindings } from './params.ts';
import { projectEvents, type ClickHouseQueryContext, type ClickHouseScope } from './scope.ts';
import { sessionEventsTable } from './sessions-sql.ts';

/**
 * `{ kind: 'friction' }` (METRICS.md section 12): the signals of the query's
 * sessions found in ClickHouse (friction-signals.ts), summed per type and
 * key with the distinct users (`uniqExact`) there; only one row per target,
 * message or event reaches Node, where the core orders and suppresses them
 * (frictionResult), so both engines order keys alike.
 */
export async function frictionOnClickHouse(sql: ClickHouseExecutor, scope: ClickHouseScope, spec: SpecObject, ctx: ClickHouseQueryContext): Promise<FrictionResult> {
  const { rules, options, range } = readFrictionSpec(spec, ctx.calendar, ctx.now);
  const bind = new Bindings();
  const sessionEvents = sessionEventsTable(projectEvents(scope, spec, ctx, bind), options, ctx.calendar, range.from, range.to, bind);
  const rows = await sql.rows(`SELECT type, key, sum(count), uniqExact(user_id) FROM ${sessionSignalsTable(sessionEvents, rules, bind)} GROUP BY type, key`, bind.values);
  return frictionResult(
    rows.map(([type, key, count, users]) => ({ type: type as FrictionSignalType, key: String(key), count: Number(count), users: Number(users) })),
    ctx.minGroupSize,
  );
}
