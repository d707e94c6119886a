import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
// Only the error classes of the core: the store itself runs in a worker (see backends.ts).
import type { IngestReport, RemoteStoreOptions, Source, Store, WeekStart } from '../../shared/index.ts';
import { DataError, SpecError } from '../../shared/errors.ts';
import { connectServer, type ServerSource, type ServerSourceOptions } from '../../shared/remote/http-source.ts';
import { PageBackend, WorkerBackend, type Backend } from './backends.ts';
import { FORMAT_BY_CONTENT_TYPE, FORMAT_BY_EXTENSION, fileName, isSqlite, readBody, SOURCE_FORMATS, type SourceFormat } from './file-formats.ts';
import { fpSourceStyles } from './fp-source.styles.ts';
import { watchChanges } from './live-refresh.ts';
import { ScheduledSource } from './scheduled-source.ts';
import { scheduledStore } from './scheduled-store.ts';
import { bytesText, countText, rowProblem } from './status-text.ts';

export { SOURCE_FORMATS, type SourceFormat } from './file-formats.ts';

/** Where an `fp-source` is: no data asked for yet, loading it, ready to answer queries, or failed. */
export type SourceStatus = 'idle' | 'loading' | 'ready' | 'error';

/** How far a load is: the download of `src`, then the ingest of its events (or the opening of a SQLite file). */
export interface LoadProgress {
  phase: 'download' | 'ingest';
  /** Bytes downloaded so far (in the ingest phase: all of them; 0 for the sample data). */
  bytes: number;
  /** The size of the download, when the server says (`content-length`). */
  totalBytes?: number;
  /** Events being ingested, once known. */
  events?: number;
}

/** Detail of `fp-source-change`. */
export interface FpSourceChangeDetail {
  /** The Source that answers queries about the new data. */
  source: Source;
  /**
   * True when the data is the same data, changed (a server said its events
   * changed, or the token was replaced): widgets keep showing what they show
   * until the new answers arrive, instead of a loading state on every refresh.
   */
  refresh?: boolean;
}

/** `live="off"` (or `false`) turns live updates off; the bare attribute, or none, leaves them on. */
const onUnlessOff = {
  fromAttribute: (value: string | null): boolean => value === null || !/^(off|false)$/i.test(value.trim()),
  toAttribute: (value: boolean): string | null => (value ? null : 'off'),
};

/** Detail of `fp-source-error`. */
export interface FpSourceErrorDetail {
  error: Error;
  /** What failed and where, as the status line shows it. */
  message: string;
}

/** sql.js's engine, beside the module that defines the element (the bundle, or this file in the dev server). */
const DEFAULT_WASM_URL = new URL('./sql-wasm.wasm', import.meta.url).href;

