import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyRing } from '../auth/keys.ts';
import type { ProjectSettings } from '../options.ts';
import type { IngestLog } from '../ingest/ingest-log.ts';
import type { Projects } from '../projects.ts';
import type { RateLimiter } from './rate-limit.ts';

/** What every handler shares: the server's state. */
export interface ServerContext {
  projects: Projects;
  keys: KeyRing;
  /** Signs and checks embed tokens. */
  secret: string;
  settingsOf(project: string): ProjectSettings;
  /** Whether any project allows `origin` (a preflight names no project). */
  anyProjectAllows(origin: string): boolean;
  limits: { perKey: RateLimiter; perClient: RateLimiter };
  /** Whether clients are told apart by the last X-Forwarded-For entry (behind a reverse proxy) rather than the socket's address. */
  trustProxy: boolean;
  /** What each project's senders got refused, and what was not stored on purpose (bots, person updates). */
  ingestLog: IngestLog;
  log(entry: Record<string, unknown>): void;
  now(): number;
  /** Aborted when the server stops: long-lived answers (the live stream) end with it. */
  stopping: AbortSignal;
  version: string;
}

/** One request as a handler sees it. */
export interface RequestContext {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  /** The route's named parts (`:project`, `:user`), decoded. */
  params: Record<string, string>;
  server: ServerContext;
  /** The project the request turned out to be for, for the log line. */
  project?: string;
}

/** A route's handler: answers the request or throws an HttpError (or a SpecError / DataError, answered 400). */
export type Handler = (ctx: RequestContext) => Promise<void>;
