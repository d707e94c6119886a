/** How `fp-source` hears that a server's events changed, and when its widgets ask again. */
import type { ServerSource } from '../../shared/remote/http-source.ts';

/**
 * The wait between the server saying the events changed and the widgets
 * asking again. Changes arriving meanwhile (a burst of posts, several
 * projects' batches) are answered by that one refresh, and the timer is not
 * restarted by them, so steady traffic still refreshes once a second rather
 * than never. The server already sends at most one change a second.
 */
export const LIVE_REFRESH_DELAY_MS = 1000;

/** What the subscription reports to its element. */
export interface LiveRefreshHandlers {
  /** The events changed: ask again. */
  refresh(): void;
  /** Live updates stopped for good (undefined: they work again, after a reconnection). */
  problem(message: string | undefined): void;
}

/** Subscribes to `source`'s changes and calls `refresh` at most once per `delayMs`; returns the function that stops it all. */
export function watchChanges(source: ServerSource, handlers: LiveRefreshHandlers, delayMs = LIVE_REFRESH_DELAY_MS): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const unsubscribe = source.subscribe(
    () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        handlers.refresh();
      }, delayMs);
    },
    {
      onConnect: () => handlers.problem(undefined),
      // A passing failure is retried quietly; only one that ends live updates is worth a line on the page.
      onError: (error, willRetry) => {
        if (!willRetry) handlers.problem(error.message);
      },
    },
  );
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