/**
 * A source of events for Footprint's widgets. It loads NDJSON, JSON, CSV or
 * a SQLite file from `src` (or the built-in sample data with `sample`) into a
 * store that runs in a Web Worker, so the page never freezes, or takes a
 * `store` or any `source` given as a property. With `endpoint`, a Footprint
 * server answers the queries instead: no sql.js and no data are downloaded,
 * and every widget works unchanged. Widgets find it by
 * `source="id"` or as their nearest `fp-source` ancestor, and several share
 * one. A short status line tells how loading goes ("Loading events.ndjson:
 * 1.2 MB of 3.4 MB", "Ingesting 120,000 events", "Loaded 120,000 events")
 * or what failed and where; the `quiet` attribute hides it. Children are
 * shown below it.
 *
 * The widgets' queries wait in a queue in front of the data: cheap kinds run
 * before expensive ones (a KPI never waits behind friction or segments), a
 * query whose widget asked for a newer spec before it started is dropped,
 * widgets asking for one spec at once share one run, and results are kept
 * (the last 100 specs) until the data changes: a new `src`, `store` or
 * `source`, or an ingest, delete or purge through the store `ready()` gives.
 * A `store` or `source` whose data changes by other ways keeps giving the
 * results kept before for a spec asked again: change a store through
 * `ready()`'s, or give the element a new `source` object.
 *
 * ```html
 * <script type="module" src="footprint-widgets.js"></script>  <!-- sql-wasm.wasm beside it -->
 * <fp-source id="usage" src="events.ndjson" timezone="Europe/Berlin"></fp-source>
 * <fp-trend source="usage" math="users" interval="week"></fp-trend>
 * ```
 *
 * With a server, the credential is a short-lived embed token minted by the
 * page's own backend (`footprint token`, `createEmbedToken`), or a
 * `getToken` callback that fetches one, called again when the server says
 * the token expired. The widgets' queries go to `POST {endpoint}/query`; the
 * server's error answers (an expired token, a kind the token does not
 * allow, a rate limit with when to retry) show in the widgets' error state.
 * Unless `live="off"`, the element listens to the server's change stream
 * (`GET {endpoint}/live`) and, a second after the events change, its
 * widgets ask again, keeping their numbers on screen until the new arrive
 * (README "Widgets on a Footprint server" has an example).
 *
 * @summary Loads events for widgets: a URL, the sample data, a store or any Source.
 *
 * @attr endpoint - URL of a Footprint server's API, `/v1` included (e.g. `https://analytics.example.com/v1`): queries go there, and `src`, `sample` and the store options are not used.
 * @attr token - the embed token (or read key) sent to the `endpoint` as `Authorization: Bearer`; also a property, which a page may replace when it renews the token.
 * @attr project - the project the token must be for; the server refuses (403) a token of another project.
 * @attr live - `off` stops listening to the server's changes; by default, with an `endpoint`, widgets refresh within seconds of new events.
 * @attr src - URL of the events: NDJSON (`.ndjson`, `.jsonl`), a JSON array (`.json`), CSV with a header row (`.csv`) or a SQLite file saved by `export()` (`.sqlite`, `.sqlite3`, `.db`). Without a known extension the response's content-type decides, else the content (the SQLite header, else `[` JSON, `{` NDJSON, anything else CSV).
 * @attr format - `ndjson`, `json`, `csv` or `sqlite`: overrides the guess.
 * @attr sample - load the built-in sample data (2,000 users over 90 days ending now) when there is no `src`.
 * @attr sample-events - about how many sample events to generate (e.g. `200000`); implies `sample`.
 * @attr wasm-url - URL of sql.js's `sql-wasm.wasm`; default: the file beside the script that defines the element.
 * @attr timezone - IANA time zone of the store's periods; default `UTC`, or the one a SQLite file was saved with.
 * @attr week-start - `monday` (default) or `sunday`.
 * @attr min-group-size - distinct-user counts below this (and above 0) are suppressed; default 1 (off).
 * @attr worker - `off` runs the store in the page; by default it runs in a Web Worker.
 * @attr quiet - hides the status line.
 *
 * @event fp-load-progress - bytes downloaded, then events being ingested; detail: {@link LoadProgress}.
 * @event fp-source-loading - the data answering queries until now is being replaced (a new `src`, `sample` or attribute) or dropped (no `src` any more): its widgets drop what they show and wait for `fp-source-change`; no detail.
 * @event fp-source-change - new data is ready (first load, new `src`, `store`, `source` or `endpoint`), or, with `refresh: true`, the same data changed (the server's events, a new token); detail: {@link FpSourceChangeDetail}.
 * @event fp-source-error - loading failed; detail `{ error, message }`, the message saying what failed and where.
 *
 * @slot - content shown below the status line, typically the widgets using this source.
 *
 * @csspart status - the status line.
 *
 * @cssproperty --fp-muted - colour of the status line.
 * @cssproperty --fp-danger - colour of an error.
 * @cssproperty --fp-font-family - font of the status line.
 */
@customElement('fp-source')
export class FpSource extends LitElement {
  static override styles = fpSourceStyles;

