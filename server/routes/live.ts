import { authenticate, credentialOf, requireAccess } from '../auth/principal.ts';
import type { Handler } from '../http/context.ts';
import { forProject } from './project-access.ts';

/** Changes closer together than this are told once: a dashboard re-runs its queries at most this often. */
const COALESCE_MS = 1_000;
/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 25_000;

/**
 * `GET /v1/live`: Server-Sent Events that say when the project's data
 * changed (`event: change`, `data: {"version":N}`), so an admin page re-runs
 * its widgets' queries. Any credential that may query opens it, from the
 * `Authorization` header or, for `EventSource` (which cannot set headers),
 * `?token=`; `?project=P` checks the credential is P's, as for queries. It
 * holds no data, only versions.
 */
export const getLive: Handler = async (ctx) => {
  const { request, response, server } = ctx;
  const credential = credentialOf(request.headers, request.url ?? '/', false) ?? ctx.url.searchParams.get('token');
  const principal = await authenticate(credential, server);
  requireAccess(principal, 'query', ctx.url.searchParams.get('project') ?? undefined);
  const project = principal.project;
  forProject(ctx, project);
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  const send = (version: number): void => {
    response.write(`event: change\ndata: ${JSON.stringify({ version })}\n\n`);
  };
  // The version now, so a client that reconnects knows whether it missed a change.
  response.write(`retry: 2000\nevent: hello\ndata: ${JSON.stringify({ version: server.projects.version(project) })}\n\n`);
  let timer: NodeJS.Timeout | undefined;
  let lastSent = 0;
  const stop = server.projects.listen(project, () => {
    if (timer) return;
    const wait = Math.max(0, lastSent + COALESCE_MS - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      lastSent = Date.now();
      send(server.projects.version(project));
    }, wait);
  });
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
  await new Promise<void>((resolve) => {
    const end = (): void => resolve();
    request.on('close', end);
    response.on('close', end);
    server.stopping.addEventListener('abort', end, { once: true });
  });
  stop();
  clearInterval(heartbeat);
  clearTimeout(timer);
  if (!response.writableEnded) response.end();
};
