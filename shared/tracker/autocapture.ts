import { clickedElement, describeTarget } from './click-target.ts';
import { errorDetails, type ErrorDetails } from './error-details.ts';

/** What the tracker records by itself. Each part is on unless set to false. */
export interface AutocaptureOptions {
  /**
   * `$pageview` when recording starts and whenever the path changes:
   * `history.pushState` / `replaceState` and `popstate` (back, forward), so
   * single-page apps get one per route. A change of query string or hash
   * alone is not a new page (query strings are never recorded); call
   * `tracker.page()` for routes that live in the hash.
   */
  pageviews?: boolean;
  /** `$click` for every click, with a descriptor of the element clicked (see click-target.ts); nothing inside `data-fp-no-capture`. */
  clicks?: boolean;
  /** `$error` for uncaught errors and unhandled promise rejections: message, type and a scrubbed stack. */
  errors?: boolean;
}

/** What autocapture hands the tracker. */
export interface AutocaptureHooks {
  /** Records a page view of the current location. */
  page(): void;
  /** Records an event with these properties. */
  capture(event: '$click' | '$error', properties: Record<string, unknown>): void;
}

/** The URL of a page as recorded: origin and path, no query string or fragment (they carry tokens, ids, search terms). */
export function pageUrl(href: string): string | undefined {
  try {
    const url = new URL(href);
    return url.origin === 'null' ? undefined : `${url.origin}${url.pathname}`;
  } catch {
    return undefined;
  }
}

/**
 * The properties of a `$pageview` of the current location: `path`, `url`
 * (origin and path), `title`, and `referrer`: the previous page of this
 * tracker, else `document.referrer`, both without query string.
 */
export function pageviewProperties(previousUrl: string | null): Record<string, unknown> {
  const referrer = previousUrl ?? (document.referrer ? pageUrl(document.referrer) : undefined);
  return {
    path: location.pathname,
    url: pageUrl(location.href) ?? location.pathname,
    title: document.title,
    ...(referrer ? { referrer } : {}),
  };
}

/**
 * Wraps `history.pushState` and `replaceState` so `onChange` runs after
 * each, and listens to `popstate`. Returns the undo: the originals come back
 * unless another script wrapped them after us, in which case our wrappers
 * stay in its chain but do nothing.
 */
function watchHistory(onChange: () => void): () => void {
  const { pushState, replaceState } = history;
  let active = true;
  const wrap = (original: History['pushState']): History['pushState'] =>
    function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args);
      if (active) onChange();
    };
  const wrappedPush = wrap(pushState);
  const wrappedReplace = wrap(replaceState);
  history.pushState = wrappedPush;
  history.replaceState = wrappedReplace;
  window.addEventListener('popstate', onChange);
  return () => {
    active = false;
    if (history.pushState === wrappedPush) history.pushState = pushState;
    if (history.replaceState === wrappedReplace) history.replaceState = replaceState;
    window.removeEventListener('popstate', onChange);
  };
}

/**
 * Starts automatic capture; returns the function that stops all of it.
 * Only ever running while consent is granted: the tracker starts it on
 * consent and stops it on revocation.
 */
export function startAutocapture(options: Required<AutocaptureOptions>, hooks: AutocaptureHooks): () => void {
  const stops: (() => void)[] = [];

  if (options.pageviews) {
    let lastPath = location.pathname;
    let pending: ReturnType<typeof setTimeout> | null = null;
    // Checked a task later: a route change sets the title after pushState, and a redirect (push, then replace) is one page.
    const onChange = (): void => {
      pending ??= setTimeout(() => {
        pending = null;
        if (location.pathname === lastPath) return;
        lastPath = location.pathname;
        hooks.page();
      }, 0);
    };
    hooks.page();
    const unwatch = watchHistory(onChange);
    stops.push(() => {
      unwatch();
      if (pending !== null) clearTimeout(pending);
    });
  }

  if (options.clicks) {
    const onClick = (event: MouseEvent): void => {
      const element = clickedElement(event);
      if (!element) return;
      hooks.capture('$click', { ...describeTarget(element), x: Math.round(event.pageX), y: Math.round(event.pageY), path: location.pathname });
    };
    // Capture phase: a click the app stops from propagating is still one.
    document.addEventListener('click', onClick, true);
    stops.push(() => document.removeEventListener('click', onClick, true));
  }

  if (options.errors) {
    let capturing = false;
    const report = (details: ErrorDetails): void => {
      if (capturing) return; // an error thrown while recording one is not recorded again
      capturing = true;
      try {
        hooks.capture('$error', { ...details, path: location.pathname });
      } finally {
        capturing = false;
      }
    };
    // Not the capture phase: a failed image or script load dispatches a plain Event that does not bubble to window.
    const onError = (event: Event): void => {
      if (event instanceof ErrorEvent) report(errorDetails(event.error, 'error', event.message));
    };
    const onRejection = (event: PromiseRejectionEvent): void => report(errorDetails(event.reason, 'unhandledrejection'));
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
    stops.push(() => {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    });
  }

  return () => {
    for (const stop of stops.splice(0)) stop();
  };
}
