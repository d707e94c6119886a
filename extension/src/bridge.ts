/**
 * The host side of the dashboard's bridge: the webview's
 * `onDidReceiveMessage` / `postMessage` adapted into the message port the
 * core's remote protocol speaks (shared/remote), so `serveStore` answers the
 * widgets' queries with the host's store, typed end to end: the webview's
 * `connectStore(port)` is the widgets' `Source`. Other messages (what the
 * dashboard reports for recording, the host's refresh notice) share the
 * channel; the protocol ignores messages that are not its own.
 */
import { serveStore, type StoreServer } from '../../shared/remote/serve.ts';
import type { MessagePortLike } from '../../shared/remote/protocol.ts';
import type { Store } from '../../shared/store/store.ts';
import type { DisposableLike, EventLike } from './host-api.ts';

/** `vscode.Webview`, as far as the bridge uses it. */
export interface WebviewLike {
  postMessage(message: unknown): PromiseLike<boolean>;
  onDidReceiveMessage: EventLike<unknown>;
}

/** Messages of the dashboard itself (not the store protocol). */
export type DashboardMessage =
  /** webview -> host: a widget showed its data. */
  | { type: 'footprint.widget'; widget: string }
  /** webview -> host: the range or interval changed. */
  | { type: 'footprint.range'; range: string; interval: string }
  /** webview -> host: a toolbar button asks for one of the extension's commands. */
  | { type: 'footprint.run'; command: string }
  /** host -> webview: new events were compacted; query again. */
  | { type: 'footprint.refresh' }
  /** webview -> host: which events were sent to the author? */
  | { type: 'footprint.sent.request' }
  /** host -> webview: the events sent to the author, oldest first, and whether sharing is on now. */
  | { type: 'footprint.sent'; sharing: boolean; target: string | null; events: SentEvent[] };

/** One event sent to the author's server, as the dashboard lists it. */
export interface SentEvent {
  uuid: string;
  event: string;
  /** When it was recorded and when it was sent, epoch ms. */
  timestamp: number;
  sent_at: number;
  /** The server it went to (origin, no key). */
  url: string;
}

export function isDashboardMessage(data: unknown): data is DashboardMessage {
  const type = (data as { type?: unknown } | null)?.type;
  return typeof type === 'string' && type.startsWith('footprint.');
}

/** A message port over a webview (host side). */
export function webviewPort(webview: WebviewLike): MessagePortLike & DisposableLike {
  const subscriptions = new Map<(event: MessageEvent) => void, DisposableLike>();
  return {
    postMessage(message) {
      void webview.postMessage(message);
    },
    addEventListener(type, listener) {
      // Only messages: a webview has no `error` or `close` events to offer.
      if (type !== 'message' || subscriptions.has(listener)) return;
      subscriptions.set(listener, webview.onDidReceiveMessage((data) => listener({ data } as MessageEvent)));
    },
    removeEventListener(type, listener) {
      if (type !== 'message') return;
      subscriptions.get(listener)?.dispose();
      subscriptions.delete(listener);
    },
    dispose() {
      for (const s of subscriptions.values()) s.dispose();
      subscriptions.clear();
    },
  };
}

/**
 * Serves the store over a webview. Each `open` request of the webview
 * (its first, and one after each refresh) gets a fresh snapshot with
 * everything recorded so far; the options it sends are ignored, the host
 * decides how its store opens.
 */
export function serveWebview(webview: WebviewLike, snapshot: () => Promise<Store>, onMessage: (message: DashboardMessage) => unknown): DisposableLike {
  const port = webviewPort(webview);
  const server: StoreServer = serveStore(port, () => snapshot());
  const own = webview.onDidReceiveMessage((data) => {
    if (isDashboardMessage(data)) onMessage(data);
  });
  return {
    dispose() {
      server.stop();
      own.dispose();
      port.dispose();
    },
  };
}
