import { SpecError } from '../../shared/errors.ts';
import type { QueryKind } from '../../shared/query/kinds.ts';
import type { PropertyFilter } from '../../shared/query/property-filter.ts';
import { createEmbedToken } from '../auth/embed-token.ts';
import { readServerSecret } from '../auth/secret.ts';
import { readOptions, required } from './command-options.ts';

const COMMAND = 'token';
const USAGE = '--data DIR --project P --ttl SECONDS [--kinds k1,k2] [--where JSON]';

/** The option each of createEmbedToken's fields comes from. */
const OPTION_OF: Record<string, string> = { project: '--project', ttlSeconds: '--ttl', kinds: '--kinds', where: '--where' };

/**
 * `footprint token ...`: mints an embed token signed with the secret the
 * server in `--data` uses (FOOTPRINT_SECRET in `env` when set, as for the
 * server). Prints what it allows, then the token alone on the last line.
 * A wrong or missing option throws an Error with a one-line message naming it.
 */
export async function tokenCommand(argv: string[], print: (line: string) => void, env: Record<string, string | undefined> = process.env): Promise<void> {
  const options = readOptions(COMMAND, USAGE, argv, { data: { type: 'string' }, project: { type: 'string' }, ttl: { type: 'string' }, kinds: { type: 'string' }, where: { type: 'string' } });
  const data = required(COMMAND, 'data', options.data, "the server's data folder");
  const project = required(COMMAND, 'project', options.project, 'a project name');
  const ttlText = required(COMMAND, 'ttl', options.ttl, 'seconds the token is valid for');
  if (!/^[0-9]+$/.test(ttlText)) throw new Error(`${COMMAND}: --ttl must be a whole number of seconds, got '${ttlText}'`);
  const kinds = options.kinds?.split(',').map((kind) => kind.trim()).filter((kind) => kind !== '');
  let where: PropertyFilter | undefined;
  if (options.where !== undefined) {
    try {
      where = JSON.parse(options.where) as PropertyFilter;
    } catch (error) {
      throw new Error(`${COMMAND}: --where must be a JSON object such as '{"tenant":"acme"}' (${(error as Error).message})`);
    }
  }
  const secret = readServerSecret(data, { env });
  const now = Date.now();
  let token: string;
  try {
    token = await createEmbedToken({ secret, project, ttlSeconds: Number(ttlText), ...(kinds ? { kinds: kinds as QueryKind[] } : {}), ...(where !== undefined ? { where } : {}), now });
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    const option = OPTION_OF[error.field.split(/[.[]/)[0]!] ?? `--${error.field}`;
    throw new Error(`${COMMAND}: ${option}: ${error.message}`);
  }
  const expires = new Date(Math.floor(now / 1000) * 1000 + Number(ttlText) * 1000).toISOString();
  print(`Embed token for project '${project}', kinds ${kinds ? kinds.join(', ') : 'all'}, where ${where ? JSON.stringify(where) : 'none'}, expires ${expires}:`);
  print(token);
}
