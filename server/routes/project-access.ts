import { checkProjectName } from '../auth/project-name.ts';
import { authenticate, credentialOf, requireAccess } from '../auth/principal.ts';
import { corsHeaders } from '../http/cors.ts';
import type { RequestContext } from '../http/context.ts';

/**
 * Checks that a browser request comes from an origin the project allows
 * (a request without an `Origin` is from a server or an SDK, not a page, and
 * needs none), and notes the project for the log line.
 */
export function forProject(ctx: RequestContext, project: string): void {
  ctx.project = project;
  const origin = ctx.request.headers.origin;
  if (origin !== undefined) corsHeaders(origin, ctx.server.settingsOf(project).origins ?? [], false, project);
}

/** The project of the path, checked against the admin credential. */
export async function adminOf(ctx: RequestContext): Promise<string> {
  const project = checkProjectName(ctx.params.project);
  const principal = await authenticate(credentialOf(ctx.request.headers, ctx.request.url ?? '/', false), ctx.server);
  requireAccess(principal, 'admin', project);
  forProject(ctx, project);
  return project;
}
