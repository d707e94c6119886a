/**
 * A Source that asks a Footprint server: the spec goes to `POST {endpoint}/query`
 * and the server's result comes back, so a page needs neither sql.js nor the
 * data. The credential is a read key (server to server) or a short-lived
 * embed token the page's own backend mints (`footprint token`,
 * `createEmbedToken`), sent as `Authorization: Bearer`.
 *
 *   const source = connectServer({ endpoint: 'https://analytics.example.com/v1', getToken: () => fetchTokenFromMyBackend() });
 *   await source.query({ kind: 'trend', math: 'users' });
 *   const stop = source.subscribe(() => refreshMyCharts());
 */
import { quote, SpecError } from '../errors.ts';
import type { Query, ResultOf } from '../query/kinds.ts';
import type { QueryOptions, Source } from '../source.ts';
import { LiveSubscription, type LiveChange, type LiveOptions } from './live-subscription.ts';
import { errorFromResponse } from './server-error.ts';
import { PROJECT_NAME } from './project-name.ts';

/** Options of `connectServer`. */
export interface ServerSourceOptions {
  /** The server's API base, `/v1` included: `https://analytics.example.com/v1`. A relative URL is resolved against the page. */
  endpoint: string;
  /** The read key or embed token to send. */
  token?: string;
  /**
   * Gives a token: called for the first one when `token` is absent, and again
   * once when the server answers 401 (an embed token expired), after which the
   * request is sent again with the new token. Typically asks the page's own
   * backend, which mints a short-lived embed token.
   */
  getToken?: () => Promise<string> | string;
  /** The project the credential must be for; the server answers 403 when it is for another one. */
  project?: string;
  /** The fetch to use; default the global one (at call time). */
  fetch?: typeof fetch;
}

/** A Source answered by a Footprint server, which can also say when the project's events change. */
export interface ServerSource extends Source {
  /** The API base, without a trailing slash. */
  readonly endpoint: string;
  /**
   * Sends `spec` to `POST {endpoint}/query`. Rejects with a `ServerError`
   * (status, the server's message, `retryAfter`) or a `ServerSpecError` (a
   * 400 naming the spec's field); with an Error naming the endpoint when the
   * server cannot be reached; with `signal`'s reason when aborted.
   */
  query<Q extends Query>(spec: Q, options?: QueryOptions): Promise<ResultOf<Q>>;
  /**
   * Listens to `GET {endpoint}/live` and calls `onChange` whenever the
   * project's events change (also after a reconnection that finds them
   * changed). Reconnects with backoff; stops on an answer retrying cannot
   * mend (401 after a refreshed token, 403, 404), reporting it to
   * `options.onError`. Returns the function that stops listening.
   */
  subscribe(onChange: (change: LiveChange) => void, options?: LiveOptions): () => void;
}

/** Sends requests with the current token, and once more with a fresh one after a 401 when it can get one. */
export class Credentials {
  private token: Promise<string> | undefined;

  constructor(
    initial: string | undefined,
    private readonly getToken: (() => Promise<string> | string) | undefined,
  ) {
    if (initial !== undefined) this.token = Promise.resolve(initial);
  }

  /** Whether a 401 can be answered with another token. */
  get refreshable(): boolean {
    return this.getToken !== undefined;
  }

  current(): Promise<string> {
    this.token ??= this.fetchToken();
    return this.token;
  }

  /** A token other than `stale`: the one another request already fetched, or a new one. */
  async refreshed(stale: string): Promise<string> {
    const before = this.token;
    const current = before ? await before.catch(() => undefined) : undefined;
    // Another request turned down at the same time started the refresh while this one waited: share it.
    if (this.token !== before && this.token !== undefined) return this.token;
    if (current !== undefined && current !== stale) return current;
    this.token = this.fetchToken();
    return this.token;
  }

