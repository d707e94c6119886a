import type { Handler } from '../http/context.ts';
import { sendJson } from '../http/respond.ts';

/** `GET /v1/health`: no key needed; says the server answers, and what it took in without storing. */
export const getHealth: Handler = async (ctx) => {
  const { server } = ctx;
  const dropped = server.ingestLog.droppedTotals();
  sendJson(ctx.response, 200, { status: 'ok', version: server.version, uptimeSeconds: Math.round(process.uptime()), projectsOpen: server.projects.opened().length, dropped });
};
