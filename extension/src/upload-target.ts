/**
 * Where shared events go: the author's Footprint server and its project's
 * write key, as the author passes them in `upload: { url, key }`.
 */

/** The author's Footprint server. */
export interface UploadTarget {
  /** The server's base URL, http or https, e.g. `https://footprint.example.com` (events go to `<url>/v1/events`). */
  url: string;
  /** The project's write key (public: it can only add events). */
  key: string;
}

/**
 * The target with its URL normalized (no trailing slash); throws an error
 * naming `upload.url` or `upload.key` when one is not usable.
 */
export function checkUploadTarget(target: UploadTarget): UploadTarget {
  const { url, key } = (target ?? {}) as Partial<UploadTarget>;
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    throw new Error(`upload.url: must be the Footprint server's address, such as https://footprint.example.com, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`upload.url: must start with http:// or https://, got ${JSON.stringify(url)}`);
  }
  if (parsed.search !== '' || parsed.hash !== '' || parsed.username !== '' || parsed.password !== '') {
    throw new Error(`upload.url: must be the server's base address, without a query, a fragment or a password (the key goes in upload.key), got ${JSON.stringify(url)}`);
  }
  if (typeof key !== 'string' || key.trim() === '') {
    throw new Error(`upload.key: must be the project's write key ('footprint keys create --project <name> --role write' prints one), got ${JSON.stringify(key)}`);
  }
  return { url: `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`, key: key.trim() };
}
