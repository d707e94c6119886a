import { isbot } from 'isbot';

/**
 * User-Agents of programs that post their own events, matched at the start:
 * HTTP libraries and command-line tools (Node's fetch sends `node`), and the
 * analytics SDKs the server speaks for, PostHog's (`posthog-node/5.74.0`,
 * `posthog-python/3.6.0`) and Segment's (`analytics-node-next/latest`,
 * `analytics-go (version: 3.3.0)`). isbot's list calls them bots, as they
 * are when they fetch pages (it calls any bare `name/version` one); but the
 * only senders of events here are the tracker, which runs in a browser,
 * and such programs. A crawler sends events only by running the tracker in
 * a (headless) browser, whose Mozilla-style agent isbot still judges.
 */
const SENDER_PROGRAMS =
  /^(?:(?:node|undici|node-fetch|axios|got|deno|bun|curl|wget|python-requests|python-urllib|python-httpx|aiohttp|go-http-client|okhttp|java|postmanruntime|insomnia|posthog-[a-z-]+)\b|analytics-[a-z])/i;

/**
 * True when the User-Agent is a known bot (isbot, Unlicense): its events
 * are counted and not stored. A missing or empty agent is no bot (a
 * server-side program may send none), nor is a program posting its own
 * events (SENDER_PROGRAMS).
 */
export function isBotAgent(userAgent: string | undefined): boolean {
  if (typeof userAgent !== 'string' || userAgent.trim() === '') return false;
  if (SENDER_PROGRAMS.test(userAgent.trim())) return false;
  return isbot(userAgent);
}