  private async fetchToken(): Promise<string> {
    let token: unknown;
    try {
      token = await this.getToken!();
    } catch (error) {
      this.token = undefined; // the next request asks again
      throw new Error(`getToken failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    if (typeof token !== 'string' || token.trim() === '') {
      this.token = undefined;
      throw new SpecError('getToken', `must give a token (a non-empty string), gave ${quote(token)}`);
    }
    return token.trim();
  }
}

/** The endpoint as an absolute http(s) URL without a trailing slash. */
function endpointUrl(endpoint: unknown): string {
  if (typeof endpoint !== 'string' || endpoint.trim() === '') throw new SpecError('endpoint', `must be the server's API URL (e.g. https://analytics.example.com/v1), got ${quote(endpoint)}`);
  let url: URL;
  try {
    url = new URL(endpoint.trim(), globalThis.location?.href);
  } catch {
    throw new SpecError('endpoint', `not a URL: ${quote(endpoint)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new SpecError('endpoint', `must be an http or https URL, got ${quote(endpoint)}`);
  url.search = '';
  url.hash = '';
  return url.href.replace(/\/+$/, '');
}

class HttpSource implements ServerSource {
  readonly endpoint: string;
  private readonly credentials: Credentials;
  private readonly project: string | undefined;
  private readonly fetch: typeof fetch;

  constructor(options: ServerSourceOptions) {
    this.endpoint = endpointUrl(options.endpoint);
    if (options.project !== undefined && !PROJECT_NAME.test(options.project)) {
      throw new SpecError('project', `must be lower-case letters, digits, - and _ (starting with a letter or digit, at most 63), got ${quote(options.project)}`);
    }
    this.project = options.project;
    const token = options.token?.trim() || undefined;
    if (token === undefined && options.getToken === undefined) throw new SpecError('token', 'give a read key or embed token, or a getToken callback that fetches one');
    if (options.getToken !== undefined && typeof options.getToken !== 'function') throw new SpecError('getToken', `must be a function, got ${quote(options.getToken)}`);
    this.credentials = new Credentials(token, options.getToken);
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  async query<Q extends Query>(spec: Q, options: QueryOptions = {}): Promise<ResultOf<Q>> {
    const { signal } = options;
    const response = await this.send('query', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) }, signal);
    if (!response.ok) throw await errorFromResponse(response);
    try {
      return (await response.json()) as ResultOf<Q>;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new Error(`The Footprint server at ${this.endpoint} sent a result that is not JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
  }

  subscribe(onChange: (change: LiveChange) => void, options: LiveOptions = {}): () => void {
    const open = (signal: AbortSignal): Promise<Response> => this.send('live', { method: 'GET', headers: { accept: 'text/event-stream' } }, signal);
    const subscription = new LiveSubscription(open, onChange, options, this.credentials.refreshable);
    return () => subscription.stop();
  }

  /** `path` under the endpoint with the credential; after a 401, once more with a refreshed token when `getToken` can give one. */
  private async send(path: string, init: RequestInit, signal: AbortSignal | undefined): Promise<Response> {
    const url = `${this.endpoint}/${path}${this.project ? `?project=${encodeURIComponent(this.project)}` : ''}`;
    let token = await this.credentials.current();
    let response = await this.fetchOnce(url, init, token, signal);
    if (response.status === 401 && this.credentials.refreshable) {
      await response.body?.cancel().catch(() => undefined);
      token = await this.credentials.refreshed(token);
      response = await this.fetchOnce(url, init, token, signal);
    }
    return response;
  }

  private async fetchOnce(url: string, init: RequestInit, token: string, signal: AbortSignal | undefined): Promise<Response> {
    if (signal?.aborted) throw signal.reason;
    try {
      // No cookies: the token is the whole credential.
      return await this.fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` }, credentials: 'omit', signal });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(`Could not reach the Footprint server at ${this.endpoint} (${why}): is it running, and does it allow this page's origin (CORS)?`, { cause: error });
    }
  }
}

/**
 * A Source answered by the Footprint server at `options.endpoint` (see
 * `ServerSource`). Throws a `SpecError` naming the option when `endpoint`,
 * `project`, `token` or `getToken` cannot be used; nothing is sent until the
 * first query.
 */
export function connectServer(options: ServerSourceOptions): ServerSource {
  return new HttpSource(options);
}
