import type { QueryKind } from '../../shared/query/kinds.ts';
import { authenticate, credentialOf, requireAccess } from '../auth/principal.ts';
import type { Handler } from '../http/context.ts';
import { HttpError } from '../http/http-error.ts';
import { sendJson } from '../http/respond.ts';
import { readBody } from '../ingest/body.ts';
import { forProject } from './project-access.ts';

/**
 * `POST /v1/query`: the body is a query spec, exactly what `store.query`
 * takes; the answer is its result. A read key or an admin key may ask any
 * kind of its project; an embed token only its kinds, and its locked
 * `where` is ANDed onto the spec's (METRICS.md section 2). `?project=P`
 * makes sure the credential is P's (403 otherwise). Answers are
 * cached per spec, lock and data version (`x-footprint-cache: hit`).
 */
export const postQuery: Handler = async (ctx) => {
  const { request, server } = ctx;
  const principal = await authenticate(credentialOf(request.headers, request.url ?? '/', false), server);
  const text = await readBody(request);
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `the body is not JSON: ${(error as Error).message}`);
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new HttpError(400, 'the body must be a query spec: a JSON object with a kind', {}, 'kind');
  requireAccess(principal, 'query', ctx.url.searchParams.get('project') ?? undefined, (spec as { kind?: QueryKind }).kind);
  const project = principal.project;
  forProject(ctx, project);
  const lock = principal.where;
  const key = JSON.stringify([spec, lock]);
  const { result, cached } = await server.projects.cached(project, key, async () => {
    const store = await server.projects.store(project);
    return store.queryLocked(spec as never, lock);
  });
  sendJson(ctx.response, 200, result, { 'x-footprint-cache': cached ? 'hit' : 'miss' });
};
