import { HttpError } from './http-error.ts';

/** Methods the API answers across origins (a preflight lists them). */
export const CORS_METHODS = 'POST, GET, DELETE, OPTIONS';
/** Request headers a page may send: the key, the body's type and its gzip. */
export const CORS_HEADERS = 'Authorization, Content-Type, Content-Encoding';
/** Seconds a browser may keep a preflight's answer (a day), so the tracker's batches do not each cost an OPTIONS round trip. */
export const CORS_MAX_AGE_SECONDS = 86_400;

/**
 * An origin as compared: `scheme://host[:port]`, lower-case, the default
 * port dropped (`https://Shop.Example:443` is `https://shop.example`).
 * Null when the text is not an http(s) origin (the `null` origin of a
 * sandboxed frame or a file included). Also checks a configured allow-list.
 */
export function normalizeOrigin(text: string): string | null {
  try {
    const url = new URL(text.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * The CORS headers of an answer to a request from `origin` (its `Origin`
 * header), for a project that allows `allowed` origins (or any, `'*'`).
 * No Origin (a server-to-server request) needs none: `{}`. An allowed
 * origin is echoed with `Vary: Origin`, plus, for a preflight (OPTIONS),
 * the methods, the headers and a Max-Age of a day. An origin not allowed
 * throws HttpError 403 naming it and the project.
 */
export function corsHeaders(origin: string | undefined, allowed: readonly string[] | '*', preflight: boolean, project?: string): Record<string, string> {
  if (origin === undefined || origin === '') return {};
  if (allowed !== '*') {
    const normalized = normalizeOrigin(origin);
    if (normalized === null || !allowed.some((entry) => normalizeOrigin(entry) === normalized)) {
      throw new HttpError(403, `origin '${origin}' is not allowed${project === undefined ? '' : ` for project '${project}'`}`);
    }
  }
  const headers: Record<string, string> = { 'access-control-allow-origin': origin, vary: 'Origin' };
  if (preflight) {
    headers['access-control-allow-methods'] = CORS_METHODS;
    headers['access-control-allow-headers'] = CORS_HEADERS;
    headers['access-control-max-age'] = String(CORS_MAX_AGE_SECONDS);
  } else {
    // A page reads how long to wait after a 429.
    headers['access-control-expose-headers'] = 'Retry-After, X-Footprint-Cache';
  }
  return headers;
}