  /** URL of a Footprint server's API (attribute `endpoint`), `/v1` included; wins over `src` and `sample`. */
  @property() endpoint?: string;
  /** The embed token or read key sent to `endpoint`; replacing it refreshes the widgets without a loading state. */
  @property() token?: string;
  /** Gives a token for `endpoint`: called for the first one when `token` is not set, and again when the server says the token expired. */
  @property({ attribute: false }) getToken?: () => Promise<string> | string;
  /** The project `token` must be for (sent as `?project=`). */
  @property() project?: string;
  /** Whether widgets refresh when the server's events change; `live="off"` turns it off. */
  @property({ converter: onUnlessOff, reflect: false }) live = true;
  /** URL of the events (attribute `src`), resolved against the document. */
  @property() src?: string;
  /** Overrides the guessed format of `src`. */
  @property() format?: SourceFormat;
  /** Loads the built-in sample data (when there is no `src`). */
  @property({ type: Boolean }) sample = false;
  /** About how many sample events to generate; implies `sample`. */
  @property({ type: Number, attribute: 'sample-events' }) sampleEvents?: number;
  /** URL of `sql-wasm.wasm`; default: beside the module that defines the element. */
  @property({ attribute: 'wasm-url' }) wasmUrl?: string;
  /** IANA time zone of the store. */
  @property() timezone?: string;
  /** First day of a week in the store. */
  @property({ attribute: 'week-start' }) weekStart?: WeekStart;
  /** Suppress distinct-user counts smaller than this. */
  @property({ type: Number, attribute: 'min-group-size' }) minGroupSize?: number;
  /** `off` runs the store in the page instead of a Web Worker. */
  @property() worker?: string;
  /** Hides the status line. */
  @property({ type: Boolean, reflect: true }) quiet = false;
  /** A store to use as it is (nothing is loaded into it); wins over `src` and `sample`. */
  @property({ attribute: false }) store?: Store;
  /** Any Source (a store, a bridge, an HTTP endpoint) to hand to the widgets; wins over `store`, `src` and `sample`. */
  @property({ attribute: false }) source?: Source;

  @state() private _status: SourceStatus = 'idle';
  @state() private _error: Error | undefined;
  @state() private _progress: LoadProgress | undefined;
  @state() private _report: IngestReport | undefined;
  /** Events in the loaded store, for the status line (undefined for a store or source given as a property). */
  @state() private eventCount: number | undefined;
  /** How the loading data is called in the status line: a file name or `sample data`. */
  private dataName = '';
  private loadingFormat: SourceFormat | undefined;

  /** The Source answering queries now (in front of the data's own, see `serve`). */
  private current: Source | undefined;
  /** The queue and kept results in front of the current data. */
  private scheduler: ScheduledSource | undefined;
  /** The store this element opened for the current data, released when replaced. */
  private owned: Backend | undefined;
  /** The store being loaded, released if the load is superseded. */
  private loading: { backend?: Backend; abort: AbortController } | undefined;
  /** Counts loads; a load whose number is not the latest any more stops where it is. */
  private loadId = 0;
  /** The server answering queries, when `endpoint` is set. */
  private server: ServerSource | undefined;
  /** Stops listening to the server's changes. */
  private stopLive: (() => void) | undefined;
  /** Why live updates stopped, for the status line. */
  @state() private liveProblem: string | undefined;
  /** True when the element left the page and released its data; reloads when it comes back. */
  private unloaded = false;
  private waiters: { resolve: (source: Source) => void; reject: (error: Error) => void }[] = [];

  /** `idle` (nothing to load), `loading`, `ready` or `error`. */
  get status(): SourceStatus {
    return this._status;
  }

  /** Why loading failed, when `status` is `error`. */
  get error(): Error | undefined {
    return this._error;
  }

  /** How far the current (or last) load got. */
  get progress(): LoadProgress | undefined {
    return this._progress;
  }

  /** What the ingest of `src` or the sample data did: accepted, duplicates and rejected rows (with their lines). */
  get report(): IngestReport | undefined {
    return this._report;
  }

  /**
   * Resolves with the Source once the current data is loaded (at once if it
   * is); rejects with the load error. It answers through the element's queue
   * and kept results: a store in front of the loaded (or given) store, or a
   * Source in front of the given `source`. Attribute changes made before the call
   * count: `el.src = 'b.csv'; await el.ready()` resolves with b's data. While
   * there is nothing to load (no `src`, `sample`, `store` or `source`), it
   * waits for something to be given. Listen for `fp-source-change` to hear of
   * later data.
   */
  async ready(): Promise<Source> {
    await this.updateComplete;
    if (this._status === 'ready' && this.current) return this.current;
    if (this._status === 'error') throw this._error!;
    return new Promise<Source>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.unloaded) {
      this.unloaded = false;
      this.startLoad();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Moving the element (removed, then inserted again at once) keeps its data; leaving the page frees it.
    setTimeout(() => {
      if (!this.isConnected && this.hasUpdated && !this.unloaded) this.unload();
    }, 0);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const inputs = ['endpoint', 'project', 'src', 'format', 'sample', 'sampleEvents', 'wasmUrl', 'timezone', 'weekStart', 'minGroupSize', 'worker', 'store', 'source'] as const;
    if (!this.hasUpdated || inputs.some((name) => changed.has(name))) this.startLoad();
    else if (this.server && (changed.has('token') || changed.has('getToken'))) this.useServer(true);
    else if (changed.has('live')) this.watchServer();
  }

