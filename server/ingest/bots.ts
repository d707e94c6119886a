import { isbot } from 'isbot';

/**
 * User-Agents of HTTP libraries and command-line tools (Node's fetch sends
 * `node`), matched at the start. isbot's list calls them bots, as they are
 * when they fetch pages; but the only senders of events here are the
 * tracker, which runs in a browser, and programs posting their own events
 * with such a library. A crawler sends events only by running the tracker
 * in a (headless) browser, whose Mozilla-style agent isbot still judges.
 * PostHog's server and mobile SDKs name themselves the same way
 * (`posthog-node/5.74.0`, `posthog-python/3.6.0`), and isbot calls them
 * bots too.
 */
const HTTP_CLIENTS =
  /^(?:node|undici|node-fetch|axios|got|deno|bun|curl|wget|python-requests|python-urllib|python-httpx|aiohttp|go-http-client|okhttp|java|postmanruntime|insomnia|posthog-[a-z-]+)\b/i;

/**
 * User-Agents of Segment's server libraries (`analytics-node-next/latest`,
 * `analytics-python/2.3.2`, `analytics-go (version: 3.3.0)`, ...), matched
 * at the start. isbot calls any bare `name/version` a bot, but these are
 * programs posting their own events to the Segment-compatible door.
 */
const SEGMENT_LIBRARIES = /^analytics-[a-z]/i;

/**
 * True when the User-Agent is a known bot (isbot, Unlicense): its events
 * are counted and not stored. A missing or empty agent is no bot (a
 * server-side program may send none), nor is an HTTP library (HTTP_CLIENTS)
 * or a Segment library (SEGMENT_LIBRARIES).
 */
export function isBotAgent(userAgent: string | undefined): boolean {
  if (typeof userAgent !== 'string' || userAgent.trim() === '') return false;
  if (HTTP_CLIENTS.test(userAgent.trim()) || SEGMENT_LIBRARIES.test(userAgent.trim())) return false;
  return isbot(userAgent);
}
