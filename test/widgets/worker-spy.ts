import type { Query } from '../../shared/index.ts';

/** What the Web Workers started since `spyOnWorkers()` were asked: their URLs, every request posted, each query spec, and how many were terminated. */
export interface WorkerSpy {
  urls: string[];
  methods: string[];
  /** The spec of each `query` request, in the order they reached a worker: what the workers execute. */
  queries: Query[];
  terminated: number;
  /** Requests kept back by `hold()`, not posted yet. */
  held: number;
  /** Keeps requests back (not posted, not recorded) until `release()`: to the page, the worker looks busy. */
  hold(): void;
  /** Posts the requests kept back, in order, and posts later ones at once again. */
  release(): void;
  /** Puts the real Worker back. */
  restore(): void;
}

/** Replaces `globalThis.Worker` by a subclass that records what the page asks its workers (call `restore()` after the test). */
export function spyOnWorkers(): WorkerSpy {
  const RealWorker = globalThis.Worker;
  let holding = false;
  const heldPosts: (() => void)[] = [];
  const spy: WorkerSpy = {
    urls: [],
    methods: [],
    queries: [],
    terminated: 0,
    get held() {
      return heldPosts.length;
    },
    hold: () => void (holding = true),
    release() {
      holding = false;
      for (const post of heldPosts.splice(0)) post();
    },
    restore: () => void (globalThis.Worker = RealWorker),
  };
  class SpyWorker extends RealWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      spy.urls.push(String(url));
    }
    override postMessage(message: unknown, transfer?: unknown): void {
      const post = (): void => {
        const { method, params } = message as { method?: unknown; params?: unknown[] };
        spy.methods.push(String(method));
        if (method === 'query') spy.queries.push(params![0] as Query);
        (RealWorker.prototype.postMessage as (m: unknown, t?: unknown) => void).call(this, message, transfer ?? []);
      };
      if (holding) heldPosts.push(post);
      else post();
    }
    override terminate(): void {
      spy.terminated++;
      super.terminate();
    }
  }
  globalThis.Worker = SpyWorker;
  return spy;
}