  protected override render(): TemplateResult {
    const text = this.statusText();
    return html`<div class="status ${this._status}" part="status" role="status">${text || nothing}</div>
      <slot></slot>`;
  }

  private statusText(): string {
    switch (this._status) {
      case 'idle':
        return '';
      case 'error':
        return this._error?.message ?? '';
      case 'ready':
        return this.readyText();
      case 'loading':
        return this.loadingText();
    }
  }

  private loadingText(): string {
    const progress = this._progress;
    if (!progress) return this.dataName === 'sample data' ? 'Generating sample data…' : `Loading ${this.dataName}…`;
    if (progress.phase === 'download') {
      if (progress.bytes === 0 && progress.totalBytes === undefined) return `Loading ${this.dataName}…`;
      return `Loading ${this.dataName}: ${bytesText(progress.bytes)}${progress.totalBytes !== undefined ? ` of ${bytesText(progress.totalBytes)}` : ''}`;
    }
    if (this.loadingFormat === 'sqlite') return `Opening ${this.dataName} (${bytesText(progress.bytes)})`;
    if (progress.events !== undefined) return `Ingesting ${countText(progress.events, 'event')}`;
    return this.dataName === 'sample data' ? 'Generating sample data…' : `Ingesting ${this.dataName} (${bytesText(progress.bytes)})`;
  }

  private readyText(): string {
    if (this.server) return this.liveProblem ? `Live updates stopped: ${this.liveProblem}` : '';
    if (this.eventCount === undefined) return '';
    let text = `Loaded ${countText(this.eventCount, 'event')}`;
    const rejected = this._report?.rejected ?? [];
    // A lone rejected row is not the first of anything.
    if (rejected.length > 0) text += `; ${countText(rejected.length, 'row')} rejected (${rejected.length > 1 ? 'first: ' : ''}${rowProblem(rejected[0]!)})`;
    return text;
  }

