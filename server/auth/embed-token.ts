import { decodeProtectedHeader, errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { SpecError, quote } from '../../shared/errors.ts';
import { QUERY_KINDS, type QueryKind } from '../../shared/query/kinds.ts';
import { readPropertyFilter, type PropertyFilter } from '../../shared/query/property-filter.ts';
import { HttpError } from '../http/http-error.ts';
import { PROJECT_NAME } from '../../shared/remote/project-name.ts';
import { checkProjectName } from './project-name.ts';
import { MIN_SECRET_LENGTH } from './secret.ts';

/** The longest an embed token may live: a page's token should be short-lived and refreshed, not a second read key. */
export const MAX_EMBED_TTL_SECONDS = 30 * 24 * 3600;

/** The only algorithm minted and accepted: no `alg: none`, and no public-key algorithm a secret could be confused with. */
const ALGORITHM = 'HS256';
const ISSUER = 'footprint';

/** What an embed token allows: queries of one project, of some kinds, with a `where` locked onto every spec. */
export interface EmbedGrant {
  project: string;
  /** The kinds it may query; null for every kind. */
  kinds: QueryKind[] | null;
  /** ANDed onto every spec's own `where` (QueryContext.lockedWhere); null for none. */
  where: PropertyFilter | null;
  /** When it expires, in epoch ms. */
  expires: number;
}

export interface EmbedTokenOptions {
  /** The server's secret (server/auth/secret.ts). */
  secret: string;
  project: string;
  /** Seconds it is valid for: a whole number from 1 to 30 days. */
  ttlSeconds: number;
  /** The kinds it may query; every kind when absent. */
  kinds?: readonly QueryKind[];
  /** A `where` locked onto every query (a tenant, for instance). */
  where?: PropertyFilter;
  /** "Now" in epoch ms; `Date.now()` by default. */
  now?: number;
}

const key = (secret: string): Uint8Array => new TextEncoder().encode(secret);

/** The kinds, checked; SpecError naming `kinds[i]` otherwise. */
function readKinds(kinds: unknown): QueryKind[] | null {
  if (kinds === undefined || kinds === null) return null;
  if (!Array.isArray(kinds) || kinds.length === 0) throw new SpecError('kinds', `must be a non-empty list of query kinds (${QUERY_KINDS.join(', ')}), got ${quote(kinds)}`);
  kinds.forEach((kind, i) => {
    if (typeof kind !== 'string' || !(QUERY_KINDS as readonly string[]).includes(kind)) {
      throw new SpecError(`kinds[${i}]`, `unknown kind ${quote(kind)} (known: ${QUERY_KINDS.join(', ')})`);
    }
  });
  return [...new Set(kinds as QueryKind[])];
}

/**
 * Mints an embed token (a JWT signed with HS256) for an admin page to
 * query one project through `fp-source`. Bad options fail here, naming the
 * field (`project`, `ttlSeconds`, `kinds[1]`, `where.tenant.op`), so a
 * wrong lock never reaches a page.
 */
export async function createEmbedToken(options: EmbedTokenOptions): Promise<string> {
  if (typeof options.secret !== 'string' || options.secret.length < MIN_SECRET_LENGTH) {
    throw new SpecError('secret', `must have at least ${MIN_SECRET_LENGTH} characters`);
  }
  const project = checkProjectName(options.project);
  const ttl = options.ttlSeconds;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_EMBED_TTL_SECONDS) {
    throw new SpecError('ttlSeconds', `must be a whole number of seconds from 1 to ${MAX_EMBED_TTL_SECONDS} (30 days), got ${quote(ttl)}`);
  }
  const kinds = readKinds(options.kinds);
  readPropertyFilter(options.where, 'where');
  const where = options.where !== undefined && options.where !== null && Object.keys(options.where).length > 0 ? options.where : null;
  const issuedAt = Math.floor((options.now ?? Date.now()) / 1000);
  return new SignJWT({ fp_kinds: kinds, fp_where: where })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(project)
    .setIssuer(ISSUER)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttl)
    .sign(key(options.secret));
}

const invalid = (message: string): HttpError => new HttpError(401, message, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });

/**
 * Checks an embed token's signature (HS256 only), issuer and expiry at
 * `now` (epoch ms), and returns what it allows. Every failure is an
 * HttpError 401 naming what is wrong: expired (and when), a signature
 * that does not match this server's secret, a disallowed algorithm, a
 * malformed token.
 */
export async function verifyEmbedToken(token: string, secret: string, now: number = Date.now()): Promise<EmbedGrant> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key(secret), { algorithms: [ALGORITHM], issuer: ISSUER, currentDate: new Date(now), requiredClaims: ['sub', 'exp', 'iat'] }));
  } catch (error) {
    throw verificationError(token, error);
  }
  return grantOf(payload);
}

function verificationError(token: string, error: unknown): HttpError {
  if (error instanceof errors.JWTExpired) {
    const exp = error.payload.exp;
    return invalid(typeof exp === 'number' ? `embed token expired at ${new Date(exp * 1000).toISOString()}` : 'embed token expired');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return invalid("embed token signature does not match this server's secret");
  if (error instanceof errors.JOSEAlgNotAllowed) {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      alg = undefined;
    }
    return invalid(`embed token algorithm ${quote(alg)} is not accepted (${ALGORITHM} only)`);
  }
  if (error instanceof errors.JWTClaimValidationFailed) return invalid(`malformed embed token: claim '${error.claim}' ${error.reason === 'missing' ? 'is missing' : 'is invalid'}`);
  return invalid('malformed embed token');
}

/** The grant a verified payload carries; its claims were checked when minted, and again here since the secret may sign other tokens. */
function grantOf(payload: JWTPayload): EmbedGrant {
  const project = payload.sub;
  if (typeof project !== 'string' || !PROJECT_NAME.test(project)) throw invalid("malformed embed token: claim 'sub' is not a project name");
  let kinds: QueryKind[] | null;
  let where: PropertyFilter | null;
  try {
    kinds = readKinds(payload.fp_kinds);
    readPropertyFilter(payload.fp_where, 'fp_where');
    where = (payload.fp_where as PropertyFilter | null | undefined) ?? null;
  } catch (error) {
    throw invalid(`malformed embed token: ${(error as Error).message}`);
  }
  return { project, kinds, where, expires: payload.exp! * 1000 };
}
