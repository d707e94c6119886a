import { NO_TARGET } from '../metrics/friction-signals.ts';
import { nameId } from '../query/context.ts';
import type { Dialect } from '../sql/dialect.ts';
import type { SqlParams, SqlValue } from '../sql/executor.ts';
import type { SessionEvent } from './build-sessions.ts';

/**
 * The columns of `events AS e` that sessions are built from, in the order
 * `sessionEvent` reads them: user, time, ingestion order, name, session id,
 * and what friction reads of clicks (target, position) and errors (message).
 * Properties are read only for `$click` and `$error` events. A position is
 * the property cast to a number as SQLite casts text (`'12px'` is 12).
 */
export function sessionEventColumns(dialect: Dialect, params: SqlParams): string {
  Object.assign(params, {
    $sessClick: '$click',
    $sessError: '$error',
    $sessNoTarget: NO_TARGET,
  });
  const click = `e.name_id = ${nameId('$sessClick')}`;
  const property = (key: string, param: string) => dialect.propertyText('e.properties', key, params, param);
  const position = (key: string, param: string) => `CASE WHEN ${click} THEN CAST(${property(key, param)} AS REAL) END`;
  return [
    'e.user_id',
    'e.ts',
    'e.seq',
    'e.name_id',
    'e.session_id',
    `CASE WHEN ${click} THEN COALESCE(${property('target', '$sessTargetPath')}, $sessNoTarget) END`,
    position('x', '$sessXPath'),
    position('y', '$sessYPath'),
    `CASE WHEN e.name_id = ${nameId('$sessError')} THEN ${property('message', '$sessMessagePath')} END`,
  ].join(', ');
}

/** A row of `sessionEventColumns` as a SessionEvent; `names` maps name ids to names. */
export function sessionEvent(row: readonly SqlValue[], names: ReadonlyMap<number, string>): SessionEvent {
  const [, ts, seq, name, sid, target, x, y, message] = row;
  const nameId = Number(name);
  return {
    ts: Number(ts),
    seq: Number(seq),
    nameId,
    name: names.get(nameId) ?? '',
    sid: sid === null || sid === undefined ? null : Number(sid),
    target: target === null ? null : String(target),
    x: x === null ? null : Number(x),
    y: y === null ? null : Number(y),
    message: message === null ? null : String(message),
  };
}
