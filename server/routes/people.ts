import type { StoredEvent } from '../../shared/metrics/events.ts';
import type { Handler, ServerContext } from '../http/context.ts';
import { sendJson } from '../http/respond.ts';
import { adminOf } from './project-access.ts';

/** A range that holds every event a store can hold. */
const EVER = { from: '1970-01-01', to: '2999-12-31' };

/** Events per page read from the events listing (its largest page). */
const PAGE = 10_000;

/**
 * `GET /v1/projects/:project/users/:user/events` (admin key): everything kept
 * about one person, newest first, as the events listing shows it (GDPR
 * Article 15, the right of access): every page of the listing, whatever
 * the time.
 */
export const getUserEvents: Handler = async (ctx) => {
  const project = await adminOf(ctx);
  const store = await ctx.server.projects.store(project);
  const user = ctx.params.user!;
  const events: StoredEvent[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.query({ kind: 'events', user, from: EVER.from, to: EVER.to, limit: PAGE, offset });
    events.push(...page.events);
    if (events.length >= page.total || page.events.length === 0) break;
  }
  sendJson(ctx.response, 200, { project, user, events });
};

/**
 * `DELETE /v1/projects/:project/users/:user` (admin key): erases every event
 * of one person, and what was counted from them (GDPR Article 17, the right
 * to erasure); answers how many events went. Deleted rows are overwritten
 * in the file (secure_delete).
 */
export const deleteUser: Handler = async (ctx) => {
  const project = await adminOf(ctx);
  const deleted = await eraseUser(ctx.server, project, ctx.params.user!);
  sendJson(ctx.response, 200, { project, user: ctx.params.user, deleted });
};

/**
 * Erases every event of `user` in `project`, and what was counted from them,
 * through the store's `deleteUser`; when any went, the project's cached
 * answers go and its live listeners hear of it. Resolves to how many events
 * went (0 when there were none). Both erasures use it: an admin's
 * (`DELETE /v1/projects/:project/users/:user`) and an installation's own
 * (`POST /v1/erasure`).
 */
export async function eraseUser(server: ServerContext, project: string, user: string): Promise<number> {
  const store = await server.projects.store(project);
  const deleted = await store.deleteUser(user);
  if (deleted > 0) server.projects.changed(project);
  return deleted;
}
