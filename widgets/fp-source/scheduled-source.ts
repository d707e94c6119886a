/**
 * The Source `fp-source` hands to its widgets: it queues their queries in
 * front of the store, so that a page's cheap queries are answered first, a
 * query nobody wants any more is never run, one spec asked twice at once is
 * run once, and a spec answered before is answered again at once.
 */
import type { Query, QueryOptions, ResultOf, Source } from '../../shared/index.ts';
import { queryCost, type QueryCost } from './query-cost.ts';
import { ResultCache, specKey } from './result-cache.ts';

/** Options of a `ScheduledSource`. */
export interface ScheduleOptions {
  /**
   * How many queries the inner source gets at once; default 1. A store
   * (sql.js, in a worker or in the page) answers one query at a time anyway:
   * keeping the others here is what lets them be reordered and dropped.
   */
  maxRunning?: number;
  /** How many results to keep; default 100. */
  cacheSize?: number;
}

/** One caller of a queued or running query. */
interface Caller {
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** A spec to run, with everyone waiting for its result. */
interface Job {
  key: string;
  spec: Query;
  cost: QueryCost;
  /** Arrival order, so that queries of one cost run first come, first served. */
  order: number;
  callers: Set<Caller>;
  /** The data generation the query was started on; its result is kept only if the data is still that. */
  generation: number | undefined;
}

/** Calls `callback` in a task of its own, after every query the current task asks for; unlike a timer, not slowed down in a background tab. */
function nextTask(callback: () => void): void {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    callback();
  };
  channel.port2.postMessage(null);
}

/**
 * A Source in front of another one that queues its queries:
 *
 * - the cheapest queued query runs first (see `QUERY_COST`); a running query
 *   is never interrupted, and the queue starts one task after the first
 *   query, so every widget of a page that asks at once is in it;
 * - a caller whose `signal` aborts while its query is queued is rejected
 *   with the signal's reason, and a query left without callers is dropped;
 * - callers of one spec (equal as JSON, whatever the order of its keys) share
 *   one run of it;
 * - results are kept (the last `cacheSize` specs) until `invalidate()`, so an
 *   unchanged spec is answered without the inner source. Errors are not kept.
 *
 * Callers share a result object: treat it as read-only.
 */
export class ScheduledSource implements Source {
  private readonly cache: ResultCache<unknown>;
  private readonly maxRunning: number;
  /** Queued and running jobs by spec key, for callers of the same spec to join. */
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private running = 0;
  private arrivals = 0;
  private generation = 0;
  private starting = false;

  constructor(
    private readonly inner: Source,
    options: ScheduleOptions = {},
  ) {
    this.maxRunning = options.maxRunning ?? 1;
    this.cache = new ResultCache(options.cacheSize ?? 100);
  }

  query<Q extends Query>(spec: Q, options: QueryOptions = {}): Promise<ResultOf<Q>> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const key = specKey(spec);
    const cached = this.cache.get(key);
    if (cached !== undefined) return Promise.resolve(cached as ResultOf<Q>);
    let job = this.jobs.get(key);
    if (!job) {
      job = { key, spec, cost: queryCost(spec), order: this.arrivals++, callers: new Set(), generation: undefined };
      this.jobs.set(key, job);
      this.queue.push(job);
      this.scheduleStart();
    }
    const joined = job;
    return new Promise<ResultOf<Q>>((resolve, reject) => {
      const caller: Caller = { resolve: resolve as (result: unknown) => void, reject, signal, onAbort: () => this.leave(joined, caller) };
      joined.callers.add(caller);
      signal?.addEventListener('abort', caller.onAbort, { once: true });
    });
  }

  /**
   * Forgets every kept result: the data changed. A query already running
   * answers its callers, but its result is not kept, and later callers of its
   * spec get a new run.
   */
  invalidate(): void {
    this.generation++;
    this.cache.clear();
    for (const [key, job] of this.jobs) if (job.generation !== undefined) this.jobs.delete(key);
  }

  /** An aborted caller stops waiting; a queued job nobody waits for any more is dropped. */
  private leave(job: Job, caller: Caller): void {
    if (!job.callers.delete(caller)) return;
    caller.reject(caller.signal!.reason);
    if (job.callers.size > 0 || job.generation !== undefined) return;
    this.queue.splice(this.queue.indexOf(job), 1);
    this.jobs.delete(job.key);
  }

  private scheduleStart(): void {
    if (this.starting || this.running >= this.maxRunning) return;
    this.starting = true;
    nextTask(() => {
      this.starting = false;
      this.startQueued();
    });
  }

  private startQueued(): void {
    while (this.running < this.maxRunning && this.queue.length > 0) {
      let next = 0;
      for (let i = 1; i < this.queue.length; i++) {
        const job = this.queue[i]!;
        const best = this.queue[next]!;
        if (job.cost < best.cost || (job.cost === best.cost && job.order < best.order)) next = i;
      }
      void this.run(this.queue.splice(next, 1)[0]!);
    }
  }

  private async run(job: Job): Promise<void> {
    this.running++;
    job.generation = this.generation;
    let settle: (caller: Caller) => void;
    try {
      const result: unknown = await this.inner.query(job.spec);
      if (job.generation === this.generation) this.cache.set(job.key, result);
      settle = (caller) => caller.resolve(result);
    } catch (error) {
      settle = (caller) => caller.reject(error);
    }
    this.running--;
    if (this.jobs.get(job.key) === job) this.jobs.delete(job.key);
    for (const caller of job.callers) {
      caller.signal?.removeEventListener('abort', caller.onAbort);
      settle(caller);
    }
    job.callers.clear();
    this.startQueued();
  }
}
