import { SpecError } from '../../shared/errors.ts';
import { KEY_ROLES, KeyRing, type KeyInfo, type KeyRole } from '../auth/keys.ts';
import { readOptions, required } from './command-options.ts';

const USAGE = {
  create: '--data DIR --project P --role write|read|admin [--label L]',
  list: '--data DIR [--project P]',
  revoke: '--data DIR --id ID',
} as const;

const DATA = 'the server\'s data folder';

/** A SpecError from the key ring as the option it came from (`project: ...` becomes `--project: ...`). */
function asOptionError(command: string, error: unknown): unknown {
  return error instanceof SpecError ? new Error(`${command}: --${error.message}`) : error;
}

/** One key as `keys list` prints it: id, project, role, label, created, revoked, tab-separated, `-` where empty. */
function keyLine(key: KeyInfo): string {
  return [key.id, key.project, key.role, key.label ?? '-', key.created, key.revoked ?? '-'].join('\t');
}

/**
 * `footprint keys create|list|revoke ...`: `argv` is what follows `keys`.
 * `create` prints a line saying what it made, then the key alone on the
 * last line (for scripts: `| tail -n 1`); the key is shown only then. A
 * wrong or missing option throws an Error with a one-line message naming it.
 */
export async function keysCommand(argv: string[], print: (line: string) => void): Promise<void> {
  const [action, ...rest] = argv;
  if (action !== 'create' && action !== 'list' && action !== 'revoke') {
    throw new Error(`keys: expected create, list or revoke, got ${action === undefined ? 'nothing' : `'${action}'`}`);
  }
  const command = `keys ${action}`;
  if (action === 'create') {
    const options = readOptions(command, USAGE.create, rest, { data: { type: 'string' }, project: { type: 'string' }, role: { type: 'string' }, label: { type: 'string' } });
    const data = required(command, 'data', options.data, DATA);
    const project = required(command, 'project', options.project, 'a project name');
    const role = required(command, 'role', options.role, KEY_ROLES.join(', '));
    if (!(KEY_ROLES as readonly string[]).includes(role)) throw new Error(`${command}: --role must be one of ${KEY_ROLES.join(', ')}, got '${role}'`);
    let made: { id: string; key: string };
    try {
      made = KeyRing.open(data).create(project, role as KeyRole, options.label);
    } catch (error) {
      throw asOptionError(command, error);
    }
    print(`Created ${role} key ${made.id} for project '${project}'${role === 'write' ? ' (public: for POST /v1/events)' : ' (secret: keep it out of web pages)'}:`);
    print(made.key);
  } else if (action === 'list') {
    const options = readOptions(command, USAGE.list, rest, { data: { type: 'string' }, project: { type: 'string' } });
    const data = required(command, 'data', options.data, DATA);
    for (const key of KeyRing.open(data).list(options.project)) print(keyLine(key));
  } else {
    const options = readOptions(command, USAGE.revoke, rest, { data: { type: 'string' }, id: { type: 'string' } });
    const data = required(command, 'data', options.data, DATA);
    const id = required(command, 'id', options.id, 'a key id, as keys list shows');
    let key: KeyInfo;
    try {
      key = KeyRing.open(data).revoke(id);
    } catch (error) {
      throw asOptionError(command, error);
    }
    print(`Revoked ${key.role} key ${key.id} of project '${key.project}' at ${key.revoked}`);
  }
}
