import { deviceProperties } from '../../ingest/user-agent.ts';
import type { StoredCall } from './calls.ts';

/** The page fields of analytics.js's `context.page` that a `$pageview` takes, named as the web tracker names its properties. */
const PAGE_FIELDS = ['path', 'url', 'title', 'referrer'] as const;

/** Fields whose query string and fragment are cut, as the tracker cuts them: a query string often carries a token or an e-mail. */
const URL_FIELDS: ReadonlySet<string> = new Set(['url', 'referrer']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `url` without its query string and fragment. */
function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : url.slice(0, cut);
}

/**
 * The properties an event of a Segment message is stored with: its
 * `properties` as given, and what Footprint's metrics and filters read,
 * where the properties do not have it already:
 * - a page's or screen's `name` and `category` (Segment's page name, as
 *   `name`: it is not the document title, which analytics.js sends as
 *   `title`);
 * - from `context.page` (analytics.js sends it with every call): `path`
 *   for every call, and for a page also `url`, `title` and `referrer`,
 *   the two URLs without query string, as the web tracker keeps them;
 * - from `context.userAgent` (the person's browser, when a server library
 *   forwards its events): `$browser`, `$os` and `$device_type`, derived as
 *   the server derives them from a request's User-Agent, never the agent
 *   itself.
 * The rest of `context` (`ip`, `userAgent`, `library`, `device`, `traits`,
 * ...) is not kept. Properties that are not an object are returned as
 * given, for the store to refuse with its reason.
 */
export function segmentProperties(message: Record<string, unknown>, call: StoredCall, context: Record<string, unknown>): unknown {
  const given = message.properties;
  if (given !== undefined && given !== null && !isObject(given)) return given;
  const properties: Record<string, unknown> = { ...given };
  const fill = (name: string, value: unknown): void => {
    if (value !== undefined && value !== null && value !== '' && !Object.hasOwn(properties, name)) properties[name] = value;
  };
  if (call !== 'track') {
    fill('name', message.name);
    fill('category', message.category);
  }
  const page = isObject(context.page) ? context.page : {};
  for (const field of call === 'page' ? PAGE_FIELDS : (['path'] as const)) {
    const value = page[field];
    if (typeof value === 'string') fill(field, URL_FIELDS.has(field) ? withoutQuery(value) : value);
  }
  if (typeof context.userAgent === 'string') {
    for (const [name, value] of Object.entries(deviceProperties(context.userAgent))) fill(name, value);
  }
  return Object.keys(properties).length > 0 ? properties : undefined;
}
