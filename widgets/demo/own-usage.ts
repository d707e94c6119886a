/**
 * "Your own usage" of the demo page: the visitor's use of the page,
 * recorded by Footprint's tracker once they allow it, into a store in the
 * page (shown by the panel's widgets) and into IndexedDB (read back into
 * the store on the next visit, so it survives reloads). Nothing is sent
 * anywhere.
 */
import { openStore, type Store } from '../../shared/store/store.ts';
import type { StoredEvent } from '../../shared/metrics/events.ts';
import { createTracker, indexedDbSink, storeSink, type Tracker, type TrackerSink } from '../../shared/tracker/index.ts';
import type { FpConsent } from '../fp-consent/fp-consent.ts';
import type { FpSource } from '../fp-source/fp-source.ts';
import type { FpTrend } from '../fp-trend/fp-trend.ts';

/** The elements of the panel and the banner. */
export interface OwnUsageElements {
  banner: FpConsent;
  toggle: FpConsent;
  source: FpSource;
  trend: FpTrend;
  status: HTMLElement;
  list: HTMLOListElement;
}

/** The demo's own names, so its data never mixes with another Footprint tracker of the same origin. */
const STORAGE_PREFIX = 'footprint-demo';
const DATABASE_NAME = 'footprint-demo-events';
const SHOWN_EVENTS = 10;

/** A sink that hands each write to `inner` and calls `written` once the store has it, so the panel follows every event. */
function announcingSink(inner: TrackerSink, written: () => void): TrackerSink {
  let scheduled = false;
  return {
    name: inner.name,
    start: (context) => inner.start(context),
    write(event) {
      inner.write(event);
      if (scheduled) return;
      // Events of one task are ingested together: one refresh for them.
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        void inner.flush().then(written);
      });
    },
    flush: () => inner.flush(),
    stop: (options) => inner.stop(options),
    deleteStored: (stored) => inner.deleteStored(stored),
  };
}

/** What an event was about, in a few words: the page, the thing clicked, the error. */
function describe(event: StoredEvent): string {
  const p = event.properties;
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  switch (event.event) {
    case '$pageview':
      return text(p.title) ?? text(p.path) ?? '';
    case '$click': {
      const label = text(p.text);
      return label ? `${text(p.tag) ?? 'element'} "${label}"` : (text(p.target) ?? '');
    }
    case '$error':
      return text(p.message) ?? '';
    default:
      return Object.keys(p).length ? JSON.stringify(p) : '';
  }
}

function listItem(event: StoredEvent): HTMLLIElement {
  const item = document.createElement('li');
  const time = document.createElement('time');
  time.dateTime = event.timestamp;
  time.textContent = new Date(event.timestamp).toLocaleTimeString('en-GB');
  const name = document.createElement('code');
  name.textContent = event.event;
  const what = document.createElement('span');
  what.className = 'what';
  what.textContent = describe(event);
  what.title = what.textContent;
  item.append(time, name, what);
  return item;
}

/** Keeps the panel in step with the store: the last events, their count and the trend; one refresh at a time. */
class OwnUsagePanel {
  /** The tracker whose consent the status line tells; set once it exists (it needs the panel's sink first). */
  tracker: Tracker | undefined;
  private running = false;
  private again = false;

  constructor(
    private readonly store: Store,
    private readonly elements: OwnUsageElements,
  ) {}

  refresh(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.show()
      .catch((error: unknown) => {
        this.elements.status.textContent = `Could not show your events: ${error instanceof Error ? error.message : String(error)}`;
      })
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.refresh();
        }
      });
  }

  private async show(): Promise<void> {
    const { total, events } = await this.store.query({ kind: 'events', from: '1970-01-01', to: '9999-12-31', limit: SHOWN_EVENTS });
    const { status, list, trend } = this.elements;
    status.textContent = this.statusText(total);
    list.replaceChildren(...events.map(listItem));
    // The last 24 hours up to now: a new `to` also makes the trend ask the store again.
    trend.to = new Date().toISOString();
  }

  private statusText(total: number): string {
    const stored = `${total.toLocaleString('en-US')} event${total === 1 ? '' : 's'} about you ${total === 1 ? 'is' : 'are'} stored in this browser`;
    switch (this.tracker?.consent ?? 'pending') {
      case 'granted':
        return `Recording is on, under a random id made in this browser (${this.tracker?.userId?.slice(0, 8)}…). ${stored}.`;
      case 'denied':
        return total > 0 ? `Recording is off. ${stored} from before.` : 'Recording is off: nothing is recorded about you.';
      case 'pending':
        return total > 0 ? `Recording is off until you choose. ${stored} from before.` : 'Nothing is recorded until you allow it in the banner at the bottom of the page.';
    }
  }
}

/** Keeps the page's end above the consent banner while it shows, so nothing is hidden under it. */
function makeRoomFor(banner: HTMLElement): void {
  new ResizeObserver(() => {
    document.body.style.paddingBottom = banner.offsetHeight > 0 ? `${banner.offsetHeight}px` : '';
  }).observe(banner);
}

/** Opens the visitor's store, reads back what earlier visits recorded, and starts the tracker behind the consent banner. */
export async function startOwnUsage(elements: OwnUsageElements): Promise<Tracker> {
  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const store = await openStore({ timezone });
  const saved = indexedDbSink({ databaseName: DATABASE_NAME });
  // Reading creates nothing: before any consent there is no database to read.
  const earlier = await saved.readEvents();
  if (earlier.length) {
    const report = await store.ingest(earlier);
    for (const { index, reason } of report.rejected) console.warn(`Your own usage: stored event ${index} was not read back: ${reason}`);
  }
  const panel = new OwnUsagePanel(store, elements);
  const tracker = createTracker({
    sinks: [announcingSink(storeSink(store), () => panel.refresh()), saved],
    autocapture: true,
    storagePrefix: STORAGE_PREFIX,
  });
  panel.tracker = tracker;
  await Promise.all([customElements.whenDefined('fp-consent'), customElements.whenDefined('fp-source')]);
  elements.source.store = store;
  elements.banner.tracker = tracker;
  elements.toggle.tracker = tracker;
  makeRoomFor(elements.banner);
  // A choice here (after the tracker deleted what was stored, when asked) or in another tab.
  tracker.onConsentChange(() => panel.refresh());
  document.addEventListener('fp-consent-change', () => panel.refresh());
  panel.refresh();
  return tracker;
}
