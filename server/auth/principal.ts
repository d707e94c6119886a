import type { IncomingHttpHeaders } from 'node:http';
import type { QueryKind } from '../../shared/query/kinds.ts';
import type { PropertyFilter } from '../../shared/query/property-filter.ts';
import { HttpError } from '../http/http-error.ts';
import { verifyEmbedToken } from './embed-token.ts';
import { KEY_PREFIXES, type KeyRing } from './keys.ts';

/** Who sent a request: the project and role its key or embed token gives. */
export interface Principal {
  project: string;
  role: 'write' | 'read' | 'admin' | 'embed';
  /** The key's id (for logs and rate limits); absent for an embed token. */
  keyId?: string;
  /** The kinds it may query; null for every kind (keys, and tokens minted without kinds). */
  kinds: QueryKind[] | null;
  /** The `where` locked onto its queries (QueryContext.lockedWhere); null for none. */
  where: PropertyFilter | null;
}

/**
 * What an endpoint needs: `write` sends events (POST /v1/events), `erase`
 * erases an installation by its secret (POST /v1/erasure), `query` runs
 * specs (POST /v1/query and the change stream), `admin` erases or exports a
 * person and reads the ingest report.
 */
export type Need = 'write' | 'erase' | 'query' | 'admin';

/**
 * Which role meets which need. A write key is public (it sits in every
 * tracked page), so it can never read; read keys and embed tokens only
 * query. An admin key queries and runs the admin endpoints but does not
 * write: PostHog's personal API keys do both, but a secret key has no
 * business in a tracker, and keeping writes to the public key means a
 * leaked write key is the only thing that can ever inject events.
 */
const ALLOWED: Readonly<Record<Need, readonly Principal['role'][]>> = {
  write: ['write'],
  // The key an extension ships with: the secret in the body is what proves the events are the sender's own.
  erase: ['write'],
  query: ['read', 'embed', 'admin'],
  admin: ['admin'],
};

const ROLE_NAMES: Readonly<Record<Principal['role'], string>> = { write: 'a write key', read: 'a read key', admin: 'an admin key', embed: 'an embed token' };
const NEED_VERBS: Readonly<Record<Need, string>> = { write: 'write', erase: 'erase an installation by its secret (the write key is needed)', query: 'read', admin: 'erase or export a person (an admin key is needed)' };

const MISSING = 'missing key: send Authorization: Bearer <key>';
const BEARER = 'Bearer realm="footprint"';
const INVALID = 'Bearer error="invalid_token"';

/**
 * The credential a request carries: `Authorization: Bearer X`, or for
 * requests with the write key only (`forWrite`) `?key=X`
 * (`navigator.sendBeacon` cannot set headers). A
 * secret key in a query string ends up in proxy logs and browser history,
 * so `?key=` on any other request is refused rather than ignored. Null when
 * there is none.
 */
export function credentialOf(headers: IncomingHttpHeaders, url: string, forWrite: boolean): string | null {
  const authorization = headers.authorization;
  const queryKey = new URL(url, 'http://localhost').searchParams.get('key');
  if (queryKey !== null && !forWrite) throw new HttpError(400, 'a key in ?key= is accepted for POST /v1/events and POST /v1/erasure only: send Authorization: Bearer <key>', {}, 'key');
  if (authorization !== undefined && authorization !== '') {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
    if (!match) throw new HttpError(401, 'Authorization must be "Bearer <key>" (or an embed token)', { 'WWW-Authenticate': BEARER });
    return match[1]!;
  }
  return queryKey === '' ? null : queryKey;
}

function keyRoleOf(credential: string): string | null {
  for (const [role, prefix] of Object.entries(KEY_PREFIXES)) if (credential.startsWith(prefix)) return role;
  return null;
}

/**
 * Who `credential` is: a key found in `keys` (revoked keys are not) or an
 * embed token signed by `secret`. HttpError 401 when there is none or it
 * is not valid; nothing of the credential itself goes into the message.
 */
export async function authenticate(credential: string | null, ctx: { keys: KeyRing; secret: string }, now: number = Date.now()): Promise<Principal> {
  if (credential === null || credential === '') throw new HttpError(401, MISSING, { 'WWW-Authenticate': BEARER });
  const keyRole = keyRoleOf(credential);
  if (keyRole !== null) {
    const owner = ctx.keys.find(credential);
    if (!owner) throw new HttpError(401, `unknown or revoked ${keyRole} key`, { 'WWW-Authenticate': INVALID });
    return { project: owner.project, role: owner.role, keyId: owner.id, kinds: null, where: null };
  }
  if (credential.split('.').length === 3) {
    const grant = await verifyEmbedToken(credential, ctx.secret, now);
    return { project: grant.project, role: 'embed', kinds: grant.kinds, where: grant.where };
  }
  throw new HttpError(401, 'not a Footprint key (fpw_, fpr_, fpa_) or embed token', { 'WWW-Authenticate': INVALID });
}

/**
 * Checks that `principal` may do `need`, on `project` when the URL names
 * one, and run `kind` when it is a query; HttpError 403 naming what is
 * not allowed otherwise.
 */
export function requireAccess(principal: Principal, need: Need, project?: string, kind?: QueryKind): void {
  const who = ROLE_NAMES[principal.role];
  if (!ALLOWED[need].includes(principal.role)) throw new HttpError(403, `${who} cannot ${NEED_VERBS[need]}`);
  if (project !== undefined && project !== principal.project) {
    throw new HttpError(403, `this ${principal.role === 'embed' ? 'token' : 'key'} is for project '${principal.project}', not '${project}'`);
  }
  if (kind !== undefined && principal.kinds !== null && !principal.kinds.includes(kind)) {
    throw new HttpError(403, `kind '${kind}' is not allowed by this token (allowed: ${principal.kinds.join(', ')})`);
  }
}
