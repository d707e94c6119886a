import type { IncomingMessage, ServerResponse } from 'node:http';
import { DataError, SpecError } from '../../shared/errors.ts';
import { corsHeaders } from './cors.ts';
import type { Handler, RequestContext, ServerContext } from './context.ts';
import { HttpError } from './http-error.ts';
import { sendJson } from './respond.ts';

/** A route: a method, a path pattern with `:name` parts, and its handler. */
export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  handle: Handler;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/:([a-z]+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { ...route, pattern: new RegExp(`^${source}/?$`), names };
}

/** The answer and log line of a failed request. */
function failure(error: unknown): { status: number; body: Record<string, unknown>; headers: Record<string, string>; internal: boolean } {
  if (error instanceof HttpError) {
    return { status: error.status, body: error.field === undefined ? { error: error.message } : { error: error.message, field: error.field }, headers: error.headers, internal: false };
  }
  if (error instanceof SpecError) return { status: 400, body: { error: error.message, field: error.field }, headers: {}, internal: false };
  if (error instanceof DataError) return { status: 400, body: { error: error.message }, headers: {}, internal: false };
  return { status: 500, body: { error: 'internal error: the server could not answer; its log says why' }, headers: {}, internal: true };
}

/**
 * The request handler of a Footprint server: finds the route, answers CORS
 * preflights, turns thrown errors into answers with a message, and logs one
 * structured line per request (method, path without its query string, which
 * may hold a key, status, time; never an address or a User-Agent).
 */
export function createApp(routes: readonly Route[], server: ServerContext): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const compiled = routes.map(compile);
  return async (request, response) => {
    const started = performance.now();
    const url = new URL(request.url ?? '/', 'http://footprint.invalid');
    const ctx: RequestContext = { request, response, url, params: {}, server };
    if (server.stopping.aborted) response.setHeader('connection', 'close');
    try {
      if (request.method === 'OPTIONS') {
        const origin = request.headers.origin;
        if (origin === undefined || !server.anyProjectAllows(origin)) throw new HttpError(403, `origin ${JSON.stringify(origin ?? null)} is not allowed by any project of this server (set the project's origins)`);
        response.writeHead(204, corsHeaders(origin, '*', true));
        response.end();
        return;
      }
      // Every answer to an allowed origin says so, errors included, or a page could not read why it failed;
      // which origins a project accepts is checked by the handler once the credential names the project.
      const origin = request.headers.origin;
      if (origin !== undefined && server.anyProjectAllows(origin)) {
        for (const [name, value] of Object.entries(corsHeaders(origin, '*', false))) response.setHeader(name, value);
      }
      let allowed: string[] = [];
      for (const route of compiled) {
        const match = route.pattern.exec(url.pathname);
        if (!match) continue;
        if (route.method !== request.method) {
          allowed.push(route.method);
          continue;
        }
        route.names.forEach((name, i) => (ctx.params[name] = decodeURIComponent(match[i + 1]!)));
        await route.handle(ctx);
        return;
      }
      allowed = [...new Set(allowed)];
      if (allowed.length > 0) throw new HttpError(405, `${request.method} is not served at ${url.pathname} (use ${allowed.join(' or ')})`, { allow: allowed.join(', ') });
      throw new HttpError(404, `nothing is served at ${url.pathname} (the API is under /v1: events, query, schema, health, live)`);
    } catch (error) {
      const { status, body, headers, internal } = failure(error);
      if (internal) server.log({ level: 'error', message: (error as Error).stack ?? String(error), method: request.method, path: url.pathname });
      if (!response.headersSent) sendJson(response, status, body, headers);
      else response.destroy();
    } finally {
      server.log({ level: 'info', method: request.method, path: url.pathname, status: response.statusCode, ms: Math.round((performance.now() - started) * 10) / 10, ...(ctx.project ? { project: ctx.project } : {}) });
    }
  };
}
