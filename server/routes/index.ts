import { segmentHandler } from '../compat/segment/handler.ts';
import { SEGMENT_PATHS } from '../compat/segment/paths.ts';
import { getArrayConfig, getArrayConfigScript, getRemoteConfig, postCapture, postRecordings } from '../compat/posthog/routes.ts';
import type { Route } from '../http/app.ts';
import { postErasure } from './erasure.ts';
import { postEvents } from './events.ts';
import { getHealth } from './health.ts';
import { getLive } from './live.ts';
import { deleteUser, getUserEvents } from './people.ts';
import { getExport, getIngestReport } from './project-files.ts';
import { postQuery } from './query.ts';
import { getSchema } from './schema.ts';

/** Every route of the server, in one list. */
export const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/v1/events', handle: postEvents },
  { method: 'POST', path: '/v1/erasure', handle: postErasure },
  { method: 'POST', path: '/v1/query', handle: postQuery },
  { method: 'GET', path: '/v1/schema', handle: getSchema },
  { method: 'GET', path: '/v1/health', handle: getHealth },
  { method: 'GET', path: '/v1/live', handle: getLive },
  { method: 'GET', path: '/v1/projects/:project/users/:user/events', handle: getUserEvents },
  { method: 'DELETE', path: '/v1/projects/:project/users/:user', handle: deleteUser },
  { method: 'GET', path: '/v1/projects/:project/export', handle: getExport },
  { method: 'GET', path: '/v1/projects/:project/ingest-report', handle: getIngestReport },
  // Segment's HTTP Tracking API (server/compat/segment); analytics.js and the mobile libraries post to the one-letter paths.
  ...SEGMENT_PATHS.flatMap(([call, paths]) => paths.map((path): Route => ({ method: 'POST', path, handle: segmentHandler(call) }))),
  // PostHog's SDKs (server/compat/posthog): capture, recordings, remote configuration and flags.
  { method: 'POST', path: '/e', handle: postCapture },
  { method: 'POST', path: '/i/v0/e', handle: postCapture },
  { method: 'POST', path: '/batch', handle: postCapture },
  { method: 'POST', path: '/capture', handle: postCapture },
  { method: 'POST', path: '/track', handle: postCapture },
  { method: 'POST', path: '/s', handle: postRecordings },
  { method: 'GET', path: '/decide', handle: getRemoteConfig },
  { method: 'POST', path: '/decide', handle: getRemoteConfig },
  { method: 'GET', path: '/flags', handle: getRemoteConfig },
  { method: 'POST', path: '/flags', handle: getRemoteConfig },
  { method: 'GET', path: '/array/:token/config', handle: getArrayConfig },
  { method: 'GET', path: '/array/:token/config.js', handle: getArrayConfigScript },
];
