import type { Handler } from '../http/context.ts';
import { sendBytes, sendJson } from '../http/respond.ts';
import { adminOf } from './project-access.ts';

/**
 * `GET /v1/projects/:project/ingest-report` (admin key): what the project's
 * senders got refused lately and why, and what arrived but was not stored
 * on purpose, since the server started. For senders that ignore answers,
 * as the SDKs do.
 */
export const getIngestReport: Handler = async (ctx) => {
  const project = await adminOf(ctx);
  sendJson(ctx.response, 200, { project, ...ctx.server.ingestLog.report(project) });
};

/** `GET /v1/projects/:project/export` (admin key): the project as a SQLite file that `openStore({ data })` opens. */
export const getExport: Handler = async (ctx) => {
  const project = await adminOf(ctx);
  const store = await ctx.server.projects.store(project);
  sendBytes(ctx.response, await store.export(), 'application/vnd.sqlite3', `${project}.sqlite`);
};