  private emit<T>(name: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(name, { detail, bubbles: true, composed: true }));
  }

  private setProgress(progress: LoadProgress): void {
    this._progress = progress;
    this.emit<LoadProgress>('fp-load-progress', { ...progress });
  }

  /** Drops the load in progress, if any. */
  private cancelLoading(): void {
    if (!this.loading) return;
    this.loading.abort.abort();
    this.loading.backend?.release();
    this.loading = undefined;
  }

  /** Starts over from the current attributes and properties. */
  private startLoad(): void {
    const id = ++this.loadId;
    this.cancelLoading();
    this.disconnectServer();
    if (this.source) {
      this.succeed(this.serve(this.source, 'source'), undefined, undefined, undefined);
      return;
    }
    if (this.store) {
      this.succeed(this.serve(this.store, 'store'), undefined, undefined, undefined);
      return;
    }
    if (this.endpoint) {
      this.releaseOwned();
      this.useServer(false);
      return;
    }
    const wantsSample = this.sample || this.sampleEvents !== undefined;
    // Numbers of the data before must not stay on screen beside the loading ones: every widget drops them now.
    if (this.hasUpdated) this.emit<null>('fp-source-loading', null);
    if (!this.src && !wantsSample) {
      this.releaseOwned();
      this.stopServing();
      this._status = 'idle';
      this._error = undefined;
      this._progress = undefined;
      this._report = undefined;
      this.eventCount = undefined;
      return;
    }
    this._status = 'loading';
    this._error = undefined;
    this._progress = undefined;
    this._report = undefined;
    this.eventCount = undefined;
    this.loadingFormat = undefined;
    const abort = new AbortController();
    this.loading = { abort };
    void this.load(id, abort.signal);
  }

  /** Frees what the element holds when it leaves the page; `connectedCallback` loads again. */
  private unload(): void {
    this.loadId++;
    this.cancelLoading();
    this.disconnectServer();
    this.releaseOwned();
    this.stopServing();
    this._status = 'idle';
    this.unloaded = true;
  }

  /**
   * Puts the server at `endpoint` behind the widgets. `refresh`: the same
   * data with another credential, so widgets keep their numbers until the
   * new answers arrive; otherwise other data (first connection, another
   * server or project).
   */
  private useServer(refresh: boolean): void {
    this.disconnectServer();
    let server: ServerSource;
    try {
      const options: ServerSourceOptions = { endpoint: this.endpoint! };
      if (this.token) options.token = this.token;
      if (this.getToken) options.getToken = this.getToken;
      if (this.project) options.project = this.project;
      server = connectServer(options);
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.server = server;
    this.eventCount = undefined;
    this._report = undefined;
    this._progress = undefined;
    this.succeed(this.serve(server, 'source'), undefined, undefined, undefined, refresh);
    this.watchServer();
  }

  /** Listens to the server's changes while `live` is on and the element is on the page. */
  private watchServer(): void {
    this.stopLive?.();
    this.stopLive = undefined;
    this.liveProblem = undefined;
    if (!this.server || !this.live) return;
    this.stopLive = watchChanges(this.server, {
      refresh: () => this.refreshServed(),
      problem: (message) => (this.liveProblem = message),
    });
  }

  /** The server's events changed: kept results go, and widgets ask again while still showing their numbers. */
  private refreshServed(): void {
    if (!this.scheduler || !this.current) return;
    this.scheduler.invalidate();
    this.emit<FpSourceChangeDetail>('fp-source-change', { source: this.current, refresh: true });
  }

  private disconnectServer(): void {
    this.stopLive?.();
    this.stopLive = undefined;
    this.server = undefined;
    this.liveProblem = undefined;
  }

  private releaseOwned(): void {
    this.owned?.release();
    this.owned = undefined;
  }

  private storeOptions(): RemoteStoreOptions {
    const options: RemoteStoreOptions = { wasmUrl: this.wasmUrl ? new URL(this.wasmUrl, document.baseURI).href : DEFAULT_WASM_URL };
    if (this.timezone) options.timezone = this.timezone;
    if (this.weekStart) options.weekStart = this.weekStart;
    if (this.minGroupSize !== undefined) options.minGroupSize = this.minGroupSize;
    return options;
  }

  private createBackend(onEvents: (events: number | undefined) => void): Backend {
    if (this.worker === 'off' || typeof Worker === 'undefined') return new PageBackend(onEvents);
    try {
      return new WorkerBackend(onEvents);
    } catch (error) {
      // e.g. a content security policy without `worker-src blob:`
      console.warn(`fp-source: could not start the store worker, so the store runs in the page (${error instanceof Error ? error.message : String(error)})`);
      return new PageBackend(onEvents);
    }
  }

  private async load(id: number, signal: AbortSignal): Promise<void> {
    const isCurrent = (): boolean => id === this.loadId;
    let url: URL | undefined;
    try {
      url = this.src ? new URL(this.src, document.baseURI) : undefined;
    } catch {
      this.loading = undefined;
      this.fail(new SpecError('src', `not a URL: '${this.src}'`));
      return;
    }
    this.dataName = url ? fileName(url) : 'sample data';
    let backend: Backend | undefined;
    try {
      // A removed attribute leaves null: the guess again, as when it was never set.
      const format = this.format ?? undefined;
      if (format !== undefined && !SOURCE_FORMATS.includes(format)) {
        throw new SpecError('format', `must be one of ${SOURCE_FORMATS.join(', ')}, got '${String(format)}'`);
      }
      const sampleEvents = this.sampleEvents;
      if (!url && sampleEvents !== undefined && !(Number.isInteger(sampleEvents) && sampleEvents >= 1)) {
        throw new SpecError('sample-events', `must be a whole number of at least 1, got '${String(sampleEvents)}'`);
      }
      let bytesSeen = 0;
      let totalBytes: number | undefined;
      const onEvents = (events: number | undefined): void => {
        if (!isCurrent()) return;
        const progress: LoadProgress = { phase: 'ingest', bytes: bytesSeen };
        if (totalBytes !== undefined) progress.totalBytes = totalBytes;
        if (events !== undefined) progress.events = events;
        this.setProgress(progress);
      };
      // Start the worker (its script and then sql.js load) while the file downloads.
      backend = this.createBackend(onEvents);
      this.loading!.backend = backend;
      const options = this.storeOptions();
      let store: Store;
      let report: IngestReport | undefined;
      let eventCount: number;

      if (url) {
        const { bytes, contentType } = await this.download(url, signal, (bytes, total) => {
          bytesSeen = bytes;
          totalBytes = total;
          if (isCurrent()) this.setProgress(total === undefined ? { phase: 'download', bytes } : { phase: 'download', bytes, totalBytes: total });
        });
        if (!isCurrent()) return;
        totalBytes = bytes.byteLength;
        const chosen = format ?? this.formatOf(url, contentType, bytes);
        this.loadingFormat = chosen;
        onEvents(undefined);
        if (chosen === 'sqlite') {
          // The file's memory moves to the worker instead of being copied.
          const data = (bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength ? bytes.buffer : bytes.slice().buffer) as ArrayBuffer;
          store = await this.open(backend, { ...options, data }, [data]);
          if (!isCurrent()) return;
          const all = await store.query({ kind: 'events', from: '0001-01-01', to: '9999-12-31', limit: 1 });
          eventCount = all.total;
        } else {
          const text = new TextDecoder().decode(bytes);
          store = await this.open(backend, options);
          if (!isCurrent()) return;
          report = await store.ingestText(text, chosen);
          if (!isCurrent()) return;
          this.checkReport(report);
          eventCount = report.accepted;
        }
      } else {
        store = await this.open(backend, options);
        if (!isCurrent()) return;
        onEvents(undefined);
        report = await backend.loadSample(sampleEvents === undefined ? {} : { events: sampleEvents });
        eventCount = report.accepted;
      }
      if (!isCurrent()) return;
      this.loading = undefined;
      this.succeed(this.serve(store, 'store'), backend, report, eventCount);
    } catch (error) {
      if (!isCurrent()) return;
      this.loading = undefined;
      backend?.release();
      this.fail(this.describe(error, url, backend));
    }
  }

  /** Opens the store; an error other than a bad option or file is sql.js's engine not starting. */
  private async open(backend: Backend, options: RemoteStoreOptions, transfer?: Transferable[]): Promise<Store> {
    try {
      return await backend.open(options, transfer);
    } catch (error) {
      if (!(error instanceof Error) || error instanceof SpecError || error instanceof DataError) throw error;
      if (backend instanceof WorkerBackend && backend.isWorkerFailure(error)) throw error;
      throw new Error(`Could not start the store: sql-wasm.wasm did not load from ${options.wasmUrl} (${error.message}); set wasm-url to where it is`, { cause: error });
    }
  }

  /** Downloads `src`: its bytes and content-type (without parameters); errors name the file, the status and the URL. */
  private async download(url: URL, signal: AbortSignal, onBytes: (bytes: number, total: number | undefined) => void): Promise<{ bytes: Uint8Array; contentType: string }> {
    const name = fileName(url);
    let response: Response;
    try {
      response = await fetch(url, { signal });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new Error(`Could not load ${name}: network error (${error instanceof Error ? error.message : String(error)}) (${url.href})`, { cause: error });
    }
    if (!response.ok) {
      throw new Error(`Could not load ${name}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} (${url.href})`);
    }
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    try {
      return { bytes: await readBody(response, onBytes), contentType };
    } catch (error) {
      if (signal.aborted) throw error;
      throw new Error(`Could not load ${name}: the download broke off (${error instanceof Error ? error.message : String(error)}) (${url.href})`, { cause: error });
    }
  }

  /** The format of a download: by the URL's extension, else the content-type, else the content. */
  private formatOf(url: URL, contentType: string, bytes: Uint8Array): SourceFormat | undefined {
    const extension = /\.([a-z0-9]+)$/i.exec(url.pathname)?.[1]?.toLowerCase();
    const byExtension = extension === undefined ? undefined : FORMAT_BY_EXTENSION[extension];
    if (byExtension) return byExtension;
    const byType = FORMAT_BY_CONTENT_TYPE[contentType];
    if (byType) return byType;
    // The store's own detection reads the text: `[` JSON, `{` NDJSON, else CSV.
    return isSqlite(bytes) ? 'sqlite' : undefined;
  }

  /** A file of which no row could be stored fails the load, naming the first bad row. */
  private checkReport(report: IngestReport): void {
    if (report.accepted > 0 || report.duplicates > 0 || report.rejected.length === 0) return;
    const count = report.rejected.length;
    this._report = report;
    throw new DataError(`${rowProblem(report.rejected[0]!)}${count > 1 ? ` (all ${count.toLocaleString('en-US')} rows were rejected)` : ''}`);
  }

  /** The error to show: says what failed and where (the file and line, or the URL and HTTP status). */
  private describe(error: unknown, url: URL | undefined, backend: Backend | undefined): Error {
    if (!(error instanceof Error)) return new Error(String(error));
    if (error instanceof SpecError) return error; // an attribute: its name is the field
    const name = url ? fileName(url) : 'the sample data';
    if (error instanceof DataError) {
      // The content: `csv: line 5: …`, `json: not valid JSON …`, `data: not a readable SQLite file …`, or a rejected row `line 12: …`.
      // Name the file (and the line) instead of the format.
      const match = /^(?:(?:ndjson|json|csv|data): )?(?:(line \d+|event \d+): )?([\s\S]*)$/.exec(error.message)!;
      return new DataError(`${name}${match[1] ? ` ${match[1]}` : ''}: ${match[2]}`, { cause: error });
    }
    if (/^Could not (load|start) /.test(error.message)) return error;
    const hint = backend instanceof WorkerBackend && backend.isWorkerFailure(error) ? ' (set worker="off" to run the store in the page)' : '';
    return new Error(`Could not load ${name}: ${error.message}${hint}`, { cause: error });
  }

  /**
   * Puts a queue in front of new data (see ScheduledSource), replacing the
   * one of the data before, whose kept results are dropped. A store stays a
   * store, and changing it through what `ready()` gave drops the results too.
   * Stores answer one query at a time; any other Source gets a few at once
   * (an HTTP endpoint answers them in parallel), still cheapest first.
   */
  private serve(data: Source, kind: 'store' | 'source'): Source {
    this.stopServing();
    const scheduler = new ScheduledSource(data, { maxRunning: kind === 'store' ? 1 : 4 });
    this.scheduler = scheduler;
    return kind === 'store' ? scheduledStore(data as Store, scheduler) : scheduler;
  }

  /** There is no current data any more: its kept results go. */
  private stopServing(): void {
    this.scheduler?.invalidate();
    this.scheduler = undefined;
    this.current = undefined;
  }

  private succeed(source: Source, backend: Backend | undefined, report: IngestReport | undefined, eventCount: number | undefined, refresh = false): void {
    if (this.owned !== backend) this.releaseOwned();
    this.owned = backend;
    this.current = source;
    this._status = 'ready';
    this._error = undefined;
    this._report = report;
    this.eventCount = eventCount;
    const waiters = this.waiters.splice(0);
    for (const waiter of waiters) waiter.resolve(source);
    this.emit<FpSourceChangeDetail>('fp-source-change', refresh ? { source, refresh } : { source });
  }

  private fail(error: Error): void {
    this.releaseOwned();
    this.stopServing();
    this._status = 'error';
    this._error = error;
    const waiters = this.waiters.splice(0);
    for (const waiter of waiters) waiter.reject(error);
    this.emit<FpSourceErrorDetail>('fp-source-error', { error, message: error.message });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fp-source': FpSource;
  }
  interface GlobalEventHandlersEventMap {
    'fp-load-progress': CustomEvent<LoadProgress>;
    'fp-source-loading': CustomEvent<null>;
    'fp-source-change': CustomEvent<FpSourceChangeDetail>;
    'fp-source-error': CustomEvent<FpSourceErrorDetail>;
  }
}
