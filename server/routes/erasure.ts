import { installationIdOf } from '../../shared/remote/installation-id.ts';
import { authenticate, credentialOf, requireAccess } from '../auth/principal.ts';
import type { Handler } from '../http/context.ts';
import { HttpError } from '../http/http-error.ts';
import { sendJson } from '../http/respond.ts';
import { chargeSender } from '../ingest/accept.ts';
import { readBody } from '../ingest/body.ts';
import { eraseUser } from './people.ts';
import { forProject } from './project-access.ts';

/** What `POST /v1/erasure` answers: the installation's id and how many of its events went. */
export interface ErasureAnswer {
  user_id: string;
  deleted: number;
}

const EXPECTED = 'send {"secret": "<the installation secret>"}';

/**
 * The `secret` of an erasure request's body, as given (checked by
 * `installationIdOf`). A body that is not JSON is refused without the
 * parser's message: Node's quotes the text it choked on, which may hold
 * the secret.
 */
function secretOf(text: string): unknown {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, `the body is not JSON: ${EXPECTED}`, {}, 'secret');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, `the body must be a JSON object: ${EXPECTED}`, {}, 'secret');
  return (body as { secret?: unknown }).secret;
}

/**
 * `POST /v1/erasure`: an installation of an extension asks for its own
 * events to be erased. It sends the project's write key (as `POST
 * /v1/events` does: Bearer or `?key=`, the same origins and rate-limit
 * buckets) and its secret, `{ "secret": "..." }`; the server derives the
 * installation's id (`installationIdOf`) and erases that user's events in
 * the key's project, as the admin's `DELETE /v1/projects/:p/users/:id`
 * does. Answers `{ user_id, deleted }`: `deleted` is 0 when nothing was
 * there (already erased, or never sent), so a retry is harmless.
 *
 * Safe with a public key: the data, dashboards, read keys and embed tokens
 * show ids, which are one-way hashes of secrets, so no one who reads an id
 * can erase it. The secret is neither kept, logged nor echoed.
 */
export const postErasure: Handler = async (ctx) => {
  const { request, server } = ctx;
  const principal = await authenticate(credentialOf(request.headers, request.url ?? '/', true), server);
  requireAccess(principal, 'erase');
  const project = principal.project;
  forProject(ctx, project);
  chargeSender(server, { project, keyId: principal.keyId, request }, 1, 'erasure requests');
  const userId = await installationIdOf(secretOf(await readBody(request)) as string);
  const deleted = await eraseUser(server, project, userId);
  server.log({ level: 'info', message: 'installation erased', project, user_id: userId, deleted });
  const answer: ErasureAnswer = { user_id: userId, deleted };
  sendJson(ctx.response, 200, answer);
};
