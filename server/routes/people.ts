import { authenticate, credentialOf, requireAccess } from '../auth/principal.ts';
import type { Handler, RequestContext } from '../http/context.ts';
import { sendBytes, sendJson } from '../http/respond.ts';
import { checkProjectName } from '../auth/project-name.ts';
import { forProject } from './project-access.ts';
import type { StoredEvent } from '../../shared/metrics/events.ts';

/** A range that holds every event a store can hold. */
const EVER = { from: '1970-01-01', to: '2999-12-31' };

/** The project of the path, checked against the admin credential. */
async function adminOf(ctx: RequestContext): Promise<string> {
  const project = checkProjectName(ctx.params.project);
  const principal = await authenticate(credentialOf(ctx.request.headers, ctx.request.url ?? '/', false), ctx.server);
  requireAccess(principal, 'admin', project);
  forProject(ctx, project);
  return project;
}

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
  const store = await ctx.server.projects.store(project);
  const deleted = await store.deleteUser(ctx.params.user!);
  if (deleted > 0) ctx.server.projects.changed(project);
  sendJson(ctx.response, 200, { project, user: ctx.params.user, deleted });
};

/** `GET /v1/projects/:project/export` (admin key): the project as a SQLite file that `openStore({ data })` opens. */
export const getExport: Handler = async (ctx) => {
  const project = await adminOf(ctx);
  const store = await ctx.server.projects.store(project);
  sendBytes(ctx.response, await store.export(), 'application/vnd.sqlite3', `${project}.sqlite`);
};
