import { authenticate, credentialOf, requireAccess } from '../auth/principal.ts';
import type { Handler } from '../http/context.ts';
import { sendJson } from '../http/respond.ts';
import { acceptEvents } from '../ingest/accept.ts';
import { readBatch } from '../ingest/batch.ts';
import { readBody } from '../ingest/body.ts';
import { forProject } from './project-access.ts';

export type { EventsAnswer } from '../ingest/accept.ts';

/**
 * `POST /v1/events`: the tracker's NDJSON (or a JSON array, or one event)
 * with a write key. Answered `{ accepted, duplicates, rejected }` only once
 * the valid events are committed to the project's file.
 */
export const postEvents: Handler = async (ctx) => {
  const { request, server } = ctx;
  const principal = await authenticate(credentialOf(request.headers, request.url ?? '/', true), server);
  requireAccess(principal, 'write');
  forProject(ctx, principal.project);
  const { records, lines } = readBatch(await readBody(request), request.headers['content-type']);
  const answer = await acceptEvents(server, { project: principal.project, keyId: principal.keyId, request, records, lines, via: 'events' });
  sendJson(ctx.response, 200, answer);
};
