/**
 * The webview side of the dashboard's bridge: `acquireVsCodeApi()`'s
 * `postMessage` and the window's `message` events as the message port of
 * the core's remote protocol, and a `Source` for the widgets on top of
 * `connectStore` (its queries answered by the extension host's store).
 */
import { connectStore, type RemoteStore } from '../../shared/remote/client.ts';
import type { MessagePortLike } from '../../shared/remote/protocol.ts';
import type { Query, ResultOf } from '../../shared/query/kinds.ts';
import type { Source } from '../../shared/source.ts';

/** What `acquireVsCodeApi()` returns, as far as the dashboard uses it. */
export interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** A message port over the webview API: out through `postMessage`, in through `message` events on `target` (the window). */
export function webviewPort(api: Pick<VsCodeWebviewApi, 'postMessage'>, target: EventTarget = window): MessagePortLike {
  return {
    // The host's webview channel copies messages itself: there is nothing to transfer.
    postMessage: (message) => api.postMessage(message),
    // Only messages: the protocol client also asks for `error` and `close` events, which a webview never has.
    addEventListener: (type, listener) => {
      if (type === 'message') target.addEventListener('message', listener as EventListener);
    },
    removeEventListener: (type, listener) => {
      if (type === 'message') target.removeEventListener('message', listener as EventListener);
    },
  };
}

/**
 * The widgets' Source over the bridge. `reopen()` asks the host for a fresh
 * snapshot (after new events were compacted) and resolves to a new Source
 * object, so widgets given it query again.
 */
export class HostSource implements Source {
  readonly store: RemoteStore;
  private opened: Promise<void>;

  constructor(port: MessagePortLike) {
    this.store = connectStore(port, { name: 'the extension host' });
    this.opened = this.store.open();
  }

  async query<Q extends Query>(spec: Q): Promise<ResultOf<Q>> {
    await this.opened;
    return this.store.query(spec);
  }

  /** Opens a fresh snapshot on the host; resolves to a new Source for the widgets (same store). */
  async reopen(): Promise<Source> {
    this.opened = this.store.open();
    await this.opened;
    return { query: (spec) => this.query(spec) };
  }
}
